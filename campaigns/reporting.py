"""What the campaign report shows, computed from KPI documents (pure: no Django, no ORM).

The KPI engine stores one document per scope (campaign total, partnership, platform, day) with
DESIGN.md's group and field names. These functions turn documents into what a page shows: the
nine KPI cards (headline groups first), the change over the last days, the funnel, chart
series, a sortable leaderboard and insight lines. Values a platform did not report stay
``None`` and are shown as "—".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

Doc = Mapping[str, Any]

# How a value is shown: a count, money in the campaign currency, a percentage, a multiple.
COUNT, MONEY, PERCENT, MULTIPLE = "count", "money", "percent", "multiple"


@dataclass(frozen=True)
class KpiSpec:
    group: str
    title: str
    field: str
    kind: str
    formula: str
    # Other fields shown under the main value: (field, label, kind).
    details: tuple[tuple[str, str, str], ...] = ()
    # The coverage counter that says how many posts fed this KPI, if it is post-based.
    coverage_field: str | None = None


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "awareness", "Brand awareness", "impressions", COUNT,
        "Σ impressions over the posts (views where a platform reports no impressions)",
        (("reach", "Reach", COUNT), ("video_views", "Video views", COUNT)),
        "impressions",
    ),
    KpiSpec(
        "engagement", "Engagement rate", "engagement_rate", PERCENT,
        "(likes + comments + shares + saves) ÷ reach × 100, over posts that report reach",
        (
            ("engagements", "Engagements", COUNT),
            ("engagement_rate_followers", "Rate by followers", PERCENT),
        ),
        "reach",
    ),
    KpiSpec(
        "conversion", "Conversions", "conversions", COUNT,
        "Counted sales, demos and trials; conversion rate = link and UTM conversions ÷ "
        "unique clicks × 100",
        (("revenue", "Revenue", MONEY), ("conversion_rate", "Conversion rate", PERCENT)),
    ),
    KpiSpec(
        "audience_growth", "Audience growth", "followers_gained", COUNT,
        "Brand followers at the end − at the start; growth rate = gained ÷ start × 100",
        (("growth_rate", "Growth rate", PERCENT), ("leads", "Leads", COUNT)),
    ),
    KpiSpec(
        "ctr", "Click-through rate", "ctr", PERCENT,
        "Clicks on the campaign's links ÷ impressions × 100",
        (("clicks", "Clicks", COUNT), ("unique_clicks", "Unique clicks", COUNT)),
    ),
    KpiSpec(
        "traffic", "Traffic", "visits", COUNT,
        "Site visits attributed to the campaign; visit conversion = link and UTM "
        "conversions ÷ visits × 100",
        (
            ("unique_visitors", "Unique visitors", COUNT),
            ("visit_conversion_rate", "Visit conversion", PERCENT),
        ),
    ),
    KpiSpec(
        "emv", "Earned media value", "total", MONEY,
        "Σ posts Σ metric reported value × rate (platform, metric); exposures per 1,000",
    ),
    KpiSpec(
        "roi", "Return on investment", "roi", PERCENT,
        "(revenue − total cost) ÷ total cost × 100; ROAS = revenue ÷ total cost",
        (("roas", "ROAS", MULTIPLE), ("total_cost", "Total cost", MONEY), ("cpa", "CPA", MONEY)),
    ),
    KpiSpec(
        "sentiment", "Brand sentiment", "net_sentiment", PERCENT,
        "(positive − negative comments) ÷ all comments × 100 (VADER compound ±0.05)",
        (("positive", "Positive", COUNT), ("negative", "Negative", COUNT), ("total", "Comments", COUNT)),
    ),
)
KPI_BY_GROUP = {spec.group: spec for spec in KPIS}


# --- Reading values ---------------------------------------------------------------------------
def number(value: Any) -> float | None:
    """A document value as a float (money arrives as a decimal string); None stays None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def value_at(doc: Doc | None, path: str) -> Any:
    """``doc["awareness"]["impressions"]`` for ``path`` ``awareness.impressions``."""
    current: Any = doc
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


