"""The campaign report: KPI cards, chart, funnel, creator leaderboard; recompute; CSV and
XLSX exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from campaigns import exports, exports_xlsx
from campaigns.selectors import campaign_for, sees_compensation
from campaigns.views.common import _access, member_required
from content.views.panels import caption_failures
from metrics.report_context import leaderboard, report_context
from metrics.scheduling import schedule_kpi_recompute
from metrics.selectors.reports import campaign_report
from payouts.selectors import cost_ledger


@member_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    report = campaign_report(access, pk)
    context = {
        **report_context(
            report, sort=request.GET.get("sort", "emv"), direction=request.GET.get("dir", ""),
        ),
        "can_edit": access.has_role(Role.MANAGER),
        "is_admin": access.has_role(Role.ADMIN),
    }
    if request.htmx and request.GET.get("partial") == "leaderboard":  # type: ignore[attr-defined]
        return render(request, "campaigns/report.html#leaderboard", context)
    context.update(
        caption_failures(access, report.campaign),  # the failed caption checks
        # The payouts ledger beside the engine's cost breakdown (compensation: admins+).
        cost_ledger=cost_ledger(report.campaign, report.total)
        if sees_compensation(access) else None,
    )
    return render(request, "campaigns/report.html", context)


@member_required
@require_POST
def campaign_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a recompute of the campaign's KPIs once this request's transaction commits."""
    campaign = campaign_for(_access(request), pk, action="write")
    schedule_kpi_recompute([campaign.pk])
    messages.success(request, _("Recompute queued — the numbers refresh in a few seconds."))
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
    rows = leaderboard(report, request.GET.get("sort", "emv"), request.GET.get("dir", ""))
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
    rows = leaderboard(report, request.GET.get("sort", "emv"), request.GET.get("dir", ""))
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
