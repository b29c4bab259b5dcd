"""A member approves an accrued line, then marks it paid (no payment is sent from here: the
export is what a finance team imports). Admins and owners only; a line above the
organization's ``payout_approval_limit`` needs an owner. Every step is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.models import Organization, Role
from accounts.selectors import Access, require_role
from accounts.writes import ensure_in_organization
from payouts.models import PayoutLine, PayoutStatus


def _locked(access: Access, line: PayoutLine) -> PayoutLine:
    require_role(access, Role.ADMIN)
    ensure_in_organization(access, line)
    return PayoutLine.objects.select_for_update(of=("self",)).select_related(
        "partnership__campaign__brand__organization"
    ).get(pk=line.pk)


def _check_limit(access: Access, line: PayoutLine) -> None:
    # The organization as stored now: an owner may just have lowered the limit.
    limit = Organization.objects.filter(pk=access.organization.pk).values_list(
        "payout_approval_limit", flat=True
    ).first()
    if limit is not None and line.amount > limit and not access.has_role(Role.OWNER):
        raise PermissionDenied(
            _("This line (%(amount)s %(currency)s) is above the approval limit of %(limit)s "
              "%(currency)s: an owner must approve it.")
            % {"amount": line.amount, "currency": line.currency, "limit": limit}
        )


def _approve(access: Access, line: PayoutLine) -> PayoutLine:
    line = _locked(access, line)
    if line.status != PayoutStatus.ACCRUED:
        raise ValidationError({"status": _(
            "Only an accrued line can be approved; this one is %(status)s."
        ) % {"status": line.get_status_display()}})
    _check_limit(access, line)
    line.status = PayoutStatus.APPROVED
    line.approved_at = timezone.now()
    line.approved_by = access.user
    line.full_clean()
    line.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(
        access=access, organization=access.organization, action="payout.approved", obj=line,
        changes={"status": [PayoutStatus.ACCRUED, PayoutStatus.APPROVED],
                 "amount": str(line.amount), "currency": line.currency},
    )
    return line


@transaction.atomic
def payout_approve(*, access: Access, line: PayoutLine) -> PayoutLine:
    return _approve(access, line)


@transaction.atomic
def payout_approve_many(*, access: Access, lines: Iterable[PayoutLine]) -> list[PayoutLine]:
    """Approve every line, or none: one refusal (a line above the limit, one already
    approved) undoes the others."""
    return [_approve(access, line) for line in lines]


@transaction.atomic
def payout_mark_paid(
    *, access: Access, line: PayoutLine, paid_on: dt.date | None, method: str,
    reference: str = "",
) -> PayoutLine:
    line = _locked(access, line)
    if line.status != PayoutStatus.APPROVED:
        raise ValidationError({"status": _(
            "Only an approved line can be marked paid; this one is %(status)s."
        ) % {"status": line.get_status_display()}})
    errors: dict[str, Any] = {}
    if paid_on is None:
        errors["paid_on"] = _("Give the date it was paid.")
    if not method:
        errors["method"] = _("Choose how it was paid.")
    if errors:
        raise ValidationError(errors)
    line.status = PayoutStatus.PAID
    line.paid_on = paid_on
    line.method = method
    line.reference = (reference or "").strip()
    line.full_clean()
    line.save(update_fields=["status", "paid_on", "method", "reference", "updated_at"])
    audit_record(
        access=access, organization=access.organization, action="payout.paid", obj=line,
        changes={"status": [PayoutStatus.APPROVED, PayoutStatus.PAID],
                 "paid_on": str(paid_on), "method": method, "reference": line.reference,
                 "amount": str(line.amount)},
    )
    return line


@transaction.atomic
def payout_line_delete(*, access: Access, line: PayoutLine) -> None:
    """Remove a line still merely accrued (admins); an approved or paid line stays in the
    ledger, corrected by a new line if need be."""
    line = _locked(access, line)
    if line.status != PayoutStatus.ACCRUED:
        raise ValidationError(_("An approved or paid line stays in the ledger."))
    audit_record(
        access=access, organization=access.organization, action="payout.deleted", obj=line,
        changes={"amount": str(line.amount), "kind": line.kind},
    )
    line.delete()