# --- Formatting -------------------------------------------------------------------------------
def format_value(value: Any, kind: str, currency: str = "") -> str:
    """How a KPI value reads on the page; "—" when it is not known."""
    num = number(value)
    if num is None:
        return "—"
    if kind == MONEY:
        text = f"{num:,.2f}"
        return f"{text} {currency}".strip()
    if kind == PERCENT:
        return f"{num:,.2f}%"
    if kind == MULTIPLE:
        return f"{num:,.2f}×"
    if abs(num - round(num)) < 1e-9:
        return f"{round(num):,}"
    return f"{num:,.2f}"


def compact(value: Any) -> str:
    """Short form for tight spots: 1.2M, 34.5k."""
    num = number(value)
    if num is None:
        return "—"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(num) >= size:
            return f"{num / size:.1f}{suffix}"
    return f"{num:,.0f}" if abs(num - round(num)) < 1e-9 else f"{num:,.2f}"


# --- Change over time -------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    delta: float
    relative: float | None  # percent change of a count or money; None for rates
    kind: str
    days: int

    @property
    def direction(self) -> str:
        if self.delta > 0:
            return "up"
        if self.delta < 0:
            return "down"
        return "flat"

    @property
    def text(self) -> str:
        sign = "+" if self.delta > 0 else ("−" if self.delta < 0 else "±")
        size = abs(self.delta)
        if self.kind == PERCENT:
            # Small rates move in hundredths: show two significant digits rather than "0.00".
            body = f"{size:.2g}" if 0 < size < 0.01 else f"{size:,.2f}"
            return f"{sign}{body} pts in {self.days} days"
        if self.kind == MULTIPLE:
            return f"{sign}{size:,.2f}× in {self.days} days"
        body = f"{size:,.2f}" if self.kind == MONEY else f"{size:,.0f}"
        if self.relative is not None:
            return f"{sign}{body} ({sign}{abs(self.relative):,.1f}%) in {self.days} days"
        return f"{sign}{body} in {self.days} days"


def change_over(days_docs: Sequence[Doc], path: str, kind: str, days: int = 7) -> Change | None:
    """Change of ``path`` between the last day of the (cumulative, date-ordered) series and the
    day ``days`` earlier (or the first day when the series is shorter). None without data."""
    if len(days_docs) < 2:
        return None
    last = number(value_at(days_docs[-1], path))
    earlier = number(value_at(days_docs[max(0, len(days_docs) - 1 - days)], path))
    if last is None or earlier is None:
        return None
    delta = last - earlier
    relative = None
    if kind in (COUNT, MONEY) and earlier:
        relative = delta / abs(earlier) * 100
    span = min(days, len(days_docs) - 1)
    return Change(delta=delta, relative=relative, kind=kind, days=span)


# --- Targets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetProgress:
    metric: str
    label: str
    target: float
    actual: float | None
    kind: str
    currency: str

    @property
    def percent(self) -> float | None:
        """Progress towards the target, in percent (may pass 100)."""
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target * 100

    @property
    def meter_value(self) -> float:
        """For a <meter> from 0 to 100, clamped."""
        pct = self.percent
        return 0.0 if pct is None else max(0.0, min(100.0, pct))

    @property
    def met(self) -> bool:
        return self.percent is not None and self.percent >= 100

    @property
    def text(self) -> str:
        actual = format_value(self.actual, self.kind, self.currency)
        target = format_value(self.target, self.kind, self.currency)
        pct = self.percent
        share = "" if pct is None else f" ({pct:,.0f}%)"
        return f"{actual} of {target}{share}"


def metric_kind(metric: str) -> str:
    group, _, name = metric.partition(".")
    if name in ("revenue", "total", "total_cost", "cpm", "cpe", "cpc", "cpa"):
        return MONEY
    if name in ("roas",):
        return MULTIPLE
    if name.endswith("rate") or name in ("ctr", "roi", "net_sentiment", "growth_rate"):
        return PERCENT
    return COUNT


