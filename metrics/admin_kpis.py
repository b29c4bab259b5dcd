"""Read-only KPI display for the Django admin, imported by ``campaigns/admin.py``:

- ``kpi_summary_html(campaign)`` (alias ``kpi_summary``): the nine KPIs as last computed, with
  ``computed_at``, ``as_of`` and the coverage;
- ``partnership_headline_html(partnership)``: a creator's headline numbers for the inline.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from campaigns.models import Campaign, Partnership
from metrics import registry
from metrics.registry import value_at
from metrics.selectors import snapshots

# (group, title, fields shown): the nine KPIs in the registry's order (docs/kpis.md), each
# with its single values (breakdowns and rate cards have their own pages).
KPI_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (
        group.name,
        f"{number}. {group.short or group.title}",
        tuple(f.name for f in group.fields if f.shape == registry.VALUE),
    )
    for number, group in enumerate(registry.KPI_GROUPS, start=1)
)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _fields(group: dict[str, Any] | None, names: Iterable[str]) -> SafeString:
    if not group:
        return format_html("{}", "—")
    return format_html_join(
        " · ", "{}: <strong>{}</strong>",
        ((name.replace("_", " "), _show(group.get(name))) for name in names),
    )


def kpi_summary_html(campaign: Campaign) -> SafeString:
    """The stored campaign total as an HTML table (read-only)."""
    if campaign.pk is None:
        return format_html("{}", "Computed once the campaign is saved.")
    snapshot = snapshots.campaign_snapshot(campaign.pk)
    if snapshot is None:
        return format_html("{}", "Not computed yet — use the “Recompute KPIs” action.")
    data = snapshot.data
    headline = set(data.get("headline") or [])
    rows = format_html_join(
        "", "<tr><th>{}{}</th><td>{}</td></tr>",
        (
            (title, " ★" if group in headline else "", _fields(data.get(group), names))
            for group, title, names in KPI_ROWS
        ),
    )
    coverage = data.get("coverage") or {}
    return format_html(
        "<p>Computed {} (as of {}); ★ = headline for the {} stage. Amounts in {}.</p>"
        "<table>{}</table><p>Coverage: {}</p>",
        snapshot.computed_at.strftime("%Y-%m-%d %H:%M:%S %Z"),
        data.get("as_of", ""),
        data.get("stage", ""),
        data.get("currency", ""),
        rows,
        _fields(coverage, list(coverage)),
    )


kpi_summary = kpi_summary_html


def partnership_headline_html(partnership: Partnership) -> SafeString:
    """A creator's own headline numbers, for the partnership inline (read-only)."""
    if partnership.pk is None:
        return format_html("{}", "—")
    data = snapshots.partnership_document(partnership.campaign_id, partnership.pk)
    if data is None:
        return format_html("{}", "Not computed yet")
    values = (
        (registry.label(path), value_at(data, path)) for path in registry.PARTNERSHIP_SUMMARY
    )
    return format_html_join(" · ", "{}: <strong>{}</strong>",
                            ((n, _show(v)) for n, v in values))
