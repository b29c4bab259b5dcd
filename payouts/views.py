"""The payouts ledger pages (admins and owners): the organization's lines with filters and
totals, a campaign's lines, approving and marking paid, and the CSV and XLSX exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role
from campaigns.models import Campaign
from campaigns.selectors import campaign_for
from campaigns.views.common import _access, member_required
from payouts import exports
from payouts.forms import LedgerFilterForm, MarkPaidForm
from payouts.models import PayoutLine, PayoutStatus
from payouts.selectors import campaign_ledger_totals, ledger_lines, ledger_totals
from payouts.services.approvals import payout_approve, payout_approve_many, payout_mark_paid

PAGE_SIZE = 100


def _admin(request: HttpRequest) -> Access:
    access = _access(request)
    require_role(access, Role.ADMIN)
    return access


def _filtered(access: Access, data: Any, campaign: Campaign | None = None
              ) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(data, access=access)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    if campaign is not None:
        filters["campaign"] = campaign
    return form, ledger_lines(access, **filters)


def _ledger_page(request: HttpRequest, access: Access, *, campaign: Campaign | None = None,
                 errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    data = request.GET if request.method == "GET" else None
    form, lines = _filtered(access, data, campaign)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for line in rows:
        if line.status == PayoutStatus.APPROVED:
            # Its own ids; the date field in the reader's calendar (Jalali for Persian).
            line.pay_form = MarkPaidForm(auto_id=f"pay-{line.pk}-%s")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "campaign": campaign,
        "page": page,
        "lines": rows,
        "totals": ledger_totals(lines),
        "campaign_totals": campaign_ledger_totals(campaign) if campaign else None,
        "errors": errors or [],
        "query": query.urlencode(),
        "here": request.get_full_path(),
        "accrued": PayoutStatus.ACCRUED,
        "approved": PayoutStatus.APPROVED,
        "is_owner": access.has_role(Role.OWNER),
        "limit": access.organization.payout_approval_limit,
    }
    return render(request, "payouts/ledger.html", context, status=status)


@member_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request, _admin(request))


@member_required
@require_GET
def campaign_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    require_role(access, Role.ADMIN)
    return _ledger_page(request, access, campaign=campaign)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("payouts:ledger")


def _refused(request: HttpRequest, access: Access, line: PayoutLine, error: Exception
             ) -> HttpResponse:
    if isinstance(error, ValidationError):
        texts = [
            f"{name}: {message}" if name != "__all__" else message
            for name, items in error.message_dict.items() for message in items
        ] if hasattr(error, "error_dict") else error.messages
        status = 400
    else:
        texts, status = [str(error)], 403
    errors = [_("Line %(id)s: %(reason)s") % {"id": line.pk, "reason": t} for t in texts]
    return _ledger_page(request, access, errors=errors, status=status)


@member_required
@require_POST
def line_approve(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    line = get_object_for(access, PayoutLine, pk, action="write")
    try:
        payout_approve(access=access, line=line)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, access, line, error)
    messages.success(request, _("Line %(id)s approved.") % {"id": line.pk})
    return _back(request)


@member_required
@require_POST
def lines_approve(request: HttpRequest) -> HttpResponse:
    """Approve the ticked lines, all or none."""
    access = _admin(request)
    lines = [get_object_for(access, PayoutLine, pk, action="write")
             for pk in request.POST.getlist("lines")]
    if not lines:
        return _ledger_page(request, access, errors=[_("Tick the lines to approve.")],
                            status=400)
    try:
        payout_approve_many(access=access, lines=lines)
    except (ValidationError, PermissionDenied) as error:
        return _ledger_page(request, access, status=400 if isinstance(
            error, ValidationError) else 403, errors=[_("Nothing was approved: %(reason)s") % {
                "reason": "; ".join(error.messages if isinstance(error, ValidationError)
                                    else [str(error)])}])
    messages.success(request, _("%(count)s lines approved.") % {"count": len(lines)})
    return _back(request)


@member_required
@require_POST
def line_pay(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    line = get_object_for(access, PayoutLine, pk, action="write")
    form = MarkPaidForm(request.POST)
    if not form.is_valid():
        error = ValidationError({
            name: [str(e) for e in errs] for name, errs in form.errors.items()
        })
        return _refused(request, access, line, error)
    try:
        payout_mark_paid(access=access, line=line, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, access, line, error)
    messages.success(request, _("Line %(id)s marked paid.") % {"id": line.pk})
    return _back(request)


def _export_lines(request: HttpRequest) -> tuple[Access, Any, Any]:
    access = _admin(request)
    form, lines = _filtered(access, request.GET)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return access, lines, form.cleaned_data.get("month")


@member_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    try:
        access, lines, month = _export_lines(request)
    except ValidationError as error:
        return HttpResponse("; ".join(error.messages), status=400, content_type="text/plain")
    # Whole, not streamed: a month's ledger is small, and a whole answer is what the
    # isolation sweep reads for another organization's rows.
    response = HttpResponse(
        "".join(exports.ledger_csv(lines.iterator(chunk_size=500), access.organization)),
        content_type="text/csv; charset=utf-8",
    )
    filename = exports.export_filename(access.organization, month, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        access, lines, month = _export_lines(request)
    except ValidationError as error:
        return HttpResponse("; ".join(error.messages), status=400, content_type="text/plain")
    response = HttpResponse(
        exports.ledger_workbook(lines, access.organization),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = exports.export_filename(access.organization, month, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
