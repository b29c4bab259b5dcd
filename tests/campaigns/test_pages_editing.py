"""Campaign editing pages: create and edit, KPI targets, costs, and the partnership pipeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Cost, KpiTarget, Partnership, PartnershipStatus
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
    partnership = f.PartnershipFactory(campaign=campaign)
    for url in (
        reverse("campaign_edit", args=[campaign.pk]),
        reverse("partnership_board", args=[campaign.pk]),
        reverse("partnership_edit", args=[partnership.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("target_set", args=[campaign.pk]),
        reverse("target_delete", args=[campaign.pk, target.pk]),
        reverse("cost_add", args=[campaign.pk]),
        reverse("cost_delete", args=[campaign.pk, cost.pk]),
        reverse("partnership_move", args=[partnership.pk]),
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


def test_the_board_groups_partnerships_by_status(team, client_for, campaign):
    live = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.LIVE)
    prospect = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.PROSPECT)
    response = client_for(team.viewer).get(reverse("partnership_board", args=[campaign.pk]))
    columns = {c["status"]: [i["partnership"] for i in c["cards"]] for c in response.context["columns"]}
    assert columns["live"] == [live] and columns["prospect"] == [prospect]
    html = response.content.decode()
    assert "Move " not in html and "Add a creator" not in html  # a viewer has no controls
    assert "Fee " not in html  # nor sees compensation


def test_moving_a_card_with_htmx_returns_the_board(team, client_for, campaign):
    partnership = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.INVITED)
    response = client_for(team.manager).post(
        reverse("partnership_move", args=[partnership.pk]), {"status": "contracted"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="board"' in html and "<html" not in html
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.CONTRACTED


def test_a_viewer_cannot_move_a_card(team, client_for, campaign):
    partnership = f.PartnershipFactory(campaign=campaign, status=PartnershipStatus.INVITED)
    response = client_for(team.viewer).post(
        reverse("partnership_move", args=[partnership.pk]), {"status": "live"}
    )
    assert response.status_code == 403


def test_compensation_fields_are_only_for_admins(team, client_for, campaign):
    influencer = f.InfluencerFactory(organization=team.organization)
    manager_form = client_for(team.manager).get(reverse("partnership_board", args=[campaign.pk]))
    assert "fee" not in manager_form.context["form"].fields
    admin_form = client_for(team.admin).get(reverse("partnership_board", args=[campaign.pk]))
    assert "fee" in admin_form.context["form"].fields
    response = client_for(team.admin).post(
        reverse("partnership_board", args=[campaign.pk]),
        {"influencer": influencer.pk, "status": "invited", "fee": "900", "product_value": "50",
         "commission_rate": "12.5", "notes": ""},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(influencer=influencer)
    assert partnership.fee == Decimal("900") and partnership.commission_rate == Decimal("12.5")


def test_a_manager_adds_a_creator_without_compensation(team, client_for, campaign):
    influencer = f.InfluencerFactory(organization=team.organization)
    client_for(team.manager).post(
        reverse("partnership_board", args=[campaign.pk]),
        {"influencer": influencer.pk, "status": "prospect", "fee": "9999", "notes": "warm lead"},
    )
    partnership = Partnership.objects.get(influencer=influencer)
    assert partnership.fee == Decimal("0") and partnership.notes == "warm lead"


@pytest.mark.parametrize("count", [10, 200])
def test_the_board_runs_a_fixed_number_of_queries(
    team, client_for, campaign, django_assert_max_num_queries, count
):
    for _ in range(count):
        f.PartnershipFactory(campaign=campaign)
    client = client_for(team.admin)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("partnership_board", args=[campaign.pk]))
    assert sum(len(c["cards"]) for c in response.context["columns"]) == count
