"""The KPI engine: gather a campaign's sums (``metrics.selectors``), turn them into KPI
documents (``metrics.kpis``) and store them as KpiSnapshot rows — the total, one per
partnership, one per platform and one per day — replacing the campaign's previous rows in one
transaction, so a worker killed mid-way leaves the previous snapshot intact.

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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from campaigns.models import COMMITTED_STATUSES, Campaign, CampaignStatus
from influencers.models import Platform
from metrics import kpis
from metrics import selectors as sel
from metrics.emv_defaults import emv_rates_ensure
from metrics.fx import rate_table
from metrics.models import CONVERSION_KINDS, KpiScope, KpiSnapshot
from metrics.scheduling import schedule_kpi_recompute
from metrics.sentiment import comments_label_pending

logger = logging.getLogger(__name__)

VECTOR_INDEX = {name: i for i, name in enumerate(sel.POST_VECTOR)}
Vector = list[int]
PLATFORM_LABELS = dict(Platform.choices)
COST_CATEGORY_KEYS = ("ad_spend", "production", "platform_fee", "other")


def _zero() -> Vector:
    return [0] * len(sel.POST_VECTOR)


def _add(into: Vector, values: Iterable[Any]) -> None:
    for i, value in enumerate(values):
        into[i] += int(value or 0)


def post_sums(vector: Vector, posts: int) -> kpis.PostSums:
    """A delta vector summed up to T → the post sums of the KPI formulas."""

    def value(q: str) -> int | None:
        return vector[VECTOR_INDEX[f"v_{q}"]] if vector[VECTOR_INDEX[f"n_{q}"]] > 0 else None

    return kpis.PostSums(
        posts=posts,
        values={c: value(c) for c in kpis.COUNTERS},
        reporting={c: vector[VECTOR_INDEX[f"n_{c}"]] for c in kpis.COUNTERS},
        impressions=value("imp_eff"),
        impressions_reporting=vector[VECTOR_INDEX["n_imp_eff"]],
        impressions_from_views=vector[VECTOR_INDEX["from_views"]],
        engagements_with_reach=value("eng_reach"),
        engagements_with_followers=value("eng_followers"),
        followers=value("followers"),
    )


@dataclass
class Event:
    """A change of the funnel sums on a local day (clicks, conversions, refunds, visits)."""

    day: dt.date | None
    partnership: int
    funnel: kpis.FunnelSums


@dataclass
class CampaignData:
    """Every sum of one campaign as of T, before it becomes documents."""

    campaign: Campaign
    frame: sel.Frame
    card: kpis.RateCard
    partnerships: list[dict[str, Any]]
    post_rows: list[tuple[Any, ...]]
    post_count_rows: list[tuple[dt.date | None, int, str, int]]
    sentiment_rows: list[tuple[dt.date, int, str, str, int]]
    events: list[Event]
    first_visits: list[tuple[dt.date, int]]
    unique_visitors: dict[int, int]
    costs: list[tuple[int | None, str, dt.date, Decimal]]
    followers: sel.BrandFollowers
    targets: list[tuple[str, Decimal]]
    overlapping: list[dict[str, Any]]
    platforms_with_rates: set[str] = field(default_factory=set)


def gather(campaign: Campaign, as_of: dt.datetime) -> CampaignData:
    """All the SQL of a recompute: a fixed number of queries whatever the campaign's size."""
    organization = campaign.brand.organization
    comments_label_pending(queryset=sel.unlabelled_comments(campaign))
    emv_rates_ensure(organization=organization)
    card = kpis.RateCard()
    for platform, metric, value, source in sel.emv_rates(organization):
        card.rates.setdefault(platform, {})[metric] = (value, source)
    frame = sel.frame_for(campaign, as_of)
    events = _funnel_events(campaign, frame)
    return CampaignData(
        campaign=campaign,
        frame=frame,
        card=card,
        partnerships=sel.partnerships_of(campaign),
        post_rows=sel.post_metric_deltas(campaign, frame),
        post_count_rows=sel.post_counts(campaign, frame),
        sentiment_rows=sel.sentiment_counts(campaign, frame),
        events=events,
        first_visits=sel.first_visit_days(campaign, frame),
        unique_visitors=sel.unique_visitors_by_partnership(campaign, frame),
        costs=sel.costs_of(campaign),
        followers=sel.brand_followers(campaign, frame),
        targets=sel.targets_of(campaign),
        overlapping=sel.overlapping_campaigns(campaign),
    )


def _funnel_events(campaign: Campaign, frame: sel.Frame) -> list[Event]:
    events: list[Event] = []
    for day, partnership, clicks, unique in sel.click_counts(campaign, frame):
        events.append(Event(day, partnership, kpis.FunnelSums(clicks=clicks,
                                                              unique_clicks=unique)))
    for day, partnership, visits in sel.visit_counts(campaign, frame):
        events.append(Event(day, partnership, kpis.FunnelSums(visits=visits)))

    sums = sel.conversion_sums(campaign, frame)
    refunds = sel.refunded_conversions(campaign, frame)
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


