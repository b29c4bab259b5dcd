"""The ledger pages: admins and owners only (lower roles 403, lines of another organization
404, creators 404 everywhere outside the portal), approving and marking paid with their
errors shown, and the report's cost ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from payouts.models import PayoutStatus
from tests.payouts.factories import PayoutLineFactory


@pytest.fixture
def line(team):
    return PayoutLineFactory(
        partnership__campaign__brand__organization=team.organization,
        partnership__influencer__name="Mia Rivers", amount=Decimal("900.00"),
        description="Fee: 1 × Instagram Reel",
    )


def _approve(client, line, **extra):
    return client.post(reverse("payouts:approve", args=[line.pk]), extra)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_admins_see_the_ledger_with_totals_and_forms(client_for, team, line, role) -> None:
    response = client_for(team.user(role)).get(reverse("payouts:ledger"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mia Rivers" in body and "900.00" in body
    assert reverse("payouts:approve", args=[line.pk]) in body
    assert "csrfmiddlewaretoken" in body
    assert reverse("payouts:export_csv") in body and reverse("payouts:export_xlsx") in body


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_lower_roles_are_refused_the_ledger_and_never_see_a_line(client_for, team, line, role
                                                                 ) -> None:
    client = client_for(team.user(role))
    assert client.get(reverse("payouts:ledger")).status_code == 403
    assert client.get(reverse("payouts:campaign", args=[line.partnership.campaign_id])
                      ).status_code == 403
    assert client.get(reverse("payouts:export_csv")).status_code == 403
    assert _approve(client, line).status_code == 404
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED
    assert reverse("payouts:ledger") not in client.get(reverse("dashboard")).content.decode()


def test_the_nav_shows_payouts_to_admins(client_for, team) -> None:
    assert reverse("payouts:ledger") in client_for(team.admin).get(
        reverse("dashboard")).content.decode()


def test_an_outsider_gets_404_for_the_lines_and_campaign_of_another_org(
    client_for, outsider, line
) -> None:
    client = client_for(outsider)
    assert _approve(client, line).status_code == 404
    assert client.post(reverse("payouts:pay", args=[line.pk])).status_code == 404
    assert client.get(reverse("payouts:campaign", args=[line.partnership.campaign_id])
                      ).status_code == 404
    ledger = client.get(reverse("payouts:ledger")).content.decode()
    assert "Mia Rivers" not in ledger


def test_a_creator_gets_404_on_the_ledger_pages(client_for, team, line, creator_member) -> None:
    client = client_for(creator_member(team.organization, line.partnership.influencer))
    assert client.get(reverse("payouts:ledger")).status_code == 404
    assert _approve(client, line).status_code == 404


def test_approving_from_the_page_redirects_back(client_for, team, line) -> None:
    back = reverse("payouts:ledger") + "?status=accrued"
    response = _approve(client_for(team.admin), line, next=back)
    assert response.status_code == 302 and response["Location"] == back
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_an_offsite_next_is_ignored(client_for, team, line) -> None:
    response = _approve(client_for(team.admin), line, next="https://evil.example/")
    assert response["Location"] == reverse("payouts:ledger")


def test_an_admin_above_the_limit_sees_why(client_for, team, line) -> None:
    team.organization.payout_approval_limit = Decimal("500.00")
    team.organization.save()
    response = _approve(client_for(team.admin), line)
    assert response.status_code == 403
    assert "an owner must approve it" in response.content.decode()
    line.refresh_from_db()
    assert line.status == PayoutStatus.ACCRUED
    assert _approve(client_for(team.owner), line).status_code == 302


def test_marking_paid_from_the_page(client_for, team, line) -> None:
    client = client_for(team.admin)
    _approve(client, line)
    response = client.post(reverse("payouts:pay", args=[line.pk]),
                           {"paid_on": "2026-05-31", "method": "wise", "reference": "W-1"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.paid_on, line.method) == ("paid", dt.date(2026, 5, 31), "wise")


def test_bad_payment_input_is_a_400_naming_the_field(client_for, team, line) -> None:
    client = client_for(team.admin)
    _approve(client, line)
    response = client.post(reverse("payouts:pay", args=[line.pk]),
                           {"paid_on": "yesterday", "method": "cheque"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "paid_on" in body and "method" in body
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_paying_an_accrued_line_is_refused(client_for, team, line) -> None:
    response = client_for(team.admin).post(reverse("payouts:pay", args=[line.pk]),
                                           {"paid_on": "2026-05-31", "method": "wise"})
    assert response.status_code == 400
    assert "Only an approved line" in response.content.decode()


def test_bulk_approval_from_the_page(client_for, team, line) -> None:
    other = PayoutLineFactory(partnership=line.partnership, amount=Decimal("10"))
    response = client_for(team.owner).post(reverse("payouts:approve_many"),
                                           {"lines": [line.pk, other.pk]})
    assert response.status_code == 302
    assert {type(line).objects.get(pk=pk).status for pk in (line.pk, other.pk)} == {"approved"}


def test_the_filters_narrow_the_page_and_a_bad_month_is_shown(client_for, team, line) -> None:
    client = client_for(team.owner)
    row = f'id="line-{line.pk}"'
    body = client.get(reverse("payouts:ledger"), {"status": "paid"}).content.decode()
    assert row not in body
    body = client.get(reverse("payouts:ledger"), {"month": "2026-05"}).content.decode()
    assert row in body
    body = client.get(reverse("payouts:ledger"), {"month": "2026-06"}).content.decode()
    assert row not in body
    body = client.get(reverse("payouts:ledger"), {"month": "May"}).content.decode()
    assert "YYYY-MM" in body


def test_the_campaign_ledger_lists_only_its_lines(client_for, team, line) -> None:
    other = PayoutLineFactory(partnership__campaign__brand__organization=team.organization,
                              partnership__influencer__name="Other Creator")
    body = client_for(team.owner).get(
        reverse("payouts:campaign", args=[line.partnership.campaign_id])).content.decode()
    assert f'id="line-{line.pk}"' in body and f'id="line-{other.pk}"' not in body


def test_the_ledger_page_reads_a_fixed_number_of_queries(
    client_for, team, line, django_assert_max_num_queries
) -> None:
    client = client_for(team.owner)
    client.get(reverse("payouts:ledger"))
    for _ in range(20):
        PayoutLineFactory(partnership__campaign__brand__organization=team.organization)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("payouts:ledger")).status_code == 200
