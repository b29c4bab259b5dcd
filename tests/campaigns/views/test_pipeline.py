"""The partnership pipeline (campaigns/views/pipeline.py): the board by status, moving cards,
compensation fields for admins only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Partnership, PartnershipStatus
from tests import factories as f


@pytest.fixture
def brand(team):
    return f.BrandFactory(organization=team.organization, currency="EUR")


@pytest.fixture
def campaign(brand):
    return f.CampaignFactory(brand=brand)


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


def test_outsider_gets_404(outsider, client_for, campaign):
    client = client_for(outsider)
    partnership = f.PartnershipFactory(campaign=campaign)
    for url in (
        reverse("partnership_board", args=[campaign.pk]),
        reverse("partnership_edit", args=[partnership.pk]),
    ):
        assert client.get(url).status_code == 404
    move = reverse("partnership_move", args=[partnership.pk])
    assert client.post(move, {"status": "live"}).status_code == 404


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
