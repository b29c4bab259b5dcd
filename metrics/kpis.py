"""The nine KPIs as pure functions (names and definitions: ``metrics.registry``). No Django.

The SQL aggregates (``metrics.selectors.post_aggregates``, ``metrics.selectors.funnel_aggregates``)
produce sums and counts, held here as ``PostSums``, ``FunnelSums``, ``SentimentSums`` and
``CostSums``; these formulas turn them into ratios, EMV and ROI, and ``metrics.kpi_document``
assembles them into the groups of the KPI document. Money is ``Decimal`` (rendered as a string
with 2 places), ratios are ``float`` or ``None`` when their denominator is 0 or unknown — never
0 and never an error. A sum over no reporting post is ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from metrics import registry

CENT = Decimal("0.01")
COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)
# Quantities tracked per post snapshot: each has a value delta and a "reporting" delta.
POST_QUANTITIES = (*COUNTERS, "imp_eff", "eng_reach", "eng_followers", "followers")
# Column layout of a post delta vector: v_<q>, n_<q> for each quantity, then from_views.
POST_VECTOR = (
    *(f"v_{q}" for q in POST_QUANTITIES),
    *(f"n_{q}" for q in POST_QUANTITIES),
    "from_views",
)
ENGAGEMENT_COUNTERS = ("likes", "comments", "shares", "saves")
# Valued per 1,000 on the EMV rate card.
PER_MILLE_METRICS = frozenset({"impressions", "reach", "views"})
SOURCES = ("promo_code", "link", "utm", "manual")
COST_KEYS = ("fees", "product", "commission", "ad_spend", "production", "platform_fee", "other")
# Group names and headline stages are the registry's (``metrics.registry``).
GROUPS = registry.KPI_GROUP_NAMES
HEADLINES: dict[str, tuple[str, ...]] = registry.HEADLINES
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

Number = int | float | Decimal


# --- formulas -------------------------------------------------------------------------------


def ratio(numerator: Number | None, denominator: Number | None, scale: int = 1) -> float | None:
    """``numerator / denominator × scale``; ``None`` when either side is unknown or the
    denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(Decimal(numerator) * scale / Decimal(denominator))


def percent(numerator: Number | None, denominator: Number | None) -> float | None:
    return ratio(numerator, denominator, 100)


def money(value: Decimal | None) -> str | None:
    """A money amount as the document shows it: a decimal string with 2 places."""
    if value is None:
        return None
    return str(round_cents(value))


def round_cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_ratio(numerator: Decimal | None, denominator: Number | None, scale: int = 1
                ) -> Decimal | None:
    """A cost per unit (CPM, CPE, CPC, CPA): money, so Decimal rounded to cents."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round_cents(Decimal(numerator) * scale / Decimal(denominator))


def sum_reported(values: Iterable[int | None]) -> int | None:
    """Σ of the reported values; ``None`` when none was reported."""
    reported = [v for v in values if v is not None]
    return sum(reported) if reported else None


def engagements(likes: int | None, comments: int | None, shares: int | None,
                saves: int | None) -> int | None:
    return sum_reported((likes, comments, shares, saves))


def engagement_rate(engagements_of_reach_posts: int | None, reach: int | None) -> float | None:
    """Engagements / reach × 100, both over the posts that report reach."""
    return percent(engagements_of_reach_posts, reach)


def engagement_rate_followers(engagements_of_posts: int | None, followers: int | None
                              ) -> float | None:
    return percent(engagements_of_posts, followers)


def click_through_rate(clicks: int | None, impressions: int | None) -> float | None:
    return percent(clicks, impressions)


def conversion_rate(link_and_utm_conversions: int, unique_clicks: int | None) -> float | None:
    return percent(link_and_utm_conversions, unique_clicks)


def visit_conversion_rate(link_and_utm_conversions: int, visits: int | None) -> float | None:
    return percent(link_and_utm_conversions, visits)


def growth_rate(followers_start: int | None, followers_end: int | None) -> float | None:
    if followers_start is None or followers_end is None:
        return None
    return percent(followers_end - followers_start, followers_start)


def emv_value(metric: str, value: int | None, rate: Decimal | None) -> Decimal:
    """Value of a reported metric at a rate; impressions, reach and views are priced per 1,000.
    An unreported metric or a pair missing from the rate card is worth 0."""
    if value is None or rate is None:
        return Decimal("0")
    amount = Decimal(value) * Decimal(rate)
    if metric in PER_MILLE_METRICS:
        amount /= 1000
    return amount


def emv(values: Mapping[str, int | None], rates: Mapping[str, Decimal]) -> Decimal:
    """EMV of one platform's metric sums at that platform's rates."""
    return sum((emv_value(m, values.get(m), rates.get(m)) for m in COUNTERS), Decimal("0"))


def roi(revenue: Decimal, total_cost: Decimal) -> float | None:
    if total_cost == 0:
        return None
    return float((Decimal(revenue) - total_cost) * 100 / total_cost)


def roas(revenue: Decimal, total_cost: Decimal) -> float | None:
    return ratio(revenue, total_cost)


def cpm(total_cost: Decimal, impressions: int | None) -> Decimal | None:
    return money_ratio(total_cost, impressions, 1000)


def cpe(total_cost: Decimal, engagements_: int | None) -> Decimal | None:
    return money_ratio(total_cost, engagements_)


def cpc(total_cost: Decimal, clicks: int | None) -> Decimal | None:
    return money_ratio(total_cost, clicks)


def cpa(total_cost: Decimal, conversions: int | None) -> Decimal | None:
    return money_ratio(total_cost, conversions)


def cpl(total_cost: Decimal, leads: int | None) -> Decimal | None:
    """Cost per lead (sign-up, download, registration, lead); ``None`` without leads."""
    return money_ratio(total_cost, leads)


def revenue_tracked(revenue: Decimal | None) -> bool:
    """Whether any counted conversion carries revenue. Without it, a campaign with costs has
    an ROI of −100 that says nothing (a sign-up campaign tracks no revenue by design)."""
    return revenue is not None and Decimal(revenue) != 0


def commission(rate_percent: Decimal, net_revenue: Decimal) -> Decimal:
    """A partnership's commission: its rate (percent) × its counted net revenue, in cents."""
    return round_cents(Decimal(rate_percent) * Decimal(net_revenue) / 100)


