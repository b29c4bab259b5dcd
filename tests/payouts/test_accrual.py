"""Lines accrue from the workflow: a deliverable's fee share at its milestone (once), a
committed partnership's product value (once)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from campaigns.models import PartnershipStatus
from content.models import DeliverableStatus, PayOn
from content.services.deliverables import set_status
from content.signals import deliverable_status_changed
from metrics.engine import kpis_recompute
from payouts.models import PayoutKind, PayoutLine
from payouts.services.accrual import fee_accrue, milestone_reached
from tests import factories as f
from tests.payouts.factories import DeliverableFactory

S = DeliverableStatus


@pytest.mark.parametrize(
    ("status", "pay_on", "due"),
    [
        (S.PLANNED, PayOn.APPROVED, False),
        (S.DRAFT_SUBMITTED, PayOn.APPROVED, False),
        (S.CHANGES_REQUESTED, PayOn.APPROVED, False),
        (S.APPROVED, PayOn.APPROVED, True),
        (S.LIVE, PayOn.APPROVED, True),  # approval skipped: going live passes it
        (S.VERIFIED, PayOn.APPROVED, True),
        (S.APPROVED, PayOn.LIVE, False),
        (S.LIVE, PayOn.LIVE, True),
        (S.VERIFIED, PayOn.LIVE, True),
    ],
)
def test_the_milestone_is_reached_at_or_after_pay_on(status, pay_on, due) -> None:
    assert milestone_reached(status, pay_on) is due


def _walk(deliverable, *statuses) -> None:
    for status in statuses:
        set_status(access=None, deliverable=deliverable, status=status)


def test_the_fee_share_accrues_on_approval_through_the_workflow(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization, currency="EUR")
    deliverable = DeliverableFactory(partnership__campaign=campaign, fee_share=Decimal("300"))
    _walk(deliverable, S.DRAFT_SUBMITTED, S.CHANGES_REQUESTED, S.DRAFT_SUBMITTED)
    assert not PayoutLine.objects.exists()
    _walk(deliverable, S.APPROVED)
    line = PayoutLine.objects.get()
    assert (line.kind, line.amount, line.currency) == (PayoutKind.FEE, Decimal("300.00"), "EUR")
    assert line.deliverable == deliverable and line.partnership == deliverable.partnership
    assert line.status == "accrued"
    _walk(deliverable, S.LIVE, S.VERIFIED)  # later milestones add nothing
    assert PayoutLine.objects.count() == 1


def test_a_fee_paid_on_going_live_waits_for_the_live_post(team) -> None:
    deliverable = DeliverableFactory(
        partnership__campaign__brand__organization=team.organization, pay_on=PayOn.LIVE
    )
    _walk(deliverable, S.DRAFT_SUBMITTED, S.APPROVED)
    assert not PayoutLine.objects.exists()
    _walk(deliverable, S.LIVE)
    assert PayoutLine.objects.get().amount == Decimal("200.00")


def test_a_skipped_milestone_still_accrues_when_a_later_status_is_reached(team) -> None:
    deliverable = DeliverableFactory(partnership__campaign__brand__organization=team.organization)
    deliverable.status = S.LIVE  # e.g. the live post linked straight from planned
    deliverable.save()
    deliverable_status_changed.send(sender=type(deliverable), deliverable=deliverable,
                                    status=S.LIVE)
    assert PayoutLine.objects.filter(kind=PayoutKind.FEE, deliverable=deliverable).count() == 1


def test_the_fee_accrues_once_whatever_the_repeats(team) -> None:
    deliverable = DeliverableFactory(partnership__campaign__brand__organization=team.organization)
    for _ in range(3):
        fee_accrue(deliverable=deliverable, status=S.APPROVED)
    assert PayoutLine.objects.count() == 1


def test_a_zero_fee_share_accrues_no_line(team) -> None:
    deliverable = DeliverableFactory(
        partnership__campaign__brand__organization=team.organization, fee_share=Decimal("0")
    )
    assert fee_accrue(deliverable=deliverable, status=S.APPROVED) is None
    assert not PayoutLine.objects.exists()


def test_the_product_value_accrues_once_when_the_partnership_is_committed(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    prospect = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.PROSPECT,
                                    product_value=Decimal("80"), commission_rate=0)
    contracted = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.CONTRACTED,
                                      product_value=Decimal("120"), commission_rate=0)
    f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.CONTRACTED,
                         product_value=Decimal("0"), commission_rate=0)
    kpis_recompute(campaign_id=campaign.pk)
    kpis_recompute(campaign_id=campaign.pk)
    lines = list(PayoutLine.objects.filter(kind=PayoutKind.PRODUCT))
    assert [(line.partnership, line.amount) for line in lines] == [
        (contracted, Decimal("120.00"))
    ]
    prospect.status = PartnershipStatus.CONTRACTED
    prospect.save()
    kpis_recompute(campaign_id=campaign.pk)
    assert PayoutLine.objects.filter(kind=PayoutKind.PRODUCT).count() == 2


def test_an_open_product_line_follows_a_changed_value(team) -> None:
    partnership = f.PartnershipFactory(
        campaign__brand__organization=team.organization, status=PartnershipStatus.CONTRACTED,
        product_value=Decimal("120"), commission_rate=0,
    )
    kpis_recompute(campaign_id=partnership.campaign_id)
    partnership.product_value = Decimal("90")
    partnership.save()
    kpis_recompute(campaign_id=partnership.campaign_id)
    line = PayoutLine.objects.get(kind=PayoutKind.PRODUCT)
    assert (line.amount, line.previous_amount) == (Decimal("90.00"), Decimal("120.00"))


def test_a_lines_description_is_in_the_organisations_language_not_the_readers(team) -> None:
    """A Persian organisation's ledger reads Persian, whoever's request moved the deliverable."""
    from django.utils import translation

    team.organization.default_language = "fa"
    team.organization.save()
    deliverable = DeliverableFactory(
        partnership__campaign__brand__organization=team.organization,
        status=S.APPROVED, pay_on=PayOn.APPROVED, fee_share=Decimal("120"),
    )
    with translation.override("en"):
        line = fee_accrue(deliverable=deliverable)
    assert line is not None and line.description.startswith("دستمزد")
