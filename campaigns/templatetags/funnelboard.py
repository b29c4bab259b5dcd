"""Template filters: one-line wrappers around the pure functions of ``campaigns.reporting``."""

from __future__ import annotations

from typing import Any

from django import template

from campaigns import reporting

register = template.Library()


@register.filter
def kpi(value: Any, kind: str = reporting.COUNT) -> str:
    """``{{ value|kpi:"percent" }}`` → "3.20%"; "—" when not reported."""
    return reporting.format_value(value, kind)


@register.filter
def compact(value: Any) -> str:
    return reporting.compact(value)


@register.filter
def percent_of(part: Any, whole: Any) -> float:
    """Share of ``whole`` in percent for meters and bars (0 when unknown)."""
    return reporting.share_percent(part, whole)
