"""The KPI engine: gather a campaign's sums (``metrics.selectors``: ``frame``, ``inputs``,
``post_aggregates``, ``funnel_aggregates``), turn them into KPI documents
(``metrics.kpi_builder``, with the formulas of ``metrics.kpis``) and store them as KpiSnapshot
rows — the total, one per partnership, one per platform and one per day — replacing the
campaign's previous rows in one transaction, so a worker killed mid-way leaves the previous
snapshot intact.

The document shape (docs/kpis.md): top level ``campaign``, ``stage``,
``currency``, ``as_of``, ``computed_at``, ``headline``, ``targets``, then the groups
``coverage``, ``awareness``, ``engagement``, ``conversion``, ``audience_growth``, ``ctr``,
``traffic``, ``emv``, ``roi``, ``sentiment``. Breakdown documents add ``key`` and ``label``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from metrics import kpis
from metrics.emv_defaults import emv_rates_ensure
from metrics.fx import rate_table
from metrics.kpi_builder import Builder, CampaignData, Event
from metrics.models import CONVERSION_KINDS, KpiSnapshot, RollupRebuild
from metrics.scheduling import schedule_kpi_recompute
from metrics.selectors.frame import Frame, frame_for
from metrics.selectors.funnel_aggregates import (
    click_counts,
    conversion_sums,
    first_visit_days,
    refunded_conversions,
    unique_visitors_by_partnership,
    visit_counts,
)
from metrics.selectors.inputs import (
    brand_followers,
    campaign_for_kpis,
    costs_of,
    emv_rates,
    overlapping_campaigns,
    partnerships_of,
    targets_of,
    unlabelled_comments,
)
from metrics.selectors.post_aggregates import post_counts, post_metric_deltas, sentiment_counts
from metrics.selectors.rollups import (
    rollup_click_counts,
    rollup_post_deltas,
    rollup_sentiment_counts,
)
from metrics.sentiment import comments_label_pending
from metrics.services.rollup_rebuild import kpi_rollups_rebuild

logger = logging.getLogger(__name__)


def gather(campaign: Campaign, as_of: dt.datetime, *, from_rollups: bool = False
           ) -> CampaignData:
    """All the SQL of a recompute: a fixed number of queries whatever the campaign's size.
    ``from_rollups``: posts, comments and clicks come from the daily rollups (a recompute as
    of now) instead of raw rows (a recompute as of a past instant, and the tests' oracle)."""
    organization = campaign.brand.organization
    comments_label_pending(queryset=unlabelled_comments(campaign))
    emv_rates_ensure(organization=organization)
    card = kpis.RateCard()
    for platform, metric, value, source in emv_rates(organization):
        card.rates.setdefault(platform, {})[metric] = (value, source)
    frame = frame_for(campaign, as_of)
    post_rows, sentiment_rows, clicks = (
        (rollup_post_deltas, rollup_sentiment_counts, rollup_click_counts) if from_rollups
        else (post_metric_deltas, sentiment_counts, click_counts)
    )
    events = _funnel_events(campaign, frame, clicks(campaign, frame))
    return CampaignData(
        campaign=campaign,
        frame=frame,
        card=card,
        partnerships=partnerships_of(campaign),
        # A row of zeros (a post moved away, a snapshot repeating the last) changes no sum.
        post_rows=[row for row in post_rows(campaign, frame) if any(row[3:])],
        post_count_rows=post_counts(campaign, frame),
        sentiment_rows=sentiment_rows(campaign, frame),
        events=events,
        first_visits=first_visit_days(campaign, frame),
        unique_visitors=unique_visitors_by_partnership(campaign, frame),
        costs=costs_of(campaign),
        followers=brand_followers(campaign, frame),
        targets=targets_of(campaign),
        overlapping=overlapping_campaigns(campaign),
    )


def _funnel_events(campaign: Campaign, frame: Frame,
                   click_rows: Iterable[tuple[dt.date, int, int, int]]) -> list[Event]:
    events: list[Event] = []
    for day, partnership, clicks, unique in click_rows:
        events.append(Event(day, partnership, kpis.FunnelSums(clicks=clicks,
                                                              unique_clicks=unique)))
    for day, partnership, visits in visit_counts(campaign, frame):
        events.append(Event(day, partnership, kpis.FunnelSums(visits=visits)))

    sums = conversion_sums(campaign, frame)
    refunds = refunded_conversions(campaign, frame)
    currencies = {r[4] for r in sums} | {r["conversion__currency"] for r in refunds}
    currencies.add(campaign.currency)
    days = {r[0] for r in sums} | {r["conversion_day"] for r in refunds}
    rates = rate_table(currencies, days)

    def event(day: dt.date, partnership: int, source: str, kind: str, currency: str,
              count: int, amount: Decimal, rate_day: dt.date) -> Event:
        funnel = kpis.FunnelSums()
        if kind in CONVERSION_KINDS:
            funnel.by_source[source] += count
            converted = rates.convert(amount, currency, campaign.currency, rate_day)
            if converted is None:
                funnel.excluded_other_currency += count
            else:
                funnel.revenue += converted
        else:
            funnel.leads += count
        return Event(day, partnership, funnel)

    for day, partnership, source, kind, currency, count, amount in sums:
        events.append(event(day, partnership, source, kind, currency, count, amount, day))

    # A refund lowers revenue on its day; once refunds reach the amount, the conversion leaves
    # the count (and what was left of its revenue goes with it).
    by_conversion: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in refunds:
        by_conversion[row["conversion_id"]].append(row)
    for rows in by_conversion.values():
        first = rows[0]
        amount = Decimal(first["conversion__amount"])
        conversion_day = first["conversion_day"]
        args = (
            first["conversion__partnership_id"], first["conversion__attribution"],
            first["conversion__kind"], first["conversion__currency"],
        )
        refunded = Decimal("0")
        events.append(event(conversion_day, *args, 1, amount, conversion_day))
        for row in rows:
            before = refunded
            refunded += Decimal(row["amount"])
            if refunded >= amount:
                events.append(event(row["day"], *args, -1, -(amount - before), conversion_day))
                break
            events.append(event(row["day"], *args, 0, -Decimal(row["amount"]), conversion_day))
    return events


def kpi_documents(campaign: Campaign, as_of: dt.datetime | None = None,
                  computed_at: dt.datetime | None = None
                  ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
    """Every KPI document of the campaign as of ``as_of`` (default now: from the rollups,
    rebuilt first if the campaign was never rolled up), without storing."""
    now = computed_at or timezone.now()
    if as_of is None and not RollupRebuild.objects.filter(campaign=campaign).exists():
        kpi_rollups_rebuild(campaign_id=campaign.pk)
    data = gather(campaign, as_of or now, from_rollups=as_of is None)
    return Builder(data, now).build()


def kpis_recompute(*, campaign_id: int, as_of: dt.datetime | None = None) -> KpiSnapshot | None:
    """Recompute and store a campaign's KPI snapshots; returns the stored total (None when the
    campaign no longer exists). Idempotent; the previous rows stay until the new ones commit."""
    try:
        campaign = campaign_for_kpis(campaign_id)
    except Campaign.DoesNotExist:
        logger.info("KPI recompute skipped: campaign %s is gone", campaign_id)
        return None
    computed_at = timezone.now()
    documents = kpi_documents(campaign, as_of, computed_at)
    rows = [
        KpiSnapshot(campaign=campaign, scope=scope, key=key, as_of=doc_as_of,
                    computed_at=computed_at, data=document)
        for scope, key, doc_as_of, document in documents
    ]
    with transaction.atomic():
        # The row lock serialises two recomputes of one campaign (their deletes and inserts
        # would otherwise collide on the unique key).
        locked = Campaign.objects.select_for_update().filter(pk=campaign.pk)
        if not list(locked.values_list("pk", flat=True)):
            return None
        KpiSnapshot.objects.filter(campaign=campaign).delete()
        KpiSnapshot.objects.bulk_create(rows, batch_size=500)
    return rows[0]


# Every status but archived: the campaigns an organization-wide recompute covers by default.
LIVE_STATUSES: tuple[str, ...] = tuple(
    status for status in CampaignStatus.values if status != CampaignStatus.ARCHIVED
)


def campaigns_recompute(
    *, organization_id: int | None = None, statuses: Iterable[str] = LIVE_STATUSES,
    now: bool = False,
) -> int:
    """The one organization-wide (or, without ``organization_id``, install-wide) recompute,
    through ``schedule_kpi_recompute``; returns how many campaigns it covers. The nightly beat
    (active campaigns: only running ones need the day to roll on), an EMV rate card change
    (every live campaign: the rates re-value them all) and ``recompute_kpis`` without
    ``--campaign`` all come here.

    The rule for archived campaigns: an archived campaign is frozen, so neither the nightly
    nor an organization-wide recompute touches it; it is recomputed only when asked
    explicitly — by naming the status (the command passes every status), or by naming the
    campaign (its report page's or the API's recompute, the admin action,
    ``recompute_kpis --campaign ID``)."""
    campaigns = Campaign.objects.filter(status__in=list(statuses)).order_by("pk")
    if organization_id is not None:
        campaigns = campaigns.filter(brand__organization_id=organization_id)
    return len(schedule_kpi_recompute(campaigns.values_list("pk", flat=True), now=now))
