"""Who sees which lines, the month filter in the organization's time zone, and the totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.selectors import Access
from payouts.models import PayoutKind, PayoutStatus
from payouts.selectors import (
    campaign_ledger_totals,
    ledger_lines,
    parse_month,
    partnership_earnings,
)
from tests import factories as f
from tests.payouts.factories import DeliverableFactory, PayoutLineFactory


@pytest.fixture
def two_creators(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    mine = PayoutLineFactory(partnership__campaign=campaign, amount=Decimal("100"))
    theirs = PayoutLineFactory(partnership__campaign=campaign, amount=Decimal("50"))
    return mine, theirs


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_admins_see_every_line(team, two_creators, role) -> None:
    assert set(ledger_lines(team.access(role))) == set(two_creators)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_managers_and_viewers_see_none(team, two_creators, role) -> None:
    assert list(ledger_lines(team.access(role))) == []


def test_a_creator_sees_only_their_own_lines(team, two_creators) -> None:
    mine, _theirs = two_creators
    access = Access(organization=team.organization, role=Role.CREATOR,
                    influencer_id=mine.partnership.influencer_id)
    assert list(ledger_lines(access)) == [mine]


def test_an_outsider_sees_none(outsider_team, two_creators) -> None:
    assert list(ledger_lines(outsider_team.access(Role.OWNER))) == []


def test_the_month_is_the_organizations_local_month(team) -> None:
    team.organization.time_zone = "Asia/Tehran"  # UTC+03:30
    team.organization.save()
    # 22:00 UTC on 31 May is 1 June, 01:30 in Tehran.
    june = PayoutLineFactory(partnership__campaign__brand__organization=team.organization,
                             accrued_at=dt.datetime(2026, 5, 31, 22, tzinfo=dt.UTC))
    may = PayoutLineFactory(partnership=june.partnership,
                            accrued_at=dt.datetime(2026, 5, 31, 20, tzinfo=dt.UTC))
    access = team.access()
    assert list(ledger_lines(access, month="2026-06")) == [june]
    assert list(ledger_lines(access, month="2026-05")) == [may]
    assert list(ledger_lines(access, month="2026-12")) == []


@pytest.mark.parametrize("text", ["2026-13", "May", "2026-5", "26-05", "2026-05-01"])
def test_a_bad_month_is_refused_naming_the_field(text) -> None:
    with pytest.raises(ValidationError) as error:
        parse_month(text)
    assert "month" in error.value.message_dict


def test_parse_month_accepts_empty_and_a_month() -> None:
    assert parse_month("") is None and parse_month(None) is None
    assert parse_month("2026-05") == dt.date(2026, 5, 1)


def test_partnership_earnings_sum_by_status(team) -> None:
    line = PayoutLineFactory(partnership__campaign__brand__organization=team.organization,
                             amount=Decimal("100"))
    p = line.partnership
    PayoutLineFactory(partnership=p, amount=Decimal("40"), status=PayoutStatus.APPROVED)
    PayoutLineFactory(partnership=p, amount=Decimal("25"), status=PayoutStatus.PAID,
                      paid_on=dt.date(2026, 5, 1))
    PayoutLineFactory(partnership=p, amount=Decimal("-5"), kind=PayoutKind.COMMISSION)
    assert partnership_earnings(p) == {
        "accrued": Decimal("95.00"), "approved": Decimal("40.00"), "paid": Decimal("25.00"),
        "total": Decimal("160.00"), "currency": "USD",
    }


def test_campaign_totals_per_kind_and_fees_not_yet_due(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    partnership = f.PartnershipFactory(campaign=campaign, status="contracted")
    due = DeliverableFactory(partnership=partnership, fee_share=Decimal("300"))
    DeliverableFactory(partnership=partnership, fee_share=Decimal("200"))
    PayoutLineFactory(partnership=partnership, deliverable=due, amount=Decimal("300"))
    PayoutLineFactory(partnership=partnership, kind=PayoutKind.PRODUCT, amount=Decimal("80"),
                      status=PayoutStatus.APPROVED)
    totals = campaign_ledger_totals(campaign)
    assert totals["fees"]["accrued"] == Decimal("300") and totals["fees"]["total"] == 300
    assert totals["product"]["approved"] == Decimal("80")
    assert totals["commission"]["total"] == 0
    assert totals["total"]["total"] == Decimal("380")
    assert totals["fees_not_yet_due"] == Decimal("200")
