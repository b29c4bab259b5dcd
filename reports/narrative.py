""""What changed": three plain sentences a client reads first on a share page and in a digest,
from the daily KPI snapshots (no ORM; the sentences in the active language).

Two sentences name the largest movements — the gain of the last seven days against the seven
before, for the measures a client follows — and the third the target most behind pace (the
share of the target reached against the share of the campaign's days gone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.l10n import digits
from metrics.display import COUNT, MONEY, format_value, number, targets_of
from metrics.registry import value_at

Doc = Mapping[str, Any]

WINDOW_DAYS = 7
# (path in a document, what a sentence calls it, kind): cumulative measures a client follows.
MOVEMENTS: tuple[tuple[str, Any, str], ...] = (
    ("awareness.impressions", gettext_lazy("Impressions"), COUNT),
    ("awareness.reach", gettext_lazy("Reach"), COUNT),
    ("engagement.engagements", gettext_lazy("Engagements"), COUNT),
    ("ctr.clicks", gettext_lazy("Link clicks"), COUNT),
    ("traffic.visits", gettext_lazy("Site visits"), COUNT),
    ("conversion.conversions", gettext_lazy("Conversions"), COUNT),
    ("conversion.revenue", gettext_lazy("Revenue"), MONEY),
    ("emv.total", gettext_lazy("Earned media value"), MONEY),
)


@dataclass(frozen=True)
class Movement:
    label: str
    kind: str
    recent: float  # gained over the last window
    before: float | None  # gained over the window before it (None: the series is too short)
    days: int

    @property
    def relative(self) -> float | None:
        if self.before is None or self.before <= 0:
            return None
        return (self.recent - self.before) / self.before * 100

    def weight(self) -> float:
        """How much the movement stands out: a relative change, or a new series' size."""
        relative = self.relative
        return abs(relative) if relative is not None else (100.0 if self.recent else 0.0)


def movements(days: Sequence[Doc], window: int = WINDOW_DAYS) -> list[Movement]:
    """The measures' gains over the last ``window`` days against the ``window`` before, the
    most striking first; measures that did not move are left out."""
    if len(days) < 2:
        return []
    span = min(window, len(days) - 1)
    found = []
    for path, label, kind in MOVEMENTS:
        series = [number(value_at(d, path)) for d in days]
        last, start = series[-1], series[-1 - span]
        if last is None or start is None:
            continue
        recent = last - start
        before = None
        if len(series) > 2 * span:
            earlier = series[-1 - 2 * span]
            before = start - earlier if earlier is not None else None
        if recent == 0 and not before:
            continue
        found.append(Movement(str(label), kind, recent, before, span))
    return sorted(found, key=Movement.weight, reverse=True)


def movement_sentence(m: Movement, currency: str) -> str:
    values = {
        "label": m.label, "amount": format_value(abs(m.recent), m.kind, currency),
        "days": m.days,
    }
    if m.recent < 0:
        text = ngettext(
            "%(label)s fell by %(amount)s over the last day.",
            "%(label)s fell by %(amount)s over the last %(days)s days.", m.days,
        )
        return digits(text % values)
    relative = m.relative
    if relative is None:
        text = ngettext(
            "%(label)s grew by %(amount)s over the last day.",
            "%(label)s grew by %(amount)s over the last %(days)s days.", m.days,
        )
    elif abs(relative) < 1:
        text = _("%(label)s grew by %(amount)s over the last %(days)s days, about the same as "
                 "the %(days)s before.")
    elif relative > 0:
        text = _("%(label)s grew by %(amount)s over the last %(days)s days, %(percent)s%% more "
                 "than in the %(days)s days before.")
    else:
        text = _("%(label)s grew by %(amount)s over the last %(days)s days, %(percent)s%% less "
                 "than in the %(days)s days before.")
    percent = f"{abs(relative):,.0f}" if relative is not None else ""
    return digits(text % {**values, "percent": percent})


def pace_sentence(total: Doc | None, start: date, end: date, today: date) -> str:
    """The target furthest behind pace, or why there is none."""
    targets = [t for t in targets_of(total) if t.actual is not None and t.target > 0]
    if not targets:
        return _("No KPI targets are set, so there is no pace to report.")
    length = (end - start).days + 1
    gone = min(max((today - start).days + 1, 0), length) / length if length > 0 else 1.0
    if gone <= 0:
        return _("The campaign has not started yet, so every target is still ahead.")

    def pace(t: Any) -> float:
        return (t.actual / t.target) / gone

    worst = min(targets, key=pace)
    reached = (worst.actual or 0.0) / worst.target * 100
    values = {
        "label": worst.label,
        "actual": format_value(worst.actual, worst.kind, worst.currency),
        "target": format_value(worst.target, worst.kind, worst.currency),
        "reached": f"{reached:,.0f}", "gone": f"{gone * 100:,.0f}",
    }
    if pace(worst) >= 1:
        text = _("Every target is on pace; the closest is %(label)s: %(actual)s of %(target)s "
                 "(%(reached)s%%) with %(gone)s%% of the campaign's days gone.")
    else:
        text = _("The target furthest behind pace is %(label)s: %(actual)s of %(target)s "
                 "(%(reached)s%%) with %(gone)s%% of the campaign's days gone.")
    return digits(text % values)


def sentences(
    days: Sequence[Doc], total: Doc | None, *, start: date, end: date, today: date,
) -> list[str]:
    """Three sentences: the two largest movements and the target most behind pace."""
    currency = str((total or {}).get("currency") or "")
    moved = [movement_sentence(m, currency) for m in movements(days)[:2]]
    if not moved:
        moved = [_("No daily numbers have moved yet: they appear after the first data arrives.")]
    return [*moved, pace_sentence(total, start, end, today)]


def what_changed(report: Any, today: date | None = None) -> list[str]:
    """``sentences`` for a ``metrics.selectors.reports.Report``; ``today`` in the
    organisation's time zone (the report's last day when not given)."""
    campaign = report.campaign
    day = today or (date.fromisoformat(report.days[-1][0]) if report.days else campaign.start_date)
    return sentences(
        [doc for _, doc in report.days], report.total,
        start=campaign.start_date, end=campaign.end_date, today=day,
    )
