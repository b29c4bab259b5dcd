"""The KPI engine: gather a campaign's sums (``metrics.selectors``: ``frame``, ``inputs``,
``post_aggregates``, ``funnel_aggregates``), turn them into KPI documents
(``metrics.kpi_builder``, with the formulas of ``metrics.kpis``) and store them as KpiSnapshot
rows (``metrics.services.kpi_store``) — the total, one per partnership, one per platform and
one per day — replacing the campaign's previous rows in one transaction, so a worker killed
mid-way leaves the previous snapshot intact.

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
from typing import Any

from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from metrics import kpis
from metrics.emv_defaults import emv_rates_ensure
from metrics.fx import rate_table
from metrics.kpi_builder import Builder, CampaignData, Event
from metrics.models import CONVERSION_KINDS, KpiSnapshot, RollupRebuild
from metrics.post_vectors import post_vectors_split
from metrics.scheduling import schedule_kpi_recompute
from metrics.selectors.frame import frame_for
from metrics.selectors.funnel_aggregates import (
    ConversionRow,
    click_counts,
    conversion_rows,
    first_visit_days,
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
    rollup_conversion_rows,
    rollup_first_visit_days,
    rollup_post_vectors,
    rollup_sentiment_counts,
    rollup_unique_visitors,
    rollup_visit_counts,
)
from metrics.sentiment import comments_label_pending
from metrics.services.funnel_rollups import funnel_rollups_refresh
from metrics.services.kpi_store import kpi_documents_store
from metrics.services.rollup_rebuild import kpi_rollups_rebuild, rollup_frame
from metrics.signals import kpis_recomputed

logger = logging.getLogger(__name__)


# What a recompute reads, from raw rows (as of any instant) or from the daily rollups (as of
# now), besides the post sums: comments, clicks, visits, first-seen visitors, conversions.
RAW_READS = (sentiment_counts, click_counts, visit_counts,
             first_visit_days, unique_visitors_by_partnership, conversion_rows)
ROLLUP_READS = (rollup_sentiment_counts, rollup_click_counts,
                rollup_visit_counts, rollup_first_visit_days, rollup_unique_visitors,
                rollup_conversion_rows)


def gather(campaign: Campaign, as_of: dt.datetime, *, from_rollups: bool = False
           ) -> CampaignData:
    """All the SQL of a recompute: a fixed number of queries whatever the campaign's size.
    ``from_rollups``: the day-bucketed sums come from the daily rollups (a recompute as of
    now) instead of raw rows (a recompute as of a past instant, and the tests' oracle)."""
    organization = campaign.brand.organization
    comments_label_pending(queryset=unlabelled_comments(campaign))
    emv_rates_ensure(organization=organization)
    card = kpis.RateCard()
    for platform, metric, value, source in emv_rates(organization):
        card.rates.setdefault(platform, {})[metric] = (value, source)
    frame = frame_for(campaign, as_of)
    sentiments, clicks, visits, first_visits, visitors, conversions = (
        ROLLUP_READS if from_rollups else RAW_READS
    )
    posts = (rollup_post_vectors(campaign, frame) if from_rollups
             else post_vectors_split(post_metric_deltas(campaign, frame)))
    events = _funnel_events(campaign, clicks(campaign, frame), visits(campaign, frame),
                            conversions(campaign, frame))
    return CampaignData(
        campaign=campaign,
        frame=frame,
        card=card,
        partnerships=partnerships_of(campaign),
        post_vectors=posts,
        post_count_rows=post_counts(campaign, frame),
        sentiment_rows=sentiments(campaign, frame),
        events=events,
        first_visits=first_visits(campaign, frame),
        unique_visitors=visitors(campaign, frame),
        costs=costs_of(campaign),
        followers=brand_followers(campaign, frame),
        targets=targets_of(campaign),
        overlapping=overlapping_campaigns(campaign),
    )


def _funnel_events(campaign: Campaign,
                   click_rows: Iterable[tuple[dt.date, int, int, int]],
                   visit_rows: Iterable[tuple[dt.date, int, int]],
                   conversion_rows: list[ConversionRow]) -> list[Event]:
    """One event per (day, partnership): every row of that day and partnership summed into
    it, so the builder's work is bounded by days × partnerships, whatever the rows' detail."""
    sums: dict[tuple[dt.date | None, int], kpis.FunnelSums] = defaultdict(kpis.FunnelSums)
    for day, partnership, clicks, unique in click_rows:
        funnel = sums[(day, partnership)]
        funnel.clicks += clicks
        funnel.unique_clicks += unique
    for day, partnership, visits in visit_rows:
        sums[(day, partnership)].visits += visits

    currencies = {row[4] for row in conversion_rows} | {campaign.currency}
    rates = rate_table(currencies, {row[5] for row in conversion_rows})
    for day, partnership, source, kind, currency, rate_day, count, amount in conversion_rows:
        funnel = sums[(day, partnership)]
        if kind in CONVERSION_KINDS:
            funnel.by_source[source] += count
            converted = rates.convert(amount, currency, campaign.currency, rate_day)
            if converted is None:
                funnel.excluded_other_currency += count
            else:
                funnel.revenue += converted
        else:
            funnel.leads += count
    return [Event(day, partnership, funnel) for (day, partnership), funnel in sums.items()]


def kpi_documents(campaign: Campaign, as_of: dt.datetime | None = None,
                  computed_at: dt.datetime | None = None
                  ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
    """Every KPI document of the campaign as of ``as_of`` (default now: from the rollups,
    rebuilt first if the campaign was never rolled up), without storing."""
    now = computed_at or timezone.now()
    if as_of is None:
        if not RollupRebuild.objects.filter(campaign=campaign).exists():
            kpi_rollups_rebuild(campaign_id=campaign.pk)
        funnel_rollups_refresh(campaign, rollup_frame(campaign))
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
    total = kpi_documents_store(campaign=campaign, documents=documents,
                                computed_at=computed_at)
    if total is not None:
        kpis_recomputed.send(sender=kpis_recompute, campaign_id=campaign.pk)
    return total


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
