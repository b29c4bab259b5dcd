"""Approving and marking paid: admins and owners, only from the right status, above the
organization's limit only an owner, each step audited; approved and paid amounts never move."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry, Role
from payouts.models import PayoutLine, PayoutStatus
from payouts.services.approvals import (
    payout_approve,
    payout_approve_many,
    payout_line_delete,
    payout_mark_paid,
)
from tests.payouts.factories import PayoutLineFactory


@pytest.fixture
def line(team) -> PayoutLine:
    return PayoutLine.objects.get(pk=PayoutLineFactory(
        partnership__campaign__brand__organization=team.organization, amount=Decimal("900.00")
    ).pk)


def _limit(team, value: str | None) -> None:
    team.organization.payout_approval_limit = None if value is None else Decimal(value)
    team.organization.save()


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_admins_and_owners_approve_an_accrued_line(team, line, role) -> None:
    approved = payout_approve(access=team.access(role), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED == approved.status
    assert line.approved_by == team.user(role) and line.approved_at is not None
    entry = AuditEntry.objects.get(action="payout.approved")
    assert entry.object_id == str(line.pk) and entry.actor == team.user(role)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_managers_and_viewers_may_not_approve(team, line, role) -> None:
    with pytest.raises(PermissionDenied):
        payout_approve(access=team.access(role), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED


def test_an_admin_is_refused_a_line_above_the_limit_and_an_owner_approves_it(team, line) -> None:
    _limit(team, "500.00")
    with pytest.raises(PermissionDenied, match="above the approval limit of 500.00"):
        payout_approve(access=team.access(Role.ADMIN), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED
    assert not AuditEntry.objects.filter(action="payout.approved").exists()
    payout_approve(access=team.access(Role.OWNER), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_an_admin_approves_up_to_the_limit(team, line) -> None:
    _limit(team, "900.00")
    payout_approve(access=team.access(Role.ADMIN), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_only_an_accrued_line_is_approved(team, line) -> None:
    payout_approve(access=team.access(), line=line)
    with pytest.raises(ValidationError) as error:
        payout_approve(access=team.access(), line=line)
    assert "status" in error.value.message_dict


def test_an_outsider_cannot_approve_a_line(team, outsider_team, line) -> None:
    with pytest.raises(ValidationError):
        payout_approve(access=outsider_team.access(Role.OWNER), line=line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED


def test_bulk_approval_is_all_or_nothing(team, line) -> None:
    _limit(team, "500.00")
    small = PayoutLine.objects.get(
        pk=PayoutLineFactory(partnership=line.partnership, amount=Decimal("100.00")).pk
    )
    with pytest.raises(PermissionDenied):
        payout_approve_many(access=team.access(Role.ADMIN), lines=[small, line])
    small.refresh_from_db()
    assert small.status == PayoutStatus.ACCRUED
    payout_approve_many(access=team.access(Role.OWNER), lines=[small, line])
    assert {PayoutLine.objects.get(pk=pk).status for pk in (small.pk, line.pk)} == {
        PayoutStatus.APPROVED
    }


def test_an_approved_line_is_marked_paid_and_audited(team, line) -> None:
    payout_approve(access=team.access(), line=line)
    payout_mark_paid(access=team.access(Role.ADMIN), line=line, paid_on=dt.date(2026, 5, 31),
                     method="bank_transfer", reference=" INV-51 ")
    line.refresh_from_db()
    assert (line.status, line.paid_on, line.method, line.reference) == (
        PayoutStatus.PAID, dt.date(2026, 5, 31), "bank_transfer", "INV-51"
    )
    entry = AuditEntry.objects.get(action="payout.paid")
    assert entry.changes["reference"] == "INV-51" and entry.changes["amount"] == "900.00"


def test_only_an_approved_line_is_marked_paid(team, line) -> None:
    with pytest.raises(ValidationError) as error:
        payout_mark_paid(access=team.access(), line=line, paid_on=dt.date(2026, 5, 31),
                         method="paypal")
    assert "status" in error.value.message_dict
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED


def test_marking_paid_needs_a_date_and_a_known_method(team, line) -> None:
    payout_approve(access=team.access(), line=line)
    with pytest.raises(ValidationError) as error:
        payout_mark_paid(access=team.access(), line=line, paid_on=None, method="")
    assert set(error.value.message_dict) == {"paid_on", "method"}
    with pytest.raises(ValidationError) as error:
        payout_mark_paid(access=team.access(), line=line, paid_on=dt.date(2026, 5, 1),
                         method="cheque")
    assert "method" in error.value.message_dict
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_a_manager_cannot_mark_paid(team, line) -> None:
    payout_approve(access=team.access(), line=line)
    with pytest.raises(PermissionDenied):
        payout_mark_paid(access=team.access(Role.MANAGER), line=line,
                         paid_on=dt.date(2026, 5, 31), method="paypal")


def test_only_an_accrued_line_may_be_deleted(team, line) -> None:
    other = PayoutLineFactory(partnership=line.partnership)
    payout_approve(access=team.access(), line=line)
    with pytest.raises(ValidationError):
        payout_line_delete(access=team.access(), line=line)
    payout_line_delete(access=team.access(), line=other)
    assert list(PayoutLine.objects.values_list("pk", flat=True)) == [line.pk]
    assert AuditEntry.objects.filter(action="payout.deleted").count() == 1