# --- documents ------------------------------------------------------------------------------


@dataclass
class Totals:
    """Sums up to some instant: per (partnership, platform) posts, sentiment; per partnership
    funnel; plus distinct visitors of the whole campaign."""

    vectors: dict[tuple[int, str], Vector] = field(default_factory=lambda: defaultdict(_zero))
    posts: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    sentiment: dict[tuple[int, str], kpis.SentimentSums] = field(
        default_factory=lambda: defaultdict(kpis.SentimentSums)
    )
    funnel: dict[int, kpis.FunnelSums] = field(default_factory=lambda: defaultdict(
        kpis.FunnelSums))
    unique_visitors: int = 0

    def posts_by_platform(self, partnership: int | None = None) -> dict[str, kpis.PostSums]:
        vectors: dict[str, Vector] = defaultdict(_zero)
        counts: dict[str, int] = defaultdict(int)
        for (pid, platform), vector in self.vectors.items():
            if partnership is None or pid == partnership:
                _add(vectors[platform], vector)
        for (pid, platform), n in self.posts.items():
            if partnership is None or pid == partnership:
                counts[platform] += n
                vectors[platform]  # noqa: B018 — a platform with posts but no metrics yet
        return {p: post_sums(vectors[p], counts[p]) for p in vectors}

    def sentiment_of(self, partnership: int | None = None, platform: str | None = None
                     ) -> kpis.SentimentSums:
        total = kpis.SentimentSums()
        for (pid, pl), sums in self.sentiment.items():
            if (partnership is None or pid == partnership) and (platform is None or pl == platform):
                total = total + sums
        return total

    def funnel_of(self, partnership: int | None = None) -> kpis.FunnelSums:
        total = kpis.FunnelSums()
        for pid, sums in self.funnel.items():
            if partnership is None or pid == partnership:
                total = total + sums
        return total


def _sum_posts(by_platform: dict[str, kpis.PostSums]) -> kpis.PostSums:
    total = kpis.PostSums()
    for sums in by_platform.values():
        total = total + sums
    return total


