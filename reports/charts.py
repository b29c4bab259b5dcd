"""The PDF report's charts, drawn as SVG on the server (pure: of Django only its gettext and
date names; no JavaScript).

A PDF has no Chart.js, so each function returns an ``<svg>`` element as a string for the
template to place inline (the caller marks it safe). Every text that reaches the markup goes
through ``_esc``, and the accent colour is checked against ``#rrggbb`` here too, so nothing a
user typed (a campaign, a creator, a platform, a colour) can end the element or add one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Protocol

from django.utils import dateformat
from django.utils.translation import gettext as _

from metrics.display import compact

ACCENT_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#4f46e5"
FONT = "DejaVu Sans, sans-serif"
INK, MUTED, GRID, WHITE = "#1b1f2a", "#5b6475", "#e3e6ee", "#ffffff"
SENTIMENT_COLORS = {"positive": "#16a34a", "neutral": "#9ca3af", "negative": "#dc2626"}


class FunnelStepLike(Protocol):
    """What ``metrics.display_report.FunnelStep`` offers the funnel drawing."""

    label: str
    display: str
    from_previous: str
    points: str
    text_y: float


def _esc(value: object) -> str:
    # quote=True also escapes ' and ", so a value is safe in an attribute as in text.
    return escape(str(value), quote=True)


def accent_color(value: str) -> str:
    return value if ACCENT_PATTERN.fullmatch(value or "") else DEFAULT_ACCENT


def mix(color: str, other: str, share: float) -> str:
    """``color`` moved ``share`` (0–1) of the way to ``other``: the accent's lighter tints."""
    a, b = accent_color(color), accent_color(other)
    channels = (
        round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share) for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def ink_on(fill: str) -> str:
    """Dark or white text, whichever reads on ``fill`` (WCAG relative luminance)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    color = accent_color(fill)
    r, g, b = (linear(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.4 else WHITE


def _text(x: float, y: float, body: object, *, size: float = 9, anchor: str = "start",
          fill: str = MUTED, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{_esc(body)}</text>'
    )


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'font-family="{FONT}"><title>{_esc(title)}</title>{"".join(body)}</svg>'
    )


def axis_step(value: float, most: int = 5) -> tuple[float, int]:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) and how many of them reach ``value``, at most
    ``most``: the gridlines fall on numbers a reader can add up."""
    if value <= 0 or not math.isfinite(value):
        return 1.0, 1
    power = 10 ** math.floor(math.log10(value / most))
    for factor in (1, 2, 2.5, 5, 10, 20):
        step = factor * power
        if math.ceil(value / step - 1e-9) <= most:
            return step, max(1, math.ceil(value / step - 1e-9))
    return 20 * power, 1


def tick_label(value: float) -> str:
    """An axis label: "500k", "1.5M", "2.5k", "40" — no ".0"."""
    return compact(value).replace(".0k", "k").replace(".0M", "M").replace(".0B", "B")


def day_label(day: str) -> str:
    """"2026-03-05" → "Mar 5"; anything else as it is."""
    try:
        parsed = dt.date.fromisoformat(day)
    except ValueError:
        return day
    return dateformat.format(parsed, "M j")  # the month's name in the active language


