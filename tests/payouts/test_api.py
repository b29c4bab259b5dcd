"""``/api/v1/payouts/``: admins and owners list, approve and pay; managers and viewers see
nothing (404 on an id); a creator reads only their own lines; an outsider gets 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from payouts.models import PayoutStatus
from tests import factories as f
from tests.payouts.factories import PayoutLineFactory

URL = "/api/v1/payouts/"


@pytest.fixture
def lines(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    mine = PayoutLineFactory(partnership__campaign=campaign, amount=Decimal("900.00"))
    other = PayoutLineFactory(partnership__campaign=campaign, amount=Decimal("50.00"),
                              accrued_at=dt.datetime(2026, 6, 3, tzinfo=dt.UTC))
    return mine, other


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_admins_list_and_filter_lines(api_client_for, team, lines, role) -> None:
    mine, other = lines
    api = api_client_for(team.organization, role)
    assert _ids(api.get(URL)) == sorted([mine.pk, other.pk])
    assert _ids(api.get(URL, {"month": "2026-06"})) == [other.pk]
    assert _ids(api.get(URL, {"partnership": mine.partnership_id})) == [mine.pk]
    assert _ids(api.get(URL, {"campaign": mine.partnership.campaign_id})) == sorted(
        [mine.pk, other.pk])
    assert _ids(api.get(URL, {"status": "paid"})) == []
    row = api.get(f"{URL}{mine.pk}/").json()
    assert row["amount"] == "900.00" and row["campaign"] == mine.partnership.campaign_id
    assert row["creator"] == mine.partnership.influencer.name


def test_a_bad_month_is_a_400_naming_it(api_client_for, team, lines) -> None:
    response = api_client_for(team.organization).get(URL, {"month": "june"})
    assert response.status_code == 400 and "month" in response.json()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_managers_and_viewers_see_no_line(api_client_for, team, lines, role) -> None:
    mine, _ = lines
    api = api_client_for(team.organization, role)
    assert _ids(api.get(URL)) == []
    assert api.get(f"{URL}{mine.pk}/").status_code == 404
    assert api.post(f"{URL}{mine.pk}/approve/").status_code == 404


def test_approve_and_pay_through_the_api(api_client_for, team, lines) -> None:
    mine, _ = lines
    api = api_client_for(team.organization, Role.ADMIN)
    response = api.post(f"{URL}{mine.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api.post(f"{URL}{mine.pk}/pay/", {"paid_on": "2026-05-31", "method": "paypal",
                                                  "reference": "PP-9"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid" and response.json()["reference"] == "PP-9"


def test_the_approval_limit_applies_to_admin_keys(api_client_for, team, lines) -> None:
    mine, _ = lines
    team.organization.payout_approval_limit = Decimal("100.00")
    team.organization.save()
    response = api_client_for(team.organization, Role.ADMIN).post(f"{URL}{mine.pk}/approve/")
    assert response.status_code == 403 and "owner" in response.json()["detail"]
    response = api_client_for(team.organization, Role.OWNER).post(f"{URL}{mine.pk}/approve/")
    assert response.status_code == 200


def test_bad_payment_input_is_a_400_naming_the_fields(api_client_for, team, lines) -> None:
    mine, _ = lines
    api = api_client_for(team.organization, Role.OWNER)
    api.post(f"{URL}{mine.pk}/approve/")
    response = api.post(f"{URL}{mine.pk}/pay/", {"paid_on": "soon", "method": "cash"},
                        format="json")
    assert response.status_code == 400
    assert {"paid_on", "method"} <= set(response.json())
    mine.refresh_from_db()
    assert mine.status == PayoutStatus.APPROVED


def test_paying_an_accrued_line_is_a_400(api_client_for, team, lines) -> None:
    mine, _ = lines
    response = api_client_for(team.organization).post(
        f"{URL}{mine.pk}/pay/", {"paid_on": "2026-05-31", "method": "wise"}, format="json")
    assert response.status_code == 400 and "status" in response.json()


def test_lines_are_read_only(api_client_for, team, lines) -> None:
    mine, _ = lines
    api = api_client_for(team.organization)
    assert api.post(URL, {}, format="json").status_code == 405
    assert api.patch(f"{URL}{mine.pk}/", {"amount": "1"}, format="json").status_code == 405
    assert api.delete(f"{URL}{mine.pk}/").status_code == 405


def test_a_creator_reads_only_their_own_lines(team, lines, creator_member) -> None:
    mine, other = lines
    api = APIClient()
    api.force_login(creator_member(team.organization, mine.partnership.influencer))
    assert _ids(api.get(URL)) == [mine.pk]
    assert api.get(f"{URL}{mine.pk}/").status_code == 200
    assert api.get(f"{URL}{other.pk}/").status_code == 404
    assert api.post(f"{URL}{mine.pk}/approve/").status_code in (403, 404)
    assert api.post(f"{URL}{other.pk}/approve/").status_code == 404
    mine.refresh_from_db()
    assert mine.status == PayoutStatus.ACCRUED


def test_an_outsider_gets_404(api_client_for, outsider_team, lines) -> None:
    mine, _ = lines
    api = api_client_for(outsider_team.organization)
    assert _ids(api.get(URL)) == []
    assert api.get(f"{URL}{mine.pk}/").status_code == 404
    assert api.post(f"{URL}{mine.pk}/approve/").status_code == 404
    assert api.post(f"{URL}{mine.pk}/pay/", {"paid_on": "2026-05-31", "method": "wise"},
                    format="json").status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(
    api_client_for, team, lines, django_assert_max_num_queries
) -> None:
    api = api_client_for(team.organization)
    api.get(URL)
    for _ in range(20):
        PayoutLineFactory(partnership=lines[0].partnership)
    with django_assert_max_num_queries(12):
        assert api.get(URL).status_code == 200
