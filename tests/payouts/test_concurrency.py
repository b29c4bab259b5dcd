"""Recomputes racing on one campaign settle its ledger once: the partnership's row lock (and
only its row: locking the joined campaign too deadlocked concurrent recomputes) serialises the
commission and product lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from campaigns.models import PartnershipStatus
from metrics.models import KpiScope
from payouts.models import PayoutKind, PayoutLine
from payouts.services.accrual import ledger_sync
from tests import factories as f
from tests.concurrency import race


@pytest.mark.realmode
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_settlements_accrue_each_line_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    campaign = f.CampaignFactory()
    partnerships = [
        f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.LIVE,
                             product_value=Decimal("30"), commission_rate=Decimal("10"))
        for _ in range(3)
    ]
    for p in partnerships:
        f.KpiSnapshotFactory(campaign=campaign, scope=KpiScope.PARTNERSHIP, key=str(p.pk),
                             data={"roi": {"cost_breakdown": {"commission": "12.40"}}})

    def settle(_: int) -> None:
        ledger_sync(campaign_id=campaign.pk)

    assert race(settle, 8) == []
    for p in partnerships:
        lines = PayoutLine.objects.filter(partnership=p)
        assert sorted(lines.values_list("kind", "amount")) == [
            (PayoutKind.COMMISSION, Decimal("12.40")), (PayoutKind.PRODUCT, Decimal("30.00")),
        ]