def targets_of(doc: Doc | None, labels: Mapping[str, str] | None = None) -> list[TargetProgress]:
    """The document's targets with their progress (computed from target and actual, so a
    missing or differently scaled ``progress`` field cannot mislead)."""
    currency = str((doc or {}).get("currency") or "")
    found = []
    for item in (doc or {}).get("targets") or []:
        metric = str(item.get("metric", ""))
        target = number(item.get("target"))
        if not metric or target is None:
            continue
        actual = number(item.get("actual"))
        if actual is None:
            actual = number(value_at(doc, metric))
        found.append(
            TargetProgress(
                metric=metric,
                label=(labels or {}).get(metric, metric.replace("_", " ").replace(".", " · ")),
                target=target,
                actual=actual,
                kind=metric_kind(metric),
                currency=currency,
            )
        )
    return found


# --- Cards ------------------------------------------------------------------------------------
@dataclass
class Card:
    spec: KpiSpec
    value: Any
    display: str
    headline: bool
    details: list[tuple[str, str]] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)
    change: Change | None = None
    coverage: str = ""

    @property
    def group(self) -> str:
        return self.spec.group

    @property
    def missing(self) -> bool:
        return number(self.value) is None


def coverage_text(doc: Doc | None, spec: KpiSpec) -> str:
    coverage = (doc or {}).get("coverage") or {}
    posts = coverage.get("posts")
    if spec.coverage_field is None or posts is None:
        return ""
    reporting = coverage.get(spec.coverage_field)
    if reporting is None:
        return f"{posts} post{'s' if posts != 1 else ''}"
    text = f"{reporting} of {posts} post{'s' if posts != 1 else ''} report {spec.coverage_field}"
    from_views = coverage.get("impressions_from_views")
    if spec.group == "awareness" and from_views:
        text += f"; {from_views} counted by views"
    return text


def kpi_cards(
    doc: Doc | None,
    days_docs: Sequence[Doc] = (),
    labels: Mapping[str, str] | None = None,
    days: int = 7,
) -> list[Card]:
    """The nine KPI cards, the stage's headline groups first (in the stage's order)."""
    currency = str((doc or {}).get("currency") or "")
    headline = list((doc or {}).get("headline") or [])
    targets = targets_of(doc, labels)
    cards = []
    for spec in KPIS:
        path = f"{spec.group}.{spec.field}"
        value = value_at(doc, path)
        cards.append(
            Card(
                spec=spec,
                value=value,
                display=format_value(value, spec.kind, currency),
                headline=spec.group in headline,
                details=[
                    (label, format_value(value_at(doc, f"{spec.group}.{name}"), kind, currency))
                    for name, label, kind in spec.details
                ],
                targets=[t for t in targets if t.metric.split(".")[0] == spec.group],
                change=change_over(days_docs, path, spec.kind, days),
                coverage=coverage_text(doc, spec),
            )
        )
    order = {group: i for i, group in enumerate(headline)}
    cards.sort(key=lambda c: (0, order[c.group]) if c.group in order else (1, 0))
    return cards


# --- Funnel -----------------------------------------------------------------------------------
FUNNEL_STEPS = (
    ("Impressions", "awareness.impressions"),
    ("Clicks", "ctr.clicks"),
    ("Visits", "traffic.visits"),
    ("Leads", "audience_growth.leads"),
    ("Conversions", "conversion.conversions"),
)


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: float | None
    display: str
    from_previous: str  # "3.20% of clicks" style step rate, or ""
    points: str  # SVG polygon points of the trapezoid
    text_y: float


