"""The commission follows the KPI engine: a Shopify order credited to a creator's code
accrues it, its refund moves it down (the previous amount kept); once approved, a change is a
new adjustment line and the approved amount stays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client

from accounts.models import AuditEntry
from metrics.engine import kpis_recompute
from metrics.selectors.snapshots import partnership_document
from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from payouts.services.accrual import commission_of, ledger_sync
from payouts.services.approvals import payout_approve
from tests import factories as f
from tests.metrics.tracking.shopify_support import ORDER, REFUND, SECRET, post


@pytest.fixture
def mia(team):
    """Mia's partnership (10% commission) in a campaign of October 2026, with her code."""
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret=SECRET,
                           website="https://shop.example")
    campaign = f.CampaignFactory(brand=brand, slug="fall-glow", start_date=dt.date(2026, 10, 1),
                                 end_date=dt.date(2026, 10, 31))
    partnership = f.PartnershipFactory(campaign=campaign, commission_rate=Decimal("10"))
    f.PromoCodeFactory(partnership=partnership, code="MIA10")
    return partnership


@pytest.fixture
def shopify(django_capture_on_commit_callbacks):
    def send(brand, payload, *, topic: str, webhook_id: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(Client(), brand, payload, topic=topic, webhook_id=webhook_id)
        assert response.status_code == 200
        # The recompute a webhook schedules, run here whatever the scheduling's debounce.
        kpis_recompute(campaign_id=brand.campaigns.get().pk)

    return send


def _commission(partnership) -> list[PayoutLine]:
    return list(PayoutLine.objects.filter(partnership=partnership, kind=PayoutKind.COMMISSION)
                .order_by("id"))


def test_a_shopify_sale_accrues_commission_and_its_refund_reduces_it(mia, shopify) -> None:
    brand = mia.campaign.brand
    shopify(brand, ORDER, topic="orders/create", webhook_id="order")
    [line] = _commission(mia)
    engine = commission_of(partnership_document(mia.campaign_id, mia.pk))
    assert line.amount == engine == Decimal("10.62")  # 10% of the 106.20 subtotal
    assert line.previous_amount is None and line.currency == "USD"

    shopify(brand, REFUND, topic="refunds/create", webhook_id="refund")
    [line] = _commission(mia)
    assert line.amount == commission_of(partnership_document(mia.campaign_id, mia.pk))
    assert (line.amount, line.previous_amount) == (Decimal("5.31"), Decimal("10.62"))
    assert AuditEntry.objects.filter(action="payout.commission_changed",
                                     object_id=str(line.pk)).exists()


def test_after_approval_a_refund_is_a_negative_adjustment_line(mia, shopify, team) -> None:
    brand = mia.campaign.brand
    shopify(brand, ORDER, topic="orders/create", webhook_id="order")
    [approved] = _commission(mia)
    payout_approve(access=team.access("owner"), line=approved)

    shopify(brand, REFUND, topic="refunds/create", webhook_id="refund")
    first, adjustment = _commission(mia)
    assert (first.pk, first.amount, first.status) == (
        approved.pk, Decimal("10.62"), PayoutStatus.APPROVED
    )
    assert first.previous_amount is None
    assert (adjustment.amount, adjustment.status) == (Decimal("-5.31"), PayoutStatus.ACCRUED)
    assert sum(line.amount for line in (first, adjustment)) == Decimal("5.31")


def test_recomputing_again_changes_nothing(mia, shopify) -> None:
    shopify(mia.campaign.brand, ORDER, topic="orders/create", webhook_id="order")
    before = [(line.pk, line.amount) for line in _commission(mia)]
    kpis_recompute(campaign_id=mia.campaign_id)
    ledger_sync(campaign_id=mia.campaign_id)
    assert [(line.pk, line.amount) for line in _commission(mia)] == before


def test_a_partnership_without_a_kpi_document_gets_no_commission_line(mia) -> None:
    ledger_sync(campaign_id=mia.campaign_id)  # never computed: nothing to follow
    assert _commission(mia) == []


def test_no_revenue_accrues_no_commission_line(mia) -> None:
    kpis_recompute(campaign_id=mia.campaign_id)
    assert commission_of(partnership_document(mia.campaign_id, mia.pk)) == Decimal("0.00")
    assert _commission(mia) == []


@pytest.mark.parametrize("document", [None, {}, {"roi": None}, {"roi": {"cost_breakdown": {}}},
                                      {"roi": {"cost_breakdown": {"commission": None}}}])
def test_a_missing_commission_is_none(document) -> None:
    assert commission_of(document) is None


def test_a_settled_ledger_is_checked_in_a_fixed_number_of_queries(
    team, django_assert_max_num_queries
) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    for _ in range(20):
        partnership = f.PartnershipFactory(campaign=campaign, product_value=Decimal("30"))
        f.ConversionFactory(brand=campaign.brand, partnership=partnership, attribution="manual")
    kpis_recompute(campaign_id=campaign.pk)
    assert PayoutLine.objects.filter(kind=PayoutKind.COMMISSION).count() == 20
    assert PayoutLine.objects.filter(kind=PayoutKind.PRODUCT).count() == 20
    with django_assert_max_num_queries(4):
        ledger_sync(campaign_id=campaign.pk)


def test_a_day_that_moves_every_commission_settles_in_a_fixed_number_of_queries(
    team, django_assert_max_num_queries
) -> None:
    """A day of orders moves every creator's commission at once: the settlement reads and
    writes in bulk, so its queries do not grow with the partnerships it moves (it once cost
    about forty a partnership: seconds for a campaign of two hundred)."""
    campaign = f.CampaignFactory(brand__organization=team.organization)
    partnerships = [
        f.PartnershipFactory(campaign=campaign, product_value=Decimal("30"),
                             commission_rate=Decimal("10"))
        for _ in range(12)
    ]
    for partnership in partnerships:
        f.ConversionFactory(brand=campaign.brand, partnership=partnership, attribution="manual")
    kpis_recompute(campaign_id=campaign.pk)
    payout_approve(access=team.access("owner"), line=_commission(partnerships[0])[0])
    first = {p.pk: _commission(p)[0].amount for p in partnerships}
    for partnership in partnerships:  # the next day's orders, the ledger not yet settled
        f.ConversionFactory(brand=campaign.brand, partnership=partnership, attribution="manual")
    with mock.patch("payouts.receivers.settle_ledger"):
        kpis_recompute(campaign_id=campaign.pk)
    audited = AuditEntry.objects.count()

    with django_assert_max_num_queries(12):  # whatever the number of partnerships
        ledger_sync(campaign_id=campaign.pk)

    for partnership in partnerships:
        target = commission_of(partnership_document(campaign.pk, partnership.pk))
        lines = _commission(partnership)
        assert sum(line.amount for line in lines) == target > first[partnership.pk]
        if partnership == partnerships[0]:  # approved: the difference is a new line
            assert [line.amount for line in lines] == [first[partnership.pk],
                                                       target - first[partnership.pk]]
        else:  # open: moved, the previous amount kept
            assert [(line.previous_amount, line.amount) for line in lines] == [
                (first[partnership.pk], target)]
    assert AuditEntry.objects.count() - audited == 12
    assert AuditEntry.objects.filter(action="payout.commission_adjusted").count() == 1


def test_commission_from_a_sale_and_its_refund_is_approved_and_exported(
    mia, shopify, team, client_for
) -> None:
    import csv
    import io

    from django.urls import reverse

    brand = mia.campaign.brand
    shopify(brand, ORDER, topic="orders/create", webhook_id="order")
    shopify(brand, REFUND, topic="refunds/create", webhook_id="refund")
    [line] = _commission(mia)
    client = client_for(team.owner)
    assert client.post(reverse("payouts:approve", args=[line.pk])).status_code == 302
    month = line.accrued_at.strftime("%Y-%m")
    response = client.get(reverse("payouts:export_csv"),
                          {"month": month, "influencer": mia.influencer_id})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["line_id"], r["kind"], r["amount"], r["status"]) for r in rows] == [
        (str(line.pk), "commission", "5.31", "approved")
    ]


def test_the_ledger_is_settled_by_a_task_of_its_own_after_a_recompute(db) -> None:
    from config.celery import app

    campaign = f.CampaignFactory()
    with mock.patch("payouts.receivers.settle_ledger") as task:
        kpis_recompute(campaign_id=campaign.pk)
    task.delay.assert_called_once_with(campaign.pk)
    assert "payouts.tasks.settle_ledger" in app.tasks
