"""A brand's and a campaign's currency is an ISO 4217 code: 'XYZ' and 'DOLLARS' are refused
with a field error by the model, the forms and the API (they were saved, or cut to 'DOL')."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Brand, Campaign
from config.iso import CURRENCY_ERROR
from tests import factories

f: Any = factories
pytestmark = pytest.mark.django_db

BAD = ["XYZ", "DOLLARS", "usd", "DOL"]


@pytest.mark.parametrize("code", BAD)
def test_the_brand_service_refuses_a_code_that_is_no_currency(team, code):
    with pytest.raises(ValidationError) as refused:
        services.brand_create(access=team.access(), name="Glow", currency=code)
    assert "currency" in refused.value.message_dict
    assert not Brand.objects.exists()


def test_a_real_currency_is_kept(team):
    brand = services.brand_create(access=team.access(), name="Glow", currency="SEK")
    assert brand.currency == "SEK"


@pytest.mark.parametrize("code", BAD)
def test_the_api_answers_a_field_error(team, api_client_for, code):
    client = api_client_for(team.organization)
    answer = client.post("/api/v1/brands/", {"name": "Glow", "currency": code}, format="json")
    assert answer.status_code == 400
    assert answer.json()["currency"] == [CURRENCY_ERROR]
    brand = f.BrandFactory(organization=team.organization)
    body = {"brand": brand.pk, "name": "Spring", "stage": "TOFU", "start_date": "2026-03-01",
            "end_date": "2026-03-31", "currency": code}
    answer = client.post("/api/v1/campaigns/", body, format="json")
    assert answer.status_code == 400 and answer.json()["currency"] == [CURRENCY_ERROR]
    assert not Campaign.objects.exists()


def test_the_campaign_form_offers_iso_choices_and_refuses_others(team, client_for):
    brand = f.BrandFactory(organization=team.organization, currency="EUR")
    client = client_for(team.manager)
    page = client.get(reverse("campaign_create")).content.decode()
    assert '<option value="JPY">JPY — Japanese yen</option>' in page
    assert "The brand&#x27;s currency" in page
    body = {"brand": brand.pk, "name": "Spring", "stage": "TOFU", "start_date": "2026-03-01",
            "end_date": "2026-03-31", "budget": "0", "status": "draft",
            "attribution_window_days": "30", "currency": "DOLLARS"}
    response = client.post(reverse("campaign_create"), body)
    assert "currency" in response.context["form"].errors
    assert not Campaign.objects.exists()
    client.post(reverse("campaign_create"), {**body, "currency": ""})
    assert Campaign.objects.get().currency == "EUR"  # empty: the brand's


def test_the_brand_form_refuses_a_code_that_is_no_currency(team, client_for):
    response = client_for(team.admin).post(reverse("brand_list"), {"name": "Glow", "currency": "XYZ"})
    assert "currency" in response.context["form"].errors
    assert not Brand.objects.exists()
