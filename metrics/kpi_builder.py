"""The KPI engine's document builder: a campaign's sums as of T (``CampaignData``, gathered by
``metrics.engine``) → the KPI document of the total, of each partnership, of each platform
and of each day of the series (``metrics.kpi_document`` fills the groups).

Post sums arrive as delta vectors (``metrics.selectors.post_aggregates.POST_VECTOR``), already
summed two ways (``PostVectors``): per (partnership, platform) over every day, for the totals,
and per (day, platform) over every partnership, for the series, where adding a day's vectors to
those before it gives the post sums as of that day. From the rollups SQL sums them; from raw
rows (a recompute as of a past instant) ``post_vectors_split`` does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation

from campaigns.models import COMMITTED_STATUSES, Campaign
from influencers.models import Platform
from metrics import kpis
from metrics.kpi_document import all_groups, post_groups, targets_progress
from metrics.kpis import POST_VECTOR
from metrics.models import KpiScope
from metrics.post_vectors import PostVectors, Vector, summed
from metrics.selectors.frame import Frame
from metrics.selectors.inputs import BrandFollowers

VECTOR_INDEX = {name: i for i, name in enumerate(POST_VECTOR)}
PLATFORM_LABELS = dict(Platform.choices)
COST_CATEGORY_KEYS = ("ad_spend", "production", "platform_fee", "other")


def _zero() -> Vector:
    return [0] * len(POST_VECTOR)


def _add(into: Vector, values: Iterable[int]) -> None:
    into[:] = [a + b for a, b in zip(into, values, strict=False)]


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
    frame: Frame
    card: kpis.RateCard
    partnerships: list[dict[str, Any]]
    post_vectors: PostVectors
    post_count_rows: list[tuple[dt.date | None, int, str, int]]
    sentiment_rows: list[tuple[dt.date, int, str, str, int]]
    events: list[Event]
    first_visits: list[tuple[dt.date, int]]
    unique_visitors: dict[int, int]
    costs: list[tuple[int | None, str, dt.date, Decimal]]
    followers: BrandFollowers
    targets: list[tuple[str, Decimal]]
    overlapping: list[dict[str, Any]]
    platforms_with_rates: set[str] = field(default_factory=set)


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
    # The same sums for the whole campaign, kept as rows are applied (a day's document reads
    # them instead of adding up every partnership again).
    campaign_vectors: dict[str, Vector] = field(default_factory=lambda: defaultdict(_zero))
    campaign_posts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    campaign_sentiment: dict[str, kpis.SentimentSums] = field(
        default_factory=lambda: defaultdict(kpis.SentimentSums)
    )
    campaign_funnel: kpis.FunnelSums = field(default_factory=kpis.FunnelSums)

    def posts_by_platform(self) -> dict[str, kpis.PostSums]:
        """The campaign's post sums per platform."""
        return _platform_sums(self.campaign_vectors, self.campaign_posts)

    def posts_by_partnership(self) -> dict[int, dict[str, kpis.PostSums]]:
        """Each partnership's post sums per platform (one pass over the keys)."""
        vectors: dict[int, dict[str, Vector]] = defaultdict(dict)
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for (pid, platform), vector in self.vectors.items():
            vectors[pid][platform] = vector
        for (pid, platform), n in self.posts.items():
            counts[pid][platform] = n
        return {pid: _platform_sums(vectors.get(pid, {}), counts.get(pid, {}))
                for pid in {*vectors, *counts}}

    def sentiment_of(self, platform: str | None = None) -> kpis.SentimentSums:
        """The campaign's comment sums, of one ``platform`` or all."""
        total = kpis.SentimentSums()
        for pl, sums in self.campaign_sentiment.items():
            if platform is None or pl == platform:
                total = total + sums
        return total

    def sentiment_by_partnership(self) -> dict[int, kpis.SentimentSums]:
        """Each partnership's comment sums, all platforms (one pass over the keys)."""
        result: dict[int, kpis.SentimentSums] = defaultdict(kpis.SentimentSums)
        for (pid, _), sums in self.sentiment.items():
            result[pid] = result[pid] + sums
        return result

    def funnel_of(self, partnership: int | None = None) -> kpis.FunnelSums:
        sums = (self.campaign_funnel if partnership is None
                else self.funnel.get(partnership, kpis.FunnelSums()))
        return kpis.FunnelSums() + sums  # a copy: the caller sets its unique visitors