class Builder:
    def __init__(self, data: CampaignData, computed_at: dt.datetime) -> None:
        self.data = data
        self.campaign = data.campaign
        self.frame = data.frame
        self.computed_at = computed_at
        self.rates = {p["pk"]: Decimal(p["commission_rate"]) for p in data.partnerships}
        self.days = self.frame.days

    # The frame's day for a bucket: before the start counts on the first day, after the last
    # day only in the totals (None = never in the series, but always in the totals).
    def _series_index(self, day: dt.date | None) -> int:
        if not self.days or day is None or day <= self.days[0]:
            return 0
        return (day - self.days[0]).days

    def _apply(self, totals: Totals, kind: str, row: Any) -> None:
        if kind == "post":
            _add(totals.vectors[(row[1], row[2])], row[3:])
        elif kind == "count":
            totals.posts[(row[1], row[2])] += row[3]
        elif kind == "sentiment":
            sums = totals.sentiment[(row[1], row[2])]
            if row[3] in ("positive", "neutral", "negative"):
                setattr(sums, row[3], getattr(sums, row[3]) + row[4])
        elif kind == "event":
            totals.funnel[row.partnership] = totals.funnel[row.partnership] + row.funnel
        elif kind == "visitor":
            totals.unique_visitors += row[1]

    def _stream(self) -> list[tuple[dt.date | None, str, Any]]:
        d = self.data
        items: list[tuple[dt.date | None, str, Any]] = []
        items += [(r[0], "post", r) for r in d.post_rows]
        items += [(r[0], "count", r) for r in d.post_count_rows]
        items += [(r[0], "sentiment", r) for r in d.sentiment_rows]
        items += [(e.day, "event", e) for e in d.events]
        items += [(r[0], "visitor", r) for r in d.first_visits]
        return items

    def build(self) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        """``(scope, key, as_of, document)`` for the total and every breakdown."""
        stream = self._stream()
        totals = Totals()
        for _, kind, row in stream:
            self._apply(totals, kind, row)
        totals.unique_visitors = sum(n for _, n in self.data.first_visits)
        result = [(KpiScope.TOTAL.value, "", self.frame.as_of, self.total_document(totals))]
        result += self.partnership_documents(totals)
        result += self.platform_documents(totals)
        result += self.day_documents(stream)
        return result

    # -- pieces --

    def _base(self, as_of: dt.datetime) -> dict[str, Any]:
        return {
            "campaign": self.campaign.pk,
            "stage": self.campaign.stage,
            "currency": self.campaign.currency,
            "as_of": as_of.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "headline": kpis.headline(self.campaign.stage),
            "targets": [],
        }

    def _costs(self, funnel_by_partnership: dict[int, kpis.FunnelSums], on: dt.date | None,
               partnership: int | None = None) -> kpis.CostSums:
        costs = kpis.CostSums()
        for p in self.data.partnerships:
            if partnership is not None and p["pk"] != partnership:
                continue
            if p["status"] in COMMITTED_STATUSES:
                costs.fees += p["fee"]
                costs.product += p["product_value"]
            revenue = funnel_by_partnership[p["pk"]].revenue if p["pk"] in \
                funnel_by_partnership else Decimal("0")
            costs.commission += kpis.commission(self.rates[p["pk"]], revenue)
        for pid, category, incurred_on, amount in self.data.costs:
            if partnership is not None and pid != partnership:
                continue
            if on is not None and incurred_on > on:
                continue
            if category in COST_CATEGORY_KEYS:
                setattr(costs, category, getattr(costs, category) + amount)
        return costs

    def _full_document(self, totals: Totals, as_of: dt.datetime, on: dt.date | None,
                       followers_until: dt.date) -> dict[str, Any]:
        by_platform = totals.posts_by_platform()
        funnel = totals.funnel_of()
        funnel.unique_visitors = totals.unique_visitors
        followers = self.data.followers
        document = self._base(as_of)
        document.update(
            kpis.all_groups(
                posts=_sum_posts(by_platform),
                posts_by_platform=by_platform,
                card=self.data.card,
                sentiment=totals.sentiment_of(),
                funnel=funnel,
                costs=self._costs(totals.funnel, on),
                followers_start=followers.total_on(self.frame.start),
                followers_end=followers.total_on(followers_until),
                overlapping=self.data.overlapping,
            )
        )
        document["targets"] = kpis.targets_progress(document, self.data.targets)
        return document

    def total_document(self, totals: Totals) -> dict[str, Any]:
        until = min(self.frame.end, self.frame.as_of_date)
        return self._full_document(totals, self.frame.as_of, None, until)

    def partnership_documents(self, totals: Totals
                              ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        result = []
        for p in self.data.partnerships:
            pid = p["pk"]
            by_platform = totals.posts_by_platform(pid)
            funnel = totals.funnel_of(pid)
            funnel.unique_visitors = self.data.unique_visitors.get(pid, 0)
            document = self._base(self.frame.as_of)
            document.update(key=str(pid), label=p["influencer__name"], partnership=pid)
            document.update(
                kpis.all_groups(
                    posts=_sum_posts(by_platform),
                    posts_by_platform=by_platform,
                    card=self.data.card,
                    sentiment=totals.sentiment_of(partnership=pid),
                    funnel=funnel,
                    costs=self._costs(totals.funnel, None, partnership=pid),
                    # Follower growth is brand-level: not split per creator.
                    followers_start=None,
                    followers_end=None,
                )
            )
            result.append((KpiScope.PARTNERSHIP.value, str(pid), self.frame.as_of, document))
        return result

    def platform_documents(self, totals: Totals
                           ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        result = []
        for platform, sums in sorted(totals.posts_by_platform().items()):
            document = self._base(self.frame.as_of)
            document.update(key=platform, label=PLATFORM_LABELS.get(platform, platform))
            document.update(
                kpis.post_groups(
                    sums, {platform: sums}, self.data.card,
                    totals.sentiment_of(platform=platform),
                )
            )
            result.append((KpiScope.PLATFORM.value, platform, self.frame.as_of, document))
        return result

    def day_documents(self, stream: list[tuple[dt.date | None, str, Any]]
                      ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        if not self.days:
            return []
        last = self.days[-1]
        per_day: dict[int, list[tuple[str, Any]]] = defaultdict(list)
        for day, kind, row in stream:
            if day is not None and day > last:
                continue  # after the series: only in the totals
            per_day[self._series_index(day)].append((kind, row))
        totals = Totals()
        result = []
        for index, day in enumerate(self.days):
            for kind, row in per_day.get(index, ()):
                self._apply(totals, kind, row)
            as_of = self.frame.day_end(day)
            document = self._full_document(totals, as_of, day, day)
            document.update(key=day.isoformat(), label=day.isoformat())
            result.append((KpiScope.DAY.value, day.isoformat(), as_of, document))
        return result


def kpi_documents(campaign: Campaign, as_of: dt.datetime | None = None,
                  computed_at: dt.datetime | None = None
                  ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
    """Every KPI document of the campaign as of ``as_of`` (default now), without storing."""
    now = computed_at or timezone.now()
    data = gather(campaign, as_of or now)
    return Builder(data, now).build()


def kpis_recompute(*, campaign_id: int, as_of: dt.datetime | None = None) -> KpiSnapshot | None:
    """Recompute and store a campaign's KPI snapshots; returns the stored total (None when the
    campaign no longer exists). Idempotent; the previous rows stay until the new ones commit."""
    try:
        campaign = sel.campaign_for_kpis(campaign_id)
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