def line_chart(
    title: str, days: Sequence[str], values: Sequence[float | None], *, accent: str,
    width: float = 330, height: float = 130,
) -> str:
    """A cumulative daily series: area and line in the accent, four gridlines with compact
    labels, the first, middle and last day under the axis. Unknown days break the line
    rather than reading as 0."""
    color = accent_color(accent)
    left, right, top, bottom = 42.0, 10.0, 10.0, 20.0
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None and math.isfinite(v)]
    body: list[str] = []
    if not known or not days:
        body.append(
            _text(width / 2, height / 2, _("No daily data yet"), anchor="middle", size=10)
        )
        return _svg(width, height, title, body, "chart chart-empty")
    floor = min(0.0, min(known))
    step, steps = axis_step(max(known) - floor)
    span = step * steps
    for i in range(steps + 1):
        y = top + plot_h - plot_h * i / steps
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="{0.6 if i else 1}"/>'
        )
        body.append(_text(left - 5, y + 3, tick_label(floor + step * i), anchor="end", size=7.5))

    def x_of(i: int) -> float:
        return left + (plot_w * i / (len(values) - 1) if len(values) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top + plot_h - (v - floor) / span * plot_h

    base = y_of(max(floor, 0.0))
    for run in _runs(values):
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in run)
        first, last = x_of(run[0][0]), x_of(run[-1][0])
        body.append(
            f'<polygon points="{first:.1f},{base:.1f} {points} {last:.1f},{base:.1f}" '
            f'fill="{color}" fill-opacity="0.12" stroke="none"/>'
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.8" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    last_i = max(i for i, v in enumerate(values) if v is not None and math.isfinite(v))
    last_v = values[last_i] or 0.0
    body.append(
        f'<circle cx="{x_of(last_i):.1f}" cy="{y_of(last_v):.1f}" r="2.8" fill="{color}" '
        f'stroke="{WHITE}" stroke-width="1"/>'
    )
    for i in sorted({0, (len(days) - 1) // 2, len(days) - 1}):
        anchor = "start" if i == 0 else ("end" if i == len(days) - 1 else "middle")
        if len(days) == 1:
            anchor = "middle"
        body.append(_text(x_of(i), height - 5, day_label(days[i]), anchor=anchor, size=7.5))
    return _svg(width, height, title, body, "chart")


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive known values, each as (index, value) pairs."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def funnel_chart(
    steps: Sequence[FunnelStepLike], *, accent: str, width: float = 600,
    step_height: float = 56,
) -> str:
    """The funnel: ``display_report.funnel``'s trapezoids (a 600-wide log scale) shrunk into
    the left half, each a lighter tint of the accent, with its name, value and step rate
    written beside it, where a long label cannot overflow a narrow step."""
    color = accent_color(accent)
    height = max(len(steps), 1) * step_height
    shape_w, gap = width * 0.5, 16.0
    scale = shape_w / 600
    body: list[str] = []
    if not steps:
        body.append(_text(width / 2, height / 2, _("No funnel yet"), anchor="middle", size=11))
        return _svg(width, height, _("Funnel"), body, "funnel")
    body.append(f'<g transform="scale({scale:.4f} 1)">')
    for i, step in enumerate(steps):
        fill = mix(color, WHITE, min(0.6, i * 0.14))
        points = " ".join(
            point for point in step.points.split() if re.fullmatch(r"-?[\d.]+,-?[\d.]+", point)
        )
        body.append(f'<polygon points="{points}" fill="{fill}"/>')
    body.append("</g>")
    for step in steps:
        x = shape_w + gap
        body.append(_text(x, step.text_y - 6, step.label, size=11, fill=INK, weight="bold"))
        rate = f" · {step.from_previous}" if step.from_previous else ""
        body.append(_text(x, step.text_y + 9, f"{step.display}{rate}", size=10, fill=MUTED))
    title = ", ".join(f"{s.label} {s.display}" for s in steps)
    return _svg(width, height, _("Funnel: %(steps)s") % {"steps": title}, body, "funnel")


def sentiment_bar(split: Sequence[Mapping[str, Any]], *, width: float = 600) -> str:
    """The comments' split as one stacked bar with a legend under it. ``split`` is
    ``metrics.report_context.sentiment_split`` (``x`` and ``width`` in percent)."""
    bar_h, height = 16.0, 44.0
    body: list[str] = [f'<rect x="0" y="0" width="{width:g}" height="{bar_h:g}" fill="{GRID}"/>']
    for part in split:
        share = float(part.get("width") or 0)
        if share <= 0:
            continue
        fill = SENTIMENT_COLORS.get(str(part.get("name")), MUTED)
        body.append(
            f'<rect x="{float(part.get("x") or 0) * width / 100:.2f}" y="0" '
            f'width="{share * width / 100:.2f}" height="{bar_h:g}" fill="{fill}"/>'
        )
    x = 0.0
    for part in split:
        fill = SENTIMENT_COLORS.get(str(part.get("name")), MUTED)
        text = f"{part.get('label', '')} {int(part.get('count') or 0):,} ({part.get('share', '')})"
        body.append(f'<rect x="{x:.1f}" y="{bar_h + 12:.1f}" width="9" height="9" fill="{fill}"/>')
        body.append(_text(x + 13, bar_h + 20, text, size=9.5, fill=INK))
        x += 30 + len(text) * 6.2
    title = ", ".join(f"{p.get('label', '')} {p.get('count', 0)}" for p in split)
    return _svg(
        width, height, _("Sentiment: %(split)s") % {"split": title}, body, "sentiment-bar"
    )
