"""The rules of a campaign record (campaigns/validation.py), and the service refusing a bad cost
with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from campaigns import services
from campaigns.models import Cost
from campaigns.validation import cost_errors
from config.validation import NEGATIVE
from tests import factories as f

CAMPAIGN = SimpleNamespace(pk=7)


@pytest.mark.parametrize(
    ("item", "bad"),
    [
        ({"campaign": CAMPAIGN, "amount": Decimal("10")}, set()),
        ({"campaign": CAMPAIGN, "partnership": SimpleNamespace(campaign_id=7)}, set()),
        ({"campaign": CAMPAIGN, "partnership": SimpleNamespace(campaign_id=8)}, {"partnership"}),
        ({"campaign": CAMPAIGN, "amount": Decimal("-0.01")}, {"amount"}),
    ],
)
def test_cost_rules(item: dict[str, Any], bad: set[str]) -> None:
    assert set(cost_errors(item)) == bad


def test_a_negative_amount_reads_as_every_other_negative_value() -> None:
    assert cost_errors({"amount": -1}) == {"amount": [NEGATIVE]}


def test_the_cost_service_refuses_another_campaigns_partnership(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    elsewhere = f.PartnershipFactory(campaign__brand=campaign.brand)
    with pytest.raises(ValidationError) as caught:
        services.cost_create(
            access=team.access(), campaign=campaign, partnership=elsewhere, category="other",
            amount=Decimal("10"), incurred_on=dt.date(2026, 3, 1),
        )
    assert set(caught.value.message_dict) == {"partnership"}
    assert not Cost.objects.exists()
