"""A campaign's KPI rollups rebuilt from its raw rows (``manage.py rebuild_kpis``, the
``metrics.tasks.rebuild_kpis`` task, a time-zone change, a campaign never rolled up).

The rollups are kept as data arrives; a rebuild is the reference they must always equal (the
property test says so) and the repair after a write that went around the services (raw SQL).
It replaces every rollup row and post state of the campaign in one transaction, holding the
campaign's row lock so two rebuilds — or a rebuild and a recompute — do not interleave.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.models import Campaign, Post
from metrics.kpis import COUNTERS, POST_VECTOR
from metrics.models import (
    Click,
    ClickDayRollup,
    CommentDayRollup,
    PostDayRollup,
    PostRollupState,
    RollupRebuild,
)
from metrics.selectors.frame import Frame, local_date
from metrics.selectors.post_aggregates import (
    post_carried_states,
    post_metric_deltas,
    sentiment_counts,
)
from metrics.selectors.post_facts import post_facts
from metrics.services.funnel_rollups import funnel_rollups_refresh
from metrics.services.post_rollups import STATE_FIELDS
from metrics.services.rollup_store import rows_upsert

# Every row ever stored counts: the rollups hold the whole history, a recompute picks days.
END_OF_TIME = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
ROLLUPS = (PostRollupState, PostDayRollup, CommentDayRollup, ClickDayRollup)


def kpi_rollups_rebuild(*, campaign_id: int) -> RollupRebuild | None:
    """Rebuild one campaign's rollups from raw rows; None when the campaign is gone."""
    started = time.monotonic()
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update().select_related("brand__organization")
            .filter(pk=campaign_id).first()
        )
        if campaign is None:
            return None
        frame = rollup_frame(campaign)
        for model in ROLLUPS:
            model.objects.filter(campaign_id=campaign.pk).delete()
        _posts(campaign, frame)
        _comments(campaign, frame)
        _clicks(campaign, frame)
        funnel_rollups_refresh(campaign, frame, every_day=True)
        rebuild, _ = RollupRebuild.objects.update_or_create(
            campaign=campaign,
            defaults={"rebuilt_at": timezone.now(), "seconds": time.monotonic() - started},
        )
    return rebuild


def rollup_frame(campaign: Campaign) -> Frame:
    """The frame rollups are derived in: the campaign's days and windows, every row ever
    stored (a recompute picks the days up to its T)."""
    return Frame(tz=campaign.brand.organization.tzinfo, as_of=END_OF_TIME,
                 start=campaign.start_date, end=campaign.end_date,
                 window_days=campaign.attribution_window_days)


def _posts(campaign: Campaign, frame: Frame) -> None:
    rows = [
        (campaign.pk, partnership, platform, day, *(int(v or 0) for v in vector))
        for day, partnership, platform, *vector in post_metric_deltas(campaign, frame)
    ]
    rows_upsert(PostDayRollup, ["campaign", "partnership", "platform", "day"], POST_VECTOR, rows)
    carried = {row[0]: row[1:] for row in post_carried_states(campaign, frame)}
    facts = post_facts(Post.objects.filter(partnership__campaign=campaign).values_list(
        "pk", flat=True))
    states = []
    for post_id, fact in facts.items():
        captured_at, *carry = carried.get(post_id, (None, *(None,) * len(COUNTERS)))
        states.append((post_id, fact.campaign_id, fact.partnership_id, fact.platform,
                       fact.followers, captured_at, *carry))
    rows_upsert(PostRollupState, ["post"], STATE_FIELDS, states)


def _comments(campaign: Campaign, frame: Frame) -> None:
    rows = [
        (campaign.pk, partnership, platform, day, sentiment, n)
        for day, partnership, platform, sentiment, n in sentiment_counts(campaign, frame)
    ]
    rows_upsert(CommentDayRollup, ["campaign", "partnership", "platform", "day", "sentiment"],
                ["comments"], rows)


def _clicks(campaign: Campaign, frame: Frame) -> None:
    counts = (
        Click.objects.filter(link__partnership__campaign=campaign)
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "link__partnership_id")
        .annotate(n=Count("pk", filter=Q(is_bot=False)),
                  unique=Count("pk", filter=Q(is_bot=False, is_unique=True)),
                  bots=Count("pk", filter=Q(is_bot=True)))
        .values_list("link__partnership_id", "day", "n", "unique", "bots")
    )
    rows = [(campaign.pk, partnership, local_date(day), n, unique, bots)
            for partnership, day, n, unique, bots in counts]
    rows_upsert(ClickDayRollup, ["campaign", "partnership", "day"],
                ["clicks", "unique_clicks", "bot_clicks"], rows)