def _platform_sums(vectors: dict[str, Vector], counts: dict[str, int]
                   ) -> dict[str, kpis.PostSums]:
    # A platform with posts but no metrics yet has sums too.
    platforms = [*vectors, *(p for p in counts if p not in vectors)]
    return {p: post_sums(vectors.get(p) or _zero(), counts.get(p, 0)) for p in platforms}


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
        if kind == "count":
            totals.posts[(row[1], row[2])] += row[3]
            totals.campaign_posts[row[2]] += row[3]
        elif kind == "sentiment":
            if row[3] in ("positive", "neutral", "negative", "unread"):
                for sums in (totals.sentiment[(row[1], row[2])],
                             totals.campaign_sentiment[row[2]]):
                    setattr(sums, row[3], getattr(sums, row[3]) + row[4])
        elif kind == "visitor":
            totals.unique_visitors += row[1]

    def _stream(self) -> list[tuple[dt.date | None, str, Any]]:
        """Post counts, comment labels and first visits by day (funnel events are summed
        apart: they are the most numerous, and a day's document needs only their campaign
        sums and each partnership's revenue)."""
        d = self.data
        items: list[tuple[dt.date | None, str, Any]] = []
        items += [(r[0], "count", r) for r in d.post_count_rows]
        items += [(r[0], "sentiment", r) for r in d.sentiment_rows]
        items += [(r[0], "visitor", r) for r in d.first_visits]
        return items

    def build(self) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        """``(scope, key, as_of, document)`` for the total and every breakdown."""
        stream = self._stream()
        totals = Totals()
        for key, vector in self.data.post_vectors.totals.items():
            totals.vectors[key] = list(vector)
            _add(totals.campaign_vectors[key[1]], vector)
        for _, kind, row in stream:
            self._apply(totals, kind, row)
        for event in self.data.events:
            totals.funnel[event.partnership] += event.funnel
        for funnel in totals.funnel.values():
            totals.campaign_funnel += funnel
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

    def _commission(self, funnel_by_partnership: dict[int, kpis.FunnelSums], pid: int
                    ) -> Decimal:
        """One partnership's commission on its counted revenue so far."""
        funnel = funnel_by_partnership.get(pid)
        return kpis.commission(self.rates[pid], funnel.revenue if funnel else Decimal("0"))

    def _campaign_commission(self, funnel_by_partnership: dict[int, kpis.FunnelSums]
                             ) -> Decimal:
        """Every partnership's commission, summed (each is rounded to the cent on its own)."""
        return sum((self._commission(funnel_by_partnership, p["pk"])
                    for p in self.data.partnerships), Decimal("0"))

    def _costs(self, commission: Decimal, on: dt.date | None,
               partnership: dict[str, Any] | None = None) -> kpis.CostSums:
        """The costs of the campaign, or of one partnership (its row of ``data.partnerships``),
        given their ``commission``."""
        costs = kpis.CostSums(commission=commission)
        pid = None if partnership is None else partnership["pk"]
        for p in self.data.partnerships if partnership is None else [partnership]:
            if p["status"] in COMMITTED_STATUSES:
                costs.fees += p["fee"]
                costs.product += p["product_value"]
        for cost_pid, category, incurred_on, amount in self.data.costs:
            if pid is not None and cost_pid != pid:
                continue
            if on is not None and incurred_on > on:
                continue
            if category in COST_CATEGORY_KEYS:
                setattr(costs, category, getattr(costs, category) + amount)
        return costs

    def _full_document(self, totals: Totals, as_of: dt.datetime, on: dt.date | None,
                       followers_until: dt.date, commission: Decimal) -> dict[str, Any]:
        by_platform = totals.posts_by_platform()
        funnel = totals.funnel_of()
        funnel.unique_visitors = totals.unique_visitors
        followers = self.data.followers
        document = self._base(as_of)
        document.update(
            all_groups(
                posts=_sum_posts(by_platform),
                posts_by_platform=by_platform,
                card=self.data.card,
                sentiment=totals.sentiment_of(),
                funnel=funnel,
                costs=self._costs(commission, on),
                followers_start=followers.total_on(self.frame.start),
                followers_end=followers.total_on(followers_until),
                overlapping=self.data.overlapping,
            )
        )
        document["targets"] = targets_progress(document, self.data.targets)
        return document

    def total_document(self, totals: Totals) -> dict[str, Any]:
        until = min(self.frame.end, self.frame.as_of_date)
        return self._full_document(totals, self.frame.as_of, None, until,
                                   self._campaign_commission(totals.funnel))

    def partnership_documents(self, totals: Totals
                              ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        result = []
        posts_of = totals.posts_by_partnership()
        sentiment_of = totals.sentiment_by_partnership()
        for p in self.data.partnerships:
            pid = p["pk"]
            by_platform = posts_of.get(pid, {})
            funnel = totals.funnel_of(pid)
            funnel.unique_visitors = self.data.unique_visitors.get(pid, 0)
            document = self._base(self.frame.as_of)
            document.update(key=str(pid), label=p["influencer__name"], partnership=pid)
            document.update(
                all_groups(
                    posts=_sum_posts(by_platform),
                    posts_by_platform=by_platform,
                    card=self.data.card,
                    sentiment=sentiment_of.get(pid, kpis.SentimentSums()),
                    funnel=funnel,
                    costs=self._costs(self._commission(totals.funnel, pid), None,
                                      partnership=p),
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
            # Stored documents name platforms in English, as a plain string (pages translate).
            with translation.override("en"):
                label = str(PLATFORM_LABELS.get(platform, platform))
            document.update(key=platform, label=label)
            document.update(
                post_groups(
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
        # A day's document is campaign-wide: its post deltas only per platform.
        posts: dict[int, dict[str, list[Vector]]] = defaultdict(lambda: defaultdict(list))
        for day, platform, vector in self.data.post_vectors.days:
            if day is None or day <= last:
                posts[self._series_index(day)][platform].append(vector)
        # Funnel events: the campaign's sums per day, and the revenue they move per partnership.
        funnels: dict[int, kpis.FunnelSums] = defaultdict(kpis.FunnelSums)
        revenue_moves: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for event in self.data.events:
            if event.day is not None and event.day > last:
                continue
            index = self._series_index(event.day)
            funnels[index] += event.funnel
            if event.funnel.revenue:
                revenue_moves[index].append((event.partnership, event.funnel.revenue))
        totals = Totals()
        # The campaign's commission, kept as orders move partnerships' revenue.
        revenue: dict[int, Decimal] = defaultdict(Decimal)
        commissions = {p["pk"]: kpis.commission(self.rates[p["pk"]], Decimal("0"))
                       for p in self.data.partnerships}
        commission = sum(commissions.values(), Decimal("0"))
        result = []
        for index, day in enumerate(self.days):
            for platform, deltas in posts.get(index, {}).items():
                _add(totals.campaign_vectors[platform], summed(deltas))
            for kind, row in per_day.get(index, ()):
                self._apply(totals, kind, row)
            if index in funnels:
                totals.campaign_funnel += funnels[index]
            for pid, amount in revenue_moves.get(index, ()):
                revenue[pid] += amount
                if pid in commissions:
                    now = kpis.commission(self.rates[pid], revenue[pid])
                    commission += now - commissions[pid]
                    commissions[pid] = now
            as_of = self.frame.day_end(day)
            document = self._full_document(totals, as_of, day, day, commission)
            document.update(key=day.isoformat(), label=day.isoformat())
            result.append((KpiScope.DAY.value, day.isoformat(), as_of, document))
        return result
