"""A creator's country is an ISO 3166-1 alpha-2 code: 'USA' (once cut to 'US' silently) and
'UK' are refused with a field error; any case of a real code is read as that code."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.iso import COUNTRY_ERROR
from influencers import services
from influencers.models import Influencer
from tests import factories

f: Any = factories
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["USA", "UK", "XX", "E"])
def test_the_service_refuses_a_code_that_is_no_country(team, code):
    with pytest.raises(ValidationError) as refused:
        services.influencer_create(access=team.access(), name="Mia", country=code)
    assert "country" in refused.value.message_dict


@pytest.mark.parametrize("code", ["USA", "UK"])
def test_the_api_answers_a_field_error(team, api_client_for, code):
    answer = api_client_for(team.organization).post(
        "/api/v1/influencers/", {"name": "Mia", "country": code}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["country"] == [COUNTRY_ERROR]
    assert not Influencer.objects.exists()


def test_the_api_reads_any_case_and_a_blank(team, api_client_for):
    client = api_client_for(team.organization)
    assert client.post("/api/v1/influencers/", {"name": "Mia", "country": "gb"}, format="json").json()["country"] == "GB"
    assert client.post("/api/v1/influencers/", {"name": "Lea", "country": ""}, format="json").json()["country"] == ""


def test_the_form_offers_countries_by_name_and_refuses_others(team, client_for):
    client = client_for(team.manager)
    page = client.get(reverse("influencers:create")).content.decode()
    assert '<option value="SI">Slovenia (SI)</option>' in page
    response = client.post(reverse("influencers:create"), {"name": "Mia", "country": "USA"})
    assert response.context["form"].errors["country"] == [COUNTRY_ERROR]
    assert not Influencer.objects.exists()