def funnel(doc: Doc | None, width: float = 600, step_height: float = 56) -> list[FunnelStep]:
    """The funnel as SVG trapezoids, one per step that this campaign has (a step that is 0 or
    unknown while a later step is not — leads in a sales campaign — is left out). Widths follow
    a log scale so a 1M → 40 funnel still shows every step, never wider than the step above;
    the step-to-step rate is printed so the scale does not mislead."""
    import math

    values = [(label, number(value_at(doc, path))) for label, path in FUNNEL_STEPS]
    kept = [
        (label, value)
        for i, (label, value) in enumerate(values)
        if (value or 0) > 0 or not any((later or 0) > 0 for _, later in values[i + 1:])
    ]
    top = max((v for _, v in kept if v), default=0.0)
    min_share = 0.3

    def share(v: float | None) -> float:
        if v is None or v <= 0 or top <= 0:
            return min_share
        return max(min_share, math.log10(v + 1) / math.log10(top + 1))

    shares: list[float] = []
    for _, value in kept:
        shares.append(min(share(value), shares[-1]) if shares else share(value))
    steps = []
    for i, (label, value) in enumerate(kept):
        upper = shares[i] * width
        lower = shares[i + 1] * width if i + 1 < len(kept) else upper * 0.8
        y0, y1 = i * step_height, (i + 1) * step_height - 4
        cx = width / 2
        points = (
            f"{cx - upper / 2:.1f},{y0:.1f} {cx + upper / 2:.1f},{y0:.1f} "
            f"{cx + lower / 2:.1f},{y1:.1f} {cx - lower / 2:.1f},{y1:.1f}"
        )
        previous = kept[i - 1] if i else None
        rate = ""
        if previous is not None and value is not None and previous[1]:
            rate = f"{value / previous[1] * 100:,.2f}% of {previous[0].lower()}"
        steps.append(
            FunnelStep(
                label=label, value=value, display=format_value(value, COUNT),
                from_previous=rate, points=points, text_y=(y0 + y1) / 2 + 5,
            )
        )
    return steps


# --- Charts -----------------------------------------------------------------------------------
CHART_SERIES = (
    ("impressions", "Impressions", "awareness.impressions"),
    ("engagements", "Engagements", "engagement.engagements"),
    ("clicks", "Clicks", "ctr.clicks"),
    ("conversions", "Conversions", "conversion.conversions"),
    ("revenue", "Revenue", "conversion.revenue"),
)


def chart_data(days: Sequence[tuple[str, Doc]]) -> dict[str, Any]:
    """``{"labels": [dates], "series": [{"key", "label", "data"}]}`` for Chart.js."""
    return {
        "labels": [day for day, _ in days],
        "series": [
            {"key": key, "label": label, "data": [number(value_at(doc, path)) for _, doc in days]}
            for key, label, path in CHART_SERIES
        ],
    }


# --- Leaderboard ------------------------------------------------------------------------------
LEADERBOARD_COLUMNS = {
    "emv": ("EMV", "emv.total", MONEY),
    "engagement_rate": ("Eng. rate", "engagement.engagement_rate", PERCENT),
    "ctr": ("CTR", "ctr.ctr", PERCENT),
    "conversions": ("Conversions", "conversion.conversions", COUNT),
    "revenue": ("Revenue", "conversion.revenue", MONEY),
    "roi": ("ROI", "roi.roi", PERCENT),
    "cpa": ("CPA", "roi.cpa", MONEY),
}
# Lower is better for a cost per action; everything else sorts best-first descending.
ASCENDING_BY_DEFAULT = {"cpa"}


def sort_rows(
    rows: Iterable[Mapping[str, Any]], key: str, descending: bool | None = None
) -> list[Mapping[str, Any]]:
    """Rows (each with a ``doc``) sorted by a leaderboard column; unknown values always last."""
    if key not in LEADERBOARD_COLUMNS:
        key = "emv"
    path = LEADERBOARD_COLUMNS[key][1]
    if descending is None:
        descending = key not in ASCENDING_BY_DEFAULT
    rows = list(rows)
    known = [r for r in rows if number(value_at(r["doc"], path)) is not None]
    unknown = [r for r in rows if number(value_at(r["doc"], path)) is None]
    known.sort(key=lambda r: number(value_at(r["doc"], path)) or 0.0, reverse=descending)
    return known + unknown


# --- Insights ---------------------------------------------------------------------------------
def _growth(days_docs: Sequence[Doc], path: str, days: int) -> tuple[float, float] | None:
    """(gained in the last ``days``, gained in the ``days`` before) of a cumulative series."""
    if len(days_docs) < 2 * days + 1:
        return None
    series = [number(value_at(d, path)) for d in days_docs]
    a, b, c = series[-1], series[-1 - days], series[-1 - 2 * days]
    if a is None or b is None or c is None:
        return None
    return a - b, b - c


