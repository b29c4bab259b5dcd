"""KPI documents → what a page shows (no ORM: of Django only ``django.utils.translation``).

The KPI engine stores one document per scope (campaign total, partnership, platform, day) with
the registry's group and field names (``metrics.registry``). These functions turn documents
into the nine KPI cards (headline groups first), the change over the last days and target
progress; ``metrics.display_report`` adds the funnel, charts, leaderboard and insight lines.
Values a platform did not report stay ``None`` and are shown as "—"; texts in the active language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, override

# Number formatting lives in its own module; pages and reports reach it through here too.
from accounts.l10n import digits
from metrics import registry
from metrics.kpis import revenue_tracked
from metrics.number_text import compact, format_rate, format_value, number  # noqa: F401
from metrics.registry import value_at

Doc = Mapping[str, Any]

# How a value is shown: a count, money in the campaign currency, a percentage, a ratio (×).
COUNT, MONEY, PERCENT, RATIO = registry.COUNT, registry.MONEY, registry.PERCENT, registry.RATIO
MULTIPLE = RATIO
_RATIO_KINDS = (RATIO, "multiple")


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


def _spec(group: registry.Group, t: Callable[[str], str] = str) -> KpiSpec:
    main = group.field(group.main)
    return KpiSpec(
        group.name, t(group.title), main.name, main.kind, t(group.formula),
        tuple((n, t(group.field(n).label), group.field(n).kind) for n in group.details),
        group.coverage_field,
    )


KPIS: tuple[KpiSpec, ...] = tuple(_spec(g) for g in registry.KPI_GROUPS)
KPI_BY_GROUP = {spec.group: spec for spec in KPIS}


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
        body = f"{size:,.2f}" if self.kind == MONEY else f"{size:,.0f}"
        relative = "" if self.relative is None else f" ({sign}{abs(self.relative):,.1f}%)"
        amount = f"{sign}{body}{relative}"
        if self.kind == PERCENT:
            # Small rates move in hundredths: show two significant digits rather than "0.00".
            body = f"{size:.2g}" if 0 < size < 0.01 else f"{size:,.2f}"
            amount = _("%(sign)s%(size)s pts") % {"sign": sign, "size": body}
        elif self.kind in _RATIO_KINDS:
            amount = f"{sign}{size:,.2f}×"
        return digits(_("%(change)s in %(days)s days") % {"change": amount, "days": self.days})


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
        return digits(_("%(actual)s of %(target)s") % {"actual": actual, "target": target} + share)


def metric_kind(metric: str) -> str:
    """The registry's kind of ``group.field``; a count for a name it does not know."""
    try:
        return registry.kind(metric)
    except KeyError:
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
                label=str((labels or {}).get(metric) or registry.metric_label(metric)),
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
    # Face-value notes: why a share passes 100%, why ROI reads "no revenue tracked".
    notes: list[str] = field(default_factory=list)
    # The main value is a state, not a number (shown muted, explained by ``notes``).
    muted: bool = False

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
    values = {"reporting": reporting, "posts": posts,
              "counter": registry.metric_label(spec.coverage_field).lower()}
    if reporting is None:
        return digits(ngettext("%(posts)s post", "%(posts)s posts", posts) % values)
    text = ngettext("%(reporting)s of %(posts)s post report %(counter)s",
                    "%(reporting)s of %(posts)s posts report %(counter)s", posts) % values
    from_views = coverage.get("impressions_from_views")
    if spec.group == "awareness" and from_views:
        text += _("; %(count)s counted by views") % {"count": from_views}
    return digits(text)


def kpi_cards(
    doc: Doc | None,
    days_docs: Sequence[Doc] = (),
    labels: Mapping[str, str] | None = None,
    days: int = 7,
) -> list[Card]:
    """The nine KPI cards in the active language, the stage's headline groups first (in order)."""
    currency = str((doc or {}).get("currency") or "")
    headline = list((doc or {}).get("headline") or [])
    targets = targets_of(doc, labels)
    cards = []
    for spec in (_spec(g, registry.translated) for g in registry.KPI_GROUPS):
        path = f"{spec.group}.{spec.field}"
        value = value_at(doc, path)
        cards.append(
            Card(
                spec=spec, value=value, display=format_value(value, spec.kind, currency),
                headline=spec.group in headline, coverage=coverage_text(doc, spec),
                details=[
                    (label, format_value(value_at(doc, f"{spec.group}.{name}"), kind, currency))
                    for name, label, kind in spec.details
                ],
                targets=[t for t in targets if t.metric.split(".")[0] == spec.group],
                change=change_over(days_docs, path, spec.kind, days),
            )
        )
    for card in cards:
        _face_value(card, doc, currency)
        if card.group == "sentiment":
            card.notes.extend(unread_notes(doc))
    order = {group: i for i, group in enumerate(headline)}
    cards.sort(key=lambda c: (0, order[c.group]) if c.group in order else (1, 0))
    return cards


NO_REVENUE = gettext_noop("No revenue tracked")  # shown translated: ``_(NO_REVENUE)``


