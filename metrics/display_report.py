"""KPI documents → the report's funnel, chart series, leaderboard, insight lines and EMV rates
(no ORM: of Django only ``django.utils.translation``). The paths and labels come from
``metrics.registry``; the module's tuples keep its English, the functions hand out ``str``s in
the active language."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from metrics import registry
from metrics.display import COUNT, Doc, format_value, no_revenue_tracked, number
from metrics.registry import value_at

# --- Funnel -----------------------------------------------------------------------------------
# (English label, path); ``funnel()`` shows the label translated.
FUNNEL_STEPS = tuple((registry.field(path).label, path) for path in registry.FUNNEL)


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: float | None
    display: str
    from_previous: str  # "3.20% of clicks" style step rate, or ""
    points: str  # SVG polygon points of the trapezoid
    text_y: float
    # Why the step rate passes 100% (the step holds more than the one above), or "".
    reason: str = ""


@dataclass(frozen=True)
class BesideFunnel:
    """Conversions that need no click, shown beside the funnel rather than as a step."""

    label: str
    value: float
    display: str
    why: str


def _step_value(doc: Doc | None, path: str) -> float | None:
    value = number(value_at(doc, path))
    if value is None and path == "conversion.click_conversions":
        # A document computed before the field existed: link + UTM from the split.
        link = number(value_at(doc, "conversion.by_source.link"))
        utm = number(value_at(doc, "conversion.by_source.utm"))
        if link is not None or utm is not None:
            value = (link or 0) + (utm or 0)
    return value


def beside_funnel(doc: Doc | None) -> list[BesideFunnel]:
    """Promo-code and manual conversions (when there are any): they stand beside the funnel,
    labelled, because they did not come through its clicks."""
    found = []
    for key, label, why in registry.FUNNEL_BESIDE:
        value = number(value_at(doc, f"conversion.by_source.{key}"))
        if value:
            found.append(BesideFunnel(str(label), value, format_value(value, COUNT), str(why)))
    return found


def funnel(doc: Doc | None, width: float = 600, step_height: float = 56) -> list[FunnelStep]:
    """The funnel as SVG trapezoids, one per step that this campaign has (a step that is 0 or
    unknown while a later step is not — leads in a sales campaign — is left out). Widths follow
    a log scale so a 1M → 40 funnel still shows every step, never wider than the step above;
    the step-to-step rate is printed so the scale does not mislead."""
    values = [(registry.translated(label), path, _step_value(doc, path))
              for label, path in FUNNEL_STEPS]
    kept = [
        (label, path, value)
        for i, (label, path, value) in enumerate(values)
        if (value or 0) > 0 or not any((later or 0) > 0 for _, _, later in values[i + 1:])
    ]
    # A sign-up funnel ends at its leads: no trailing "conversions: 0% of leads" step.
    if len(kept) > 2 and not kept[-1][2] and kept[-2][1] == "audience_growth.leads":
        kept.pop()
    top = max((v for _, _, v in kept if v), default=0.0)
    min_share = 0.3

    def share(v: float | None) -> float:
        if v is None or v <= 0 or top <= 0:
            return min_share
        return max(min_share, math.log10(v + 1) / math.log10(top + 1))

    shares: list[float] = []
    for _label, _path, value in kept:
        shares.append(min(share(value), shares[-1]) if shares else share(value))
    steps = []
    for i, (label, path, value) in enumerate(kept):
        upper = shares[i] * width
        lower = shares[i + 1] * width if i + 1 < len(kept) else upper * 0.8
        y0, y1 = i * step_height, (i + 1) * step_height - 4
        cx = width / 2
        points = (
            f"{cx - upper / 2:.1f},{y0:.1f} {cx + upper / 2:.1f},{y0:.1f} "
            f"{cx + lower / 2:.1f},{y1:.1f} {cx - lower / 2:.1f},{y1:.1f}"
        )
        previous = kept[i - 1] if i else None
        rate, reason = "", ""
        if previous is not None and value is not None and previous[2]:
            step_share = value / previous[2] * 100
            rate = _("%(share)s%% of %(step)s") % {
                "share": f"{step_share:,.2f}", "step": previous[0].lower()}
            if step_share > 100:
                why = registry.FUNNEL_OVER_100.get(path) or _(
                    "it is counted apart from the step above")
                reason = _("More %(step)s than %(previous)s: %(why)s.") % {
                    "step": label.lower(), "previous": previous[0].lower(), "why": why}
        steps.append(
            FunnelStep(
                label=label, value=value, display=format_value(value, COUNT),
                from_previous=rate, points=points, text_y=(y0 + y1) / 2 + 5, reason=reason,
            )
        )
    return steps


# --- Charts -----------------------------------------------------------------------------------
# (key, English label, path); ``chart_data()`` gives the label translated.
CHART_SERIES = tuple((key, registry.field(path).label, path) for key, path in registry.CHART)


def chart_data(days: Sequence[tuple[str, Doc]]) -> dict[str, Any]:
    """``{"labels": [dates], "series": [{"key", "label", "data"}]}`` for Chart.js."""
    return {
        "labels": [day for day, _ in days],
        "series": [
            {"key": key, "label": registry.translated(label),
             "data": [number(value_at(doc, path)) for _day, doc in days]}
            for key, label, path in CHART_SERIES
        ],
    }


# --- Leaderboard ------------------------------------------------------------------------------
class _Columns(Mapping[str, tuple[str, str, str]]):
    """key → (short label, path, kind), the label a ``str`` in the language active when read."""

    def __init__(self) -> None:
        self._columns = {key: (short, path) for key, short, path in registry.LEADERBOARD}

    def __getitem__(self, key: str) -> tuple[str, str, str]:
        short, path = self._columns[key]
        return str(short), path, registry.kind(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


LEADERBOARD_COLUMNS = _Columns()
ASCENDING_BY_DEFAULT = registry.ASCENDING_BY_DEFAULT
# Read as "no revenue" rather than a −100% loss when the document tracks no revenue.
REVENUE_RATIOS = frozenset({"roi.roi", "roi.roas"})


def leaderboard_cell(doc: Doc | None, path: str, kind: str, currency: str) -> str:
    """A leaderboard cell as it reads: ROI and ROAS of a creator with costs and no revenue
    say "no revenue" (see ``display.no_revenue_tracked``)."""
    if path in REVENUE_RATIOS and no_revenue_tracked(doc):
        return _("no revenue")
    return format_value(value_at(doc, path), kind, currency)


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
            found.append(_(
                "Traffic is up %(rise)s%% over the last %(days)s days but conversions are flat — "
                "optimise the landing page (offer, speed, checkout)."
            ) % {"rise": f"{(v_now / v_before - 1) * 100:,.0f}", "days": days})
    ctr = number(value_at(doc, "ctr.ctr"))
    er = number(value_at(doc, "engagement.engagement_rate"))
    if ctr is not None and er is not None and er >= 3 and ctr < 0.5:
        found.append(_(
            "People engage (%(engagement)s%%) but few click (%(ctr)s%%) — make the call to action "
            "and the link more prominent (link in bio, stickers, pinned comment)."
        ) % {"engagement": f"{er:,.2f}", "ctr": f"{ctr:,.2f}"})
    clicks = number(value_at(doc, "ctr.unique_clicks"))
    visit_count = number(value_at(doc, "traffic.visits"))
    if clicks and clicks >= 50 and visit_count is not None and visit_count < clicks * 0.5:
        found.append(_(
            "Only %(visits)s visits were recorded for %(clicks)s unique clicks — "
            "check that the site pixel is installed on the landing page."
        ) % {"visits": f"{visit_count:,.0f}", "clicks": f"{clicks:,.0f}"})
    roi = number(value_at(doc, "roi.roi"))
    conversions = number(value_at(doc, "conversion.conversions"))
    if roi is not None and roi < 0 and conversions and not no_revenue_tracked(doc):
        found.append(_(
            "Spend outpaces revenue (ROI %(roi)s%%) — shift budget to the creators with the "
            "best ROI in the leaderboard."
        ) % {"roi": f"{roi:,.1f}"})
    net = number(value_at(doc, "sentiment.net_sentiment"))
    total = number(value_at(doc, "sentiment.total")) or 0
    if net is not None and total >= 20 and net < 0:
        found.append(_(
            "Comments lean negative (net %(net)s) — read the negative samples below "
            "before scaling the campaign."
        ) % {"net": f"{net:,.0f}"})
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
