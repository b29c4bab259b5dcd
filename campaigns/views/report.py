"""The campaign report: KPI cards, chart, funnel, creator leaderboard; recompute; CSV and
XLSX exports."""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from campaigns import exports, exports_xlsx
from campaigns.selectors import campaign_for, sees_compensation
from campaigns.views.common import _access, member_required
from metrics import display, display_report, registry
from metrics.scheduling import schedule_kpi_recompute
from metrics.selectors.comment_labels import label_counts
from metrics.selectors.reports import campaign_report


def _leaderboard(report: Any, sort: str, direction: str) -> list[dict[str, Any]]:
    rows = []
    currency = report.campaign.currency
    for item in report.partnerships:
        partnership = item["partnership"]
        accounts = list(partnership.influencer.social_accounts.all())
        doc = item["doc"]
        rows.append(
            {
                "partnership": partnership,
                "name": partnership.influencer.name,
                "handle": f"@{accounts[0].handle}" if accounts else "",
                "status": partnership.get_status_display(),
                "doc": doc,
                "cells": [
                    (label, display_report.leaderboard_cell(doc, path, kind, currency))
                    for label, path, kind in display_report.LEADERBOARD_COLUMNS.values()
                ],
            }
        )
    descending = None if direction not in ("asc", "desc") else direction == "desc"
    return display_report.sort_rows(rows, sort, descending)  # type: ignore[return-value]


def _leaderboard_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The leaderboard's table rows, built in Python: with 200 creators the template engine
    spends most of the page's time on these few thousand cells. Every value is escaped."""
    base = reverse("influencers:detail", args=[0]).removesuffix("0/")
    out = []
    for row in rows:
        cells = "".join(
            f'<td class="num" data-label="{escape(label)}">{escape(value)}</td>'
            for label, value in row["cells"]
        )
        handle = f' <span class="muted small">{escape(row["handle"])}</span>' if row["handle"] else ""
        out.append(
            f'<tr><td data-label="Creator"><a href="{base}{row["partnership"].influencer_id}/">'
            f'{escape(row["name"])}</a>{handle}</td>'
            f'<td data-label="Status">{escape(row["status"])}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — built from escaped values only


def _sort_links(sort: str, direction: str) -> list[dict[str, Any]]:
    links = []
    for key, (label, _, _) in display_report.LEADERBOARD_COLUMNS.items():
        default_desc = key not in display_report.ASCENDING_BY_DEFAULT
        current_desc = (direction == "desc") if direction in ("asc", "desc") else default_desc
        active = key == sort
        next_desc = (not current_desc) if active else default_desc
        links.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "aria_sort": ("descending" if current_desc else "ascending") if active else "none",
                "query": f"?sort={key}&dir={'desc' if next_desc else 'asc'}",
            }
        )
    return links


def _platform_rows(report: Any) -> list[dict[str, Any]]:
    currency = report.campaign.currency
    columns = [(path, registry.kind(path)) for path in registry.PLATFORM_COLUMNS]
    return [
        {
            "platform": key,
            "cells": [
                display.format_value(registry.value_at(doc, path), kind, currency)
                for path, kind in columns
            ],
        }
        for key, doc in report.platforms
    ]


def _sentiment_split(sentiment: dict[str, Any]) -> list[dict[str, Any]]:
    names = [(n, registry.label(f"sentiment.{n}")) for n in ("positive", "neutral", "negative")]
    counts = [int(display.number(sentiment.get(name)) or 0) for name, _ in names]
    total = sum(counts)
    return [
        {
            "name": name, "label": label, "count": count, "x": x, "width": width,
            "share": f"{count / total * 100:.0f}%" if total else "—",
        }
        for (name, label), count, (x, width) in zip(
            names, counts, display_report.segments(counts), strict=True
        )
    ]


@member_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    report = campaign_report(access, pk)
    doc = report.total
    day_docs = [d for _, d in report.days]
    sort = request.GET.get("sort", "emv")
    if sort not in display_report.LEADERBOARD_COLUMNS:
        sort = "emv"
    direction = request.GET.get("dir", "")
    sentiment = (doc or {}).get("sentiment") or {}
    funnel = display_report.funnel(doc)
    leaderboard = _leaderboard(report, sort, direction)
    total_comments = display.number(sentiment.get("total")) or 0
    context = {
        "campaign": report.campaign,
        "report": report,
        "doc": doc,
        # Target labels without the unit: the values beside them carry it.
        "cards": display.kpi_cards(doc, day_docs),
        "chart": display_report.chart_data(report.days),
        "has_days": bool(report.days),
        "funnel": funnel,
        "funnel_height": len(funnel) * 56,
        "beside_funnel": display_report.beside_funnel(doc),
        "leaderboard": leaderboard,
        "leaderboard_html": _leaderboard_rows_html(leaderboard),
        "sort_links": _sort_links(sort, direction),
        "platforms": _platform_rows(report),
        "rates": display_report.rates_used(doc),
        "insights": display_report.insights(doc, day_docs),
        "sentiment_split": _sentiment_split(sentiment),
        "sentiment_total": int(total_comments),
        "label_counts": label_counts(report.campaign),
        "can_edit": access.has_role(Role.MANAGER),
        "is_admin": access.has_role(Role.ADMIN),
    }
    if request.htmx and request.GET.get("partial") == "leaderboard":  # type: ignore[attr-defined]
        return render(request, "campaigns/report.html#leaderboard", context)
    return render(request, "campaigns/report.html", context)


@member_required
@require_POST
def campaign_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a recompute of the campaign's KPIs once this request's transaction commits."""
    campaign = campaign_for(_access(request), pk, action="write")
    schedule_kpi_recompute([campaign.pk])
    messages.success(request, "Recompute queued — the numbers refresh in a few seconds.")
    return redirect("campaign_detail", pk=campaign.pk)


@member_required
@require_GET
def export_report(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    report = campaign_report(_access(request), pk)
    return _csv_response(
        exports.csv_lines(exports.report_rows(report.campaign.name, report.total)),
        f"{slugify(report.campaign.name) or 'campaign'}-kpis.csv",
    )


@member_required
@require_GET
def export_leaderboard(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    access = _access(request)
    report = campaign_report(access, pk)
    rows = _leaderboard(report, request.GET.get("sort", "emv"), request.GET.get("dir", ""))
    return _csv_response(
        exports.csv_lines(
            exports.leaderboard_rows(rows, with_costs=sees_compensation(access))
        ),
        f"{slugify(report.campaign.name) or 'campaign'}-creators.csv",
    )


@member_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The client-ready workbook: KPIs, By creator, EMV rates."""
    access = _access(request)
    report = campaign_report(access, pk)
    rows = _leaderboard(report, request.GET.get("sort", "emv"), request.GET.get("dir", ""))
    content = exports_xlsx.kpi_workbook(
        report.campaign.name, report.total, rows, with_costs=sees_compensation(access)
    )
    response = HttpResponse(content, content_type=exports_xlsx.CONTENT_TYPE)
    filename = f"{slugify(report.campaign.name) or 'campaign'}-kpis.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_response(lines: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