def no_revenue_tracked(doc: Doc | None) -> bool:
    """Costs but no revenue-bearing conversion: the ROI of −100 is not a loss to report but a
    campaign that tracks no revenue (sign-ups, leads)."""
    cost = number(value_at(doc, "roi.total_cost"))
    revenue = value_at(doc, "roi.revenue")
    if revenue is None:
        revenue = value_at(doc, "conversion.revenue")
    amount = number(revenue)
    return bool(cost) and not revenue_tracked(None if amount is None else Decimal(str(amount)))


def unread_notes(doc: Doc | None) -> list[str]:
    """How many comments the sentiment model could not read (another language than English)."""
    unread = int(number(value_at(doc, "sentiment.unread")) or 0)
    if not unread:
        return []
    text = ngettext(
        "%(count)s comment was not read: the sentiment model reads English only.",
        "%(count)s comments were not read: the sentiment model reads English only.", unread,
    )
    return [text % {"count": format_value(unread, COUNT)}]


def over_100_notes(doc: Doc | None, group: str, names: Sequence[str]) -> list[str]:
    """A reason line for each share of ``group`` shown above 100% (``Field.over_100``)."""
    notes = []
    for name in names:
        f = registry.group(group).field(name)
        value = number(value_at(doc, f"{group}.{name}"))
        if f.over_100 and value is not None and value > 100:
            notes.append(_("%(label)s above 100%%: %(reason)s") % {
                "label": registry.translated(f.label), "reason": registry.translated(f.over_100)})
    return notes


def _face_value(card: Card, doc: Doc | None, currency: str) -> None:
    """Adjust a card so its numbers read right at face value."""
    spec = card.spec
    card.notes = over_100_notes(doc, spec.group, [spec.field, *(n for n, _, _ in spec.details)])
    if spec.group == "roi" and no_revenue_tracked(doc):
        cost = format_value(value_at(doc, "roi.total_cost"), MONEY, currency)
        cpl = value_at(doc, "roi.cpl")
        pointer = "" if number(cpl) is None else " " + _("Cost per lead: %(cost)s.") % {
            "cost": format_value(cpl, MONEY, currency)}
        card.display = _(NO_REVENUE)
        card.muted, card.change = True, None
        card.details = [d for d, s in zip(card.details, spec.details, strict=True)
                        if s[0] != "roas"]
        card.notes.append(_(
            "%(cost)s spent and no conversion carries revenue (sign-ups and leads carry none), "
            "so ROI is not a loss to read here.") % {"cost": cost} + pointer)


# --- Methodology (the /help/kpis/ page and docs/kpis.md) --------------------------------------
KIND_NAMES = {COUNT: gettext_lazy("count"), PERCENT: gettext_lazy("percent"),
              RATIO: gettext_lazy("ratio (×)"), MONEY: gettext_lazy("money")}


def headline_text(group: registry.Group) -> str:
    stages = [stage for stage, _ in group.headline]
    return ", ".join(stages) if stages else "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


@override("en")
def methodology_markdown() -> str:
    """``docs/kpis.md``, generated from the registry by ``manage.py kpi_docs`` (in English)."""
    lines = [
        "# KPIs: definitions and formulas",
        "",
        "<!-- Generated from metrics/registry.py by `python manage.py kpi_docs`; do not edit. -->",
        "",
        "Every number Funnelboard shows comes from one KPI document per campaign (and per",
        "partnership, platform and day), recomputed in the background after each change. This",
        "page lists every group and field of that document: how it reads, what it means and how",
        "it is computed. The same text is in the app at `/help/kpis/`.",
        "",
        "- Values a platform did not report are unknown (`null`, shown as \"—\"), never 0; a",
        "  rate whose denominator is 0 or unknown is unknown too.",
        "- Money is in the campaign currency, a decimal string with 2 places in the API.",
        "- Kinds: count, percent, ratio (×) and money.",
        "- **Target**: a KPI target may be set on the field (`group.field`), in the field's own",
        "  unit: percent points for a percent (ROI 150 = 150%), a multiple for a ratio, the",
        "  campaign currency for money, a number for a count.",
        "- **Export**: its column in the creators' CSV export.",
        "",
    ]
    for position, group in enumerate(registry.GROUPS, start=1):
        heading = f"{position}. {group.title}" if group.kpi else group.title
        lines += [
            f"## {heading} (`{group.name}`)",
            "",
            group.definition,
            "",
            f"- Formula: {group.formula}",
            f"- Card value: `{group.name}.{group.main}`",
        ]
        if group.kpi:
            lines.append(f"- Headline KPI for: {headline_text(group)}")
        lines += [
            "",
            "| Field | Label | Kind | Definition | Formula | Target | Export |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in group.fields:
            over = f" Can pass 100%: {f.over_100}" if f.over_100 else ""
            lines.append(
                f"| `{group.name}.{f.name}` | {_cell(f.label)} | {KIND_NAMES[f.kind]} | "
                f"{_cell(f.definition + over)} | {_cell(f.formula)} | {'yes' if f.target else '—'} | "
                f"{f'`{f.export}`' if f.export else '—'} |"
            )
        lines.append("")
    lines += [
        "## Headline KPIs by funnel stage",
        "",
        *(f"- {stage}: {', '.join(registry.headlines(stage))}" for stage in registry.STAGES),
        "",
    ]
    return "\n".join(lines)
