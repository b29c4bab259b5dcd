"""factory_boy factories of the payouts ledger, and a creator member for the portal's view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from accounts.models import Membership, Role, User
from content.models import Deliverable, DeliverableFormat, DeliverableStatus, PayOn
from influencers.models import Influencer, Platform
from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from tests import factories as f


class DeliverableFactory(factory.django.DjangoModelFactory[Deliverable]):
    class Meta:
        model = Deliverable

    partnership = factory.SubFactory(f.PartnershipFactory)
    platform = Platform.INSTAGRAM
    format = DeliverableFormat.REEL
    quantity = 1
    due_date = dt.date(2026, 3, 20)
    fee_share = Decimal("200.00")
    pay_on = PayOn.APPROVED
    status = DeliverableStatus.PLANNED


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


def creator_member(organization: object, influencer: Influencer) -> User:
    """A portal user bound to ``influencer`` in ``organization``."""
    user = User.objects.get(pk=f.UserFactory(username=f"creator-{influencer.pk}").pk)
    Membership.objects.create(
        organization=organization, user=user, role=Role.CREATOR, influencer=influencer
    )
    return user
