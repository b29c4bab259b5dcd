"""Template filters: one-line wrappers around the pure functions of ``metrics.display``
and ``metrics.display_report``."""

from __future__ import annotations

from typing import Any

from django import template

from metrics import display, display_report

register = template.Library()


@register.filter
def kpi(value: Any, kind: str = display.COUNT) -> str:
    """``{{ value|kpi:"percent" }}`` → "3.20%"; "—" when not reported."""
    return display.format_value(value, kind)


@register.filter
def compact(value: Any) -> str:
    return display.compact(value)


@register.filter
def percent_of(part: Any, whole: Any) -> float:
    """Share of ``whole`` in percent for meters and bars (0 when unknown)."""
    return display_report.share_percent(part, whole)
