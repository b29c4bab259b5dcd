"""factory_boy factories of the payouts ledger (deliverables come from ``tests.content``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from tests import factories as f
from tests.content.factories import DeliverableFactory

__all__ = ["DeliverableFactory", "PayoutLineFactory"]


class PayoutLineFactory(factory.django.DjangoModelFactory[PayoutLine]):
    class Meta:
        model = PayoutLine

    partnership = factory.SubFactory(f.PartnershipFactory)
    kind = PayoutKind.FEE
    description = "Fee: 1 × Instagram Reel"
    amount = Decimal("200.00")
    currency = factory.SelfAttribute("partnership.campaign.currency")
    status = PayoutStatus.ACCRUED
    accrued_at = factory.LazyFunction(lambda: dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC))
