"""The accounting export: CSV and XLSX with the columns a finance team imports, per month (the
organization's local month) and per creator; formula-looking text defused."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Role
from payouts.exports import HEADER
from payouts.models import PayoutStatus
from tests import factories as f
from tests.payouts.factories import PayoutLineFactory


@pytest.fixture
def lines(team):
    campaign = f.CampaignFactory(brand__organization=team.organization, name="Spring Glow",
                                 brand__name="Glow Co", currency="EUR")
    may = PayoutLineFactory(
        partnership__campaign=campaign, partnership__influencer__name="=HYPERLINK(\"x\")",
        amount=Decimal("300.00"), status=PayoutStatus.PAID, paid_on=dt.date(2026, 5, 30),
        method="bank_transfer", reference="INV-51", approved_by=team.owner,
        approved_at=dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC),
        accrued_at=dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC),
    )
    june = PayoutLineFactory(
        partnership__campaign=campaign, partnership__influencer__name="Noor",
        amount=Decimal("-5.31"), kind="commission", description="Commission adjustment",
        accrued_at=dt.datetime(2026, 6, 2, 12, tzinfo=dt.UTC),
    )
    return may, june


def _csv(client, **params) -> list[list[str]]:
    response = client.get(reverse("payouts:export_csv"), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_the_finance_columns_and_every_line(client_for, team, lines) -> None:
    may, june = lines
    rows = _csv(client_for(team.owner))
    assert rows[0] == list(HEADER)
    by_id = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {str(may.pk), str(june.pk)}
    paid = by_id[str(may.pk)]
    assert paid["creator"] == "'=HYPERLINK(\"x\")"  # defused
    assert (paid["campaign"], paid["brand"], paid["kind"], paid["amount"], paid["currency"]) == (
        "Spring Glow", "Glow Co", "fee", "300.00", "EUR"
    )
    assert (paid["status"], paid["accrued_on"], paid["approved_on"], paid["approved_by"]) == (
        "paid", "2026-05-10", "2026-05-20", get_user_model().objects.get(pk=team.owner.pk
                                                                          ).get_username()
    )
    assert (paid["paid_on"], paid["method"], paid["reference"]) == (
        "2026-05-30", "bank_transfer", "INV-51"
    )
    assert by_id[str(june.pk)]["amount"] == "-5.31"  # a number, not a defused formula


def test_the_month_and_creator_filters(client_for, team, lines) -> None:
    may, june = lines
    client = client_for(team.admin)
    assert [r[0] for r in _csv(client, month="2026-05")[1:]] == [str(may.pk)]
    assert [r[0] for r in _csv(client, month="2026-06")[1:]] == [str(june.pk)]
    assert [r[0] for r in _csv(client, influencer=june.partnership.influencer_id)[1:]] == [
        str(june.pk)
    ]
    assert _csv(client, month="2026-07")[1:] == []


def test_the_month_is_the_organizations_local_month(client_for, team, lines) -> None:
    may, _ = lines
    may.accrued_at = dt.datetime(2026, 4, 30, 23, tzinfo=dt.UTC)  # 1 May in Berlin
    may.save()
    team.organization.time_zone = "Europe/Berlin"
    team.organization.save()
    rows = _csv(client_for(team.owner), month="2026-05")
    assert [r[0] for r in rows[1:]] == [str(may.pk)]
    assert rows[1][HEADER.index("accrued_on")] == "2026-05-01"


def test_a_bad_month_is_a_400_naming_it(client_for, team, lines) -> None:
    response = client_for(team.owner).get(reverse("payouts:export_csv"), {"month": "2026-13"})
    assert response.status_code == 400 and "YYYY-MM" in response.content.decode()


def test_the_workbook_opens_with_numbers_and_text(client_for, team, lines) -> None:
    may, june = lines
    response = client_for(team.owner).get(reverse("payouts:export_xlsx"), {"month": "2026-05"})
    assert response.status_code == 200
    assert "2026-05" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADER)
    assert len(rows) == 2
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["line_id"] == may.pk and row["amount"] == 300
    creator = sheet.cell(2, HEADER.index("creator") + 1)
    assert creator.data_type == "s"  # text, never a formula


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_lower_roles_get_no_export(client_for, team, lines, role) -> None:
    client = client_for(team.user(role))
    assert client.get(reverse("payouts:export_csv")).status_code == 403
    assert client.get(reverse("payouts:export_xlsx")).status_code == 403


def test_an_outsider_exports_none_of_another_organizations_lines(client_for, outsider, lines
                                                                  ) -> None:
    assert _csv(client_for(outsider))[1:] == []