def net_sentiment(positive: int, negative: int, total: int) -> float | None:
    return percent(positive - negative, total)


def sentiment_label(compound: float) -> str:
    """VADER's conventional thresholds (Hutto & Gilbert, 2014)."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def progress(actual: Any, target: Decimal | float | None) -> float | None:
    """How far ``actual`` is toward ``target``, in percent; ``None`` when unknown."""
    if actual is None or target is None:
        return None
    try:
        value = Decimal(str(actual))
    except ArithmeticError:
        return None
    return percent(value, Decimal(str(target)))


def headline(stage: str) -> list[str]:
    return list(HEADLINES.get(stage, ()))


# --- sums coming from SQL -------------------------------------------------------------------


def _add_optional(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass
class PostSums:
    """Sums over a set of posts, each post counted at its latest non-NULL value per counter.

    ``values[c]`` is None when no post reports counter ``c``. ``impressions`` falls back to
    views per post; ``engagements_with_reach`` / ``engagements_with_followers`` are the
    engagements of the posts that report reach / have known followers."""

    posts: int = 0
    values: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(COUNTERS))
    reporting: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    impressions: int | None = None
    impressions_reporting: int = 0
    impressions_from_views: int = 0
    engagements_with_reach: int | None = None
    engagements_with_followers: int | None = None
    followers: int | None = None

    def __add__(self, other: PostSums) -> PostSums:
        return PostSums(
            posts=self.posts + other.posts,
            values={c: _add_optional(self.values[c], other.values[c]) for c in COUNTERS},
            reporting={c: self.reporting[c] + other.reporting[c] for c in COUNTERS},
            impressions=_add_optional(self.impressions, other.impressions),
            impressions_reporting=self.impressions_reporting + other.impressions_reporting,
            impressions_from_views=self.impressions_from_views + other.impressions_from_views,
            engagements_with_reach=_add_optional(
                self.engagements_with_reach, other.engagements_with_reach
            ),
            engagements_with_followers=_add_optional(
                self.engagements_with_followers, other.engagements_with_followers
            ),
            followers=_add_optional(self.followers, other.followers),
        )

    @property
    def engagements(self) -> int | None:
        return engagements(*(self.values[c] for c in ENGAGEMENT_COUNTERS))


@dataclass
class FunnelSums:
    """Clicks, counted conversions, leads and visits of a set of partnerships."""

    clicks: int = 0
    unique_clicks: int = 0
    by_source: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))
    revenue: Decimal = Decimal("0")
    excluded_other_currency: int = 0
    leads: int = 0
    visits: int = 0
    unique_visitors: int = 0

    @property
    def conversions(self) -> int:
        return sum(self.by_source.values())

    @property
    def link_and_utm(self) -> int:
        return self.by_source["link"] + self.by_source["utm"]

    def __add__(self, other: FunnelSums) -> FunnelSums:
        """Adds everything but ``unique_visitors`` (distinct counts don't add; the caller
        counts them in SQL for each scope)."""
        return FunnelSums(
            clicks=self.clicks + other.clicks,
            unique_clicks=self.unique_clicks + other.unique_clicks,
            by_source={s: self.by_source[s] + other.by_source[s] for s in SOURCES},
            revenue=self.revenue + other.revenue,
            excluded_other_currency=self.excluded_other_currency + other.excluded_other_currency,
            leads=self.leads + other.leads,
            visits=self.visits + other.visits,
            unique_visitors=self.unique_visitors,
        )

    def __iadd__(self, other: FunnelSums) -> FunnelSums:
        """``+``, in place (the engine adds thousands of day rows into running sums)."""
        self.clicks += other.clicks
        self.unique_clicks += other.unique_clicks
        for source, n in other.by_source.items():
            if n:
                self.by_source[source] += n
        self.revenue += other.revenue
        self.excluded_other_currency += other.excluded_other_currency
        self.leads += other.leads
        self.visits += other.visits
        return self


@dataclass
class SentimentSums:
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unread: int = 0  # in a language the model does not read: outside the total

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    def __add__(self, other: SentimentSums) -> SentimentSums:
        return SentimentSums(
            self.positive + other.positive,
            self.neutral + other.neutral,
            self.negative + other.negative,
            self.unread + other.unread,
        )


@dataclass
class CostSums:
    fees: Decimal = Decimal("0")
    product: Decimal = Decimal("0")
    commission: Decimal = Decimal("0")
    ad_spend: Decimal = Decimal("0")
    production: Decimal = Decimal("0")
    platform_fee: Decimal = Decimal("0")
    other: Decimal = Decimal("0")

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, f.name) for f in fields(self)), Decimal("0"))

    def __add__(self, other: CostSums) -> CostSums:
        return CostSums(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                           for f in fields(self)})


@dataclass
class RateCard:
    """``rates[platform][metric] = (value, source)``."""

    rates: dict[str, dict[str, tuple[Decimal, str]]] = field(default_factory=dict)

    def for_platform(self, platform: str) -> dict[str, Decimal]:
        return {m: v for m, (v, _) in self.rates.get(platform, {}).items()}
