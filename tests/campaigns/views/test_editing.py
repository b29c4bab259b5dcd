"""Campaign editing pages (campaigns/views/editing.py): create and edit, KPI targets, costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Cost, KpiTarget
from tests import factories as f


@pytest.fixture
def brand(team):
    return f.BrandFactory(organization=team.organization, currency="EUR")


@pytest.fixture
def campaign(brand):
    return f.CampaignFactory(brand=brand)


def campaign_form(brand, **overrides):
    data = {
        "brand": brand.pk, "name": "Autumn drop", "stage": "TOFU", "objective": "Reach",
        "start_date": "2026-09-01", "end_date": "2026-09-30", "budget": "5000",
        "currency": "", "status": "draft", "attribution_window_days": "30",
    }
    data.update(overrides)
    return data


def test_a_manager_creates_a_campaign_in_the_brand_currency(team, client_for, brand):
    response = client_for(team.manager).post(reverse("campaign_create"), campaign_form(brand))
    campaign = Campaign.objects.get(name="Autumn drop")
    assert response.status_code == 302
    assert campaign.currency == "EUR" and campaign.slug == "autumn-drop"


def test_an_end_before_the_start_is_a_form_error(team, client_for, brand):
    response = client_for(team.manager).post(
        reverse("campaign_create"), campaign_form(brand, end_date="2026-08-01")
    )
    assert response.status_code == 200
    assert "end date must be on or after" in response.content.decode()
    assert not Campaign.objects.filter(name="Autumn drop").exists()


def test_another_organizations_brand_is_not_offered(team, outsider_team, client_for):
    rival = f.BrandFactory(organization=outsider_team.organization)
    response = client_for(team.manager).post(reverse("campaign_create"), campaign_form(rival))
    assert "Select a valid choice" in response.content.decode()
    assert not Campaign.objects.exists()


def test_editing_saves_through_the_service(team, client_for, brand, campaign):
    response = client_for(team.manager).post(
        reverse("campaign_edit", args=[campaign.pk]),
        campaign_form(brand, name="Renamed", currency="USD"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Renamed" and campaign.stage == "TOFU"


def test_a_viewer_cannot_open_the_editor(team, client_for, campaign):
    client = client_for(team.viewer)
    assert client.get(reverse("campaign_edit", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("campaign_create")).status_code == 403


def test_outsider_gets_404(outsider, client_for, campaign):
    client = client_for(outsider)
    target = f.KpiTargetFactory(campaign=campaign)
    cost = f.CostFactory(campaign=campaign)
    assert client.get(reverse("campaign_edit", args=[campaign.pk])).status_code == 404
    for url in (
        reverse("target_set", args=[campaign.pk]),
        reverse("target_delete", args=[campaign.pk, target.pk]),
        reverse("cost_add", args=[campaign.pk]),
        reverse("cost_delete", args=[campaign.pk, cost.pk]),
    ):
        assert client.post(url, {"status": "live"}).status_code == 404


def test_targets_are_set_and_removed(team, client_for, campaign):
    client = client_for(team.manager)
    url = reverse("target_set", args=[campaign.pk])
    assert client.post(url, {"metric": "ctr.ctr", "value": "1.5"}).status_code == 302
    assert client.post(url, {"metric": "ctr.ctr", "value": "2"}).status_code == 302
    target = KpiTarget.objects.get(campaign=campaign)
    assert target.value == Decimal("2")
    client.post(reverse("target_delete", args=[campaign.pk, target.pk]))
    assert not KpiTarget.objects.exists()


def test_a_bad_target_value_names_the_field(team, client_for, campaign):
    response = client_for(team.manager).post(
        reverse("target_set", args=[campaign.pk]), {"metric": "ctr.ctr", "value": "lots"}
    )
    assert response.status_code == 400 and "Enter a number" in response.content.decode()


def test_costs_are_for_admins_only(team, client_for, campaign):
    data = {"category": "ad_spend", "amount": "250.00", "incurred_on": "2026-03-04", "note": "Boost"}
    assert client_for(team.manager).post(reverse("cost_add", args=[campaign.pk]), data).status_code == 403
    manager_page = client_for(team.manager).get(reverse("campaign_edit", args=[campaign.pk]))
    assert "Add cost" not in manager_page.content.decode()
    assert client_for(team.admin).post(reverse("cost_add", args=[campaign.pk]), data).status_code == 302
    cost = Cost.objects.get()
    assert cost.amount == Decimal("250.00") and cost.incurred_on == dt.date(2026, 3, 4)
    client_for(team.admin).post(reverse("cost_delete", args=[campaign.pk, cost.pk]))
    assert not Cost.objects.exists()
