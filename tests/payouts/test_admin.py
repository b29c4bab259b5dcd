"""The admin is no back door: lines are approved there through the service (role, limit,
audit), never edited, and one is deleted only while merely accrued."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import AuditEntry
from payouts.models import PayoutLine, PayoutStatus
from tests.admin_support import admin_url, staff_client
from tests.payouts.factories import PayoutLineFactory


@pytest.fixture
def line(team):
    return PayoutLineFactory(partnership__campaign__brand__organization=team.organization,
                             amount=Decimal("900.00"))


def _approve(client, *lines):
    return client.post(admin_url(PayoutLine, "changelist"), {
        "action": "approve_lines", "_selected_action": [x.pk for x in lines],
    })


def test_an_admin_approves_through_the_service(team, line) -> None:
    response = _approve(staff_client(team.admin), line)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED and line.approved_by == team.admin
    assert AuditEntry.objects.filter(action="payout.approved").count() == 1


def test_the_limit_holds_in_the_admin(team, line) -> None:
    team.organization.payout_approval_limit = Decimal("100")
    team.organization.save()
    client = staff_client(team.admin)
    _approve(client, line)
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED


def test_a_manager_has_no_approve_action(team, line) -> None:
    response = _approve(staff_client(team.manager), line)
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED


def test_the_change_page_saves_nothing(team, line) -> None:
    client = staff_client(team.owner)
    page = client.get(admin_url(PayoutLine, "change", line.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(admin_url(PayoutLine, "change", line.pk), {"amount": "1.00"})
    line.refresh_from_db()
    assert line.amount == Decimal("900.00")


def test_an_approved_line_is_not_deleted(team, line) -> None:
    line.status = PayoutStatus.APPROVED
    line.save()
    client = staff_client(team.owner)
    client.post(admin_url(PayoutLine, "delete", line.pk), {"post": "yes"})
    assert PayoutLine.objects.filter(pk=line.pk).exists()
