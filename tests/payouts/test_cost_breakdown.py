"""The ledger and the KPI engine agree: once every deliverable of a fully delivered campaign is
approved, the ledger's fee, product and commission totals equal the engine's cost breakdown;
the report shows both side by side to admins and owners only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from campaigns.models import PartnershipStatus
from content.models import DeliverableStatus
from content.services.deliverables import set_status
from metrics.engine import kpis_recompute
from metrics.selectors.snapshots import campaign_document
from payouts.selectors import campaign_ledger_totals
from tests import factories as f
from tests.payouts.factories import DeliverableFactory

S = DeliverableStatus


@pytest.fixture
def delivered(team):
    """Two contracted creators: fees split across deliverables, a product, sales."""
    campaign = f.CampaignFactory(brand__organization=team.organization)
    ana = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.CONTRACTED,
                               fee=Decimal("500"), product_value=Decimal("80"),
                               commission_rate=Decimal("10"))
    ben = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.LIVE,
                               fee=Decimal("300"), commission_rate=Decimal("12.5"))
    deliverables = [
        DeliverableFactory(partnership=ana, fee_share=Decimal("300")),
        DeliverableFactory(partnership=ana, fee_share=Decimal("200")),
        DeliverableFactory(partnership=ben, fee_share=Decimal("300")),
    ]
    for partnership, amount in ((ana, "240.00"), (ben, "99.99"), (ben, "40.00")):
        f.ConversionFactory(brand=campaign.brand, partnership=partnership, attribution="manual",
                            amount=Decimal(amount))
    return campaign, deliverables


def _engine(campaign) -> dict[str, Decimal]:
    breakdown = campaign_document(campaign.pk)["roi"]["cost_breakdown"]
    return {key: Decimal(str(breakdown[key])) for key in ("fees", "product", "commission")}


def _ledger(campaign) -> dict[str, Decimal]:
    totals = campaign_ledger_totals(campaign)
    return {key: totals[key]["total"] for key in ("fees", "product", "commission")}


def test_the_ledger_matches_the_cost_breakdown_once_everything_is_approved(delivered) -> None:
    campaign, deliverables = delivered
    kpis_recompute(campaign_id=campaign.pk)
    engine = _engine(campaign)
    assert engine["fees"] == Decimal("800") and engine["commission"] > 0
    assert _ledger(campaign)["fees"] == 0  # nothing delivered yet
    assert campaign_ledger_totals(campaign)["fees_not_yet_due"] == Decimal("800")
    for deliverable in deliverables:
        for status in (S.DRAFT_SUBMITTED, S.APPROVED):
            set_status(access=None, deliverable=deliverable, status=status)
    assert _ledger(campaign) == engine
    assert campaign_ledger_totals(campaign)["fees_not_yet_due"] == 0


def test_the_ledger_follows_a_refund_and_still_matches(delivered) -> None:
    campaign, deliverables = delivered
    for deliverable in deliverables:
        for status in (S.DRAFT_SUBMITTED, S.APPROVED):
            set_status(access=None, deliverable=deliverable, status=status)
    kpis_recompute(campaign_id=campaign.pk)
    before = _ledger(campaign)["commission"]
    sale = campaign.brand.conversions.order_by("amount").last()
    f.RefundFactory(conversion=sale, amount=Decimal("40.00"))
    kpis_recompute(campaign_id=campaign.pk)
    assert _ledger(campaign) == _engine(campaign)
    assert _ledger(campaign)["commission"] == before - Decimal("4.00")  # 10% of 40.00


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_the_report_shows_the_ledger_beside_the_cost_breakdown(client_for, team, delivered,
                                                               role) -> None:
    campaign, _ = delivered
    kpis_recompute(campaign_id=campaign.pk)
    body = client_for(team.user(role)).get(reverse("campaign_detail", args=[campaign.pk]))
    html = body.content.decode()
    assert 'id="cost-ledger"' in html and 'data-cost="commission"' in html
    assert reverse("payouts:campaign", args=[campaign.pk]) in html


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_lower_roles_see_no_cost_ledger_on_the_report(client_for, team, delivered, role) -> None:
    campaign, _ = delivered
    html = client_for(team.user(role)).get(
        reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert 'id="cost-ledger"' not in html
