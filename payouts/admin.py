"""Payout lines in the Django admin: looked at, approved — through the same service as the
pages, with the role the member holds in the line's organisation. Lines accrue from the
workflow and the engine, so none is added or edited here; an accrued line may be deleted
(audited), an approved or paid one stays."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin_bases import ReadOnlyModelAdmin
from accounts.admin_scoping import admin_access
from accounts.selectors import Access
from payouts.models import PayoutLine
from payouts.services.approvals import payout_approve, payout_line_delete


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "kind", "amount", "currency", "status", "accrued_at",
                    "approved_at", "paid_on")
    list_filter = ("status", "kind", "partnership__campaign__brand__organization",
                   "partnership__campaign")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    search_fields = ("description", "reference", "partnership__influencer__name")
    date_hierarchy = "accrued_at"
    actions = ["approve_lines"]

    def service_delete(self, access: Access, obj: PayoutLine) -> bool:
        # Deletable (admins, as the checkpoint says) so a campaign or partnership can still
        # be deleted with its lines; one line alone only while it is merely accrued.
        payout_line_delete(access=access, line=obj)
        return True

    @admin.action(description="Approve the selected accrued lines")
    def approve_lines(self, request: HttpRequest, queryset: QuerySet[PayoutLine]) -> None:
        lines = list(queryset.select_related("partnership__campaign__brand__organization"))
        if not all(self.allowed(request, "write", line) for line in lines):
            raise PermissionDenied("Approving needs the admin role in every line's organisation.")
        approved = 0
        for line in lines:
            access = admin_access(request, line.partnership.campaign.brand.organization)
            try:
                payout_approve(access=access, line=line)
            except (ValidationError, PermissionDenied) as error:
                reason = "; ".join(error.messages) if isinstance(error, ValidationError) \
                    else str(error)
                self.message_user(request, f"{line}: {reason}", messages.ERROR)
            else:
                approved += 1
        if approved:
            self.message_user(request, f"Approved {approved} line(s).", messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not self.allowed(request, "write"):
            actions.pop("approve_lines", None)
        return actions
