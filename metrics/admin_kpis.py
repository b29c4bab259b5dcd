"""Read-only KPI display for the Django admin, imported by ``campaigns/admin.py``:

- ``kpi_summary_html(campaign)`` (alias ``kpi_summary``): the nine KPIs as last computed, with
  ``computed_at``, ``as_of`` and the coverage;
- ``partnership_headline_html(partnership)``: a creator's headline numbers for the inline;
- ``recompute_kpis_action``: the "Recompute KPIs" admin action (``recompute_campaigns(ids)``
  is the same without the admin plumbing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from campaigns.models import Campaign, Partnership
from metrics.models import KpiScope, KpiSnapshot

# (group, title, fields shown) — the nine KPIs of DESIGN.md in their order.
KPI_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("awareness", "1. Brand awareness", ("impressions", "reach", "video_views")),
    ("engagement", "2. Engagement", ("engagements", "likes", "comments", "shares", "saves",
                                      "mentions", "engagement_rate",
                                      "engagement_rate_followers")),
    ("conversion", "3. Conversion", ("conversions", "revenue", "conversion_rate",
                                      "excluded_other_currency")),
    ("audience_growth", "4. Audience growth", ("followers_start", "followers_end",
                                                "followers_gained", "growth_rate", "leads")),
    ("ctr", "5. CTR", ("clicks", "unique_clicks", "impressions", "ctr")),
    ("traffic", "6. Traffic", ("visits", "unique_visitors", "visit_conversion_rate")),
    ("emv", "7. EMV", ("total",)),
    ("roi", "8. ROI", ("revenue", "total_cost", "roi", "roas", "cpm", "cpe", "cpc", "cpa")),
    ("sentiment", "9. Sentiment", ("positive", "neutral", "negative", "total",
                                    "net_sentiment")),
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


def _snapshot(campaign_id: int, scope: str, key: str) -> KpiSnapshot | None:
    return KpiSnapshot.objects.filter(campaign_id=campaign_id, scope=scope, key=key).first()


def kpi_summary_html(campaign: Campaign) -> SafeString:
    """The stored campaign total as an HTML table (read-only)."""
    if campaign.pk is None:
        return format_html("{}", "Computed once the campaign is saved.")
    snapshot = _snapshot(campaign.pk, KpiScope.TOTAL, "")
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
    snapshot = _snapshot(partnership.campaign_id, KpiScope.PARTNERSHIP, str(partnership.pk))
    if snapshot is None:
        return format_html("{}", "Not computed yet")
    data = snapshot.data
    values = (
        ("impressions", (data.get("awareness") or {}).get("impressions")),
        ("engagements", (data.get("engagement") or {}).get("engagements")),
        ("clicks", (data.get("ctr") or {}).get("clicks")),
        ("conversions", (data.get("conversion") or {}).get("conversions")),
        ("revenue", (data.get("conversion") or {}).get("revenue")),
        ("EMV", (data.get("emv") or {}).get("total")),
    )
    return format_html_join(" · ", "{}: <strong>{}</strong>",
                            ((n, _show(v)) for n, v in values))


def recompute_campaigns(campaign_ids: Iterable[int]) -> int:
    """Queue a recompute of each campaign (runs at once in embedded mode)."""
    from metrics.tasks import recompute_campaign_kpis

    ids = list(campaign_ids)
    for campaign_id in ids:
        recompute_campaign_kpis.delay(campaign_id)
    return len(ids)


@admin.action(description="Recompute KPIs", permissions=["change"])
def recompute_kpis_action(modeladmin: admin.ModelAdmin, request: HttpRequest,
                          queryset: QuerySet[Campaign]) -> None:
    # Offered only to those who may change campaigns; ``CampaignAdmin`` checks each one.
    count = recompute_campaigns(queryset.values_list("pk", flat=True))
    modeladmin.message_user(request, f"Recomputing the KPIs of {count} campaign(s).",
                            messages.SUCCESS)