def insights(doc: Doc | None, days_docs: Sequence[Doc] = (), days: int = 7) -> list[str]:
    """Plain-language lines where the numbers show something a marketer should act on."""
    found: list[str] = []
    visits = _growth(days_docs, "traffic.visits", days)
    sales = _growth(days_docs, "conversion.conversions", days)
    if visits and sales:
        (v_now, v_before), (s_now, s_before) = visits, sales
        if v_before > 0 and v_now >= v_before * 1.2 and s_now <= s_before:
            found.append(
                f"Traffic is up {(v_now / v_before - 1) * 100:,.0f}% over the last {days} days "
                "but conversions are flat — optimise the landing page (offer, speed, checkout)."
            )
    ctr = number(value_at(doc, "ctr.ctr"))
    er = number(value_at(doc, "engagement.engagement_rate"))
    if ctr is not None and er is not None and er >= 3 and ctr < 0.5:
        found.append(
            f"People engage ({er:,.2f}%) but few click ({ctr:,.2f}%) — make the call to action "
            "and the link more prominent (link in bio, stickers, pinned comment)."
        )
    clicks = number(value_at(doc, "ctr.unique_clicks"))
    visit_count = number(value_at(doc, "traffic.visits"))
    if clicks and clicks >= 50 and visit_count is not None and visit_count < clicks * 0.5:
        found.append(
            f"Only {visit_count:,.0f} visits were recorded for {clicks:,.0f} unique clicks — "
            "check that the site pixel is installed on the landing page."
        )
    roi = number(value_at(doc, "roi.roi"))
    conversions = number(value_at(doc, "conversion.conversions"))
    if roi is not None and roi < 0 and conversions:
        found.append(
            f"Spend outpaces revenue (ROI {roi:,.1f}%) — shift budget to the creators with the "
            "best ROI in the leaderboard."
        )
    net = number(value_at(doc, "sentiment.net_sentiment"))
    total = number(value_at(doc, "sentiment.total")) or 0
    if net is not None and total >= 20 and net < 0:
        found.append(
            f"Comments lean negative (net {net:,.0f}) — read the negative samples below "
            "before scaling the campaign."
        )
    return found


# --- EMV rates --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RateUsed:
    platform: str
    metric: str
    value: str
    source: str = ""

    @property
    def per_thousand(self) -> bool:
        return self.metric in ("impressions", "reach", "views")


def rates_used(doc: Doc | None) -> list[RateUsed]:
    """``emv.rates_used`` as rows, whether the engine stores a list of rate records,
    ``{platform: {metric: value}}`` or ``{"platform.metric": value}``."""
    raw = value_at(doc, "emv.rates_used")
    found: list[RateUsed] = []
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, Mapping) and item.get("platform") and item.get("metric"):
                found.append(
                    RateUsed(
                        str(item["platform"]), str(item["metric"]), str(item.get("value", "")),
                        str(item.get("source") or ""),
                    )
                )
    elif isinstance(raw, Mapping):
        for key, inner in raw.items():
            if isinstance(inner, Mapping):
                for metric, value in inner.items():
                    if isinstance(value, Mapping):
                        found.append(
                            RateUsed(str(key), str(metric), str(value.get("value", "")),
                                     str(value.get("source") or ""))
                        )
                    else:
                        found.append(RateUsed(str(key), str(metric), str(value)))
            else:
                platform, _, metric = str(key).partition(".")
                found.append(RateUsed(platform, metric, str(inner)))
    return sorted(found, key=lambda r: (r.platform, r.metric))


def share_percent(part: Any, whole: Any) -> float:
    """``part`` as a percentage of ``whole``, 0 when either is unknown or ``whole`` is 0."""
    p, w = number(part), number(whole)
    if p is None or not w:
        return 0.0
    return p / w * 100


def segments(values: Sequence[float], width: float = 100.0) -> list[tuple[float, float]]:
    """``(x, width)`` of each part of a horizontal stacked bar ``width`` wide."""
    total = sum(v for v in values if v > 0)
    out = []
    x = 0.0
    for v in values:
        w = (v / total * width) if total and v > 0 else 0.0
        out.append((round(x, 3), round(w, 3)))
        x += w
    return out
