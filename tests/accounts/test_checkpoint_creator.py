"""The checkpoint for the ``creator`` role: a creator member sees their own partnerships'
workflow rows and nothing else, in pages, the API and the selectors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.selectors import Access, access_for_user, get_object_for, require_own, visible
from campaigns.models import Campaign, Cost, Partnership
from content.models import Deliverable
from tests import factories as f


def _deliverable(partnership: Partnership) -> Deliverable:
    return Deliverable.objects.create(
        partnership=partnership, platform="instagram", format="reel", due_date="2026-05-01"
    )


@pytest.fixture
def pair(team, creator_member):
    """Two creators of one campaign, each with a deliverable."""
    campaign = f.CampaignFactory(brand__organization=team.organization)
    mine = f.PartnershipFactory(campaign=campaign)
    theirs = f.PartnershipFactory(campaign=campaign)
    user = creator_member(team.organization, mine.influencer)
    access = access_for_user(user, team.organization.pk)
    assert access is not None
    return access, _deliverable(mine), _deliverable(theirs), user


def test_a_creator_lists_only_their_own_rows(pair):
    access, mine, _, _ = pair
    assert access.is_creator and access.influencer_id == mine.partnership.influencer_id
    assert list(visible(access, Deliverable)) == [mine]


def test_models_without_a_creator_path_are_empty_to_a_creator(pair):
    access, mine, _, _ = pair
    f.CostFactory(campaign=mine.partnership.campaign)
    assert not visible(access, Campaign).exists()
    assert not visible(access, Cost).exists()
    assert list(visible(access, Partnership)) == [mine.partnership]


def test_another_creators_row_and_every_other_model_is_404(pair):
    access, mine, theirs, _ = pair
    assert get_object_for(access, Deliverable, mine.pk) == mine
    with pytest.raises(Http404):
        get_object_for(access, Deliverable, theirs.pk)
    with pytest.raises(Http404):
        get_object_for(access, Campaign, mine.partnership.campaign_id)
    with pytest.raises(Http404):
        require_own(access, theirs)
    require_own(access, mine)


def test_a_creator_changes_nothing_through_the_checkpoint(pair):
    access, mine, _, _ = pair
    with pytest.raises(PermissionDenied):
        get_object_for(access, Deliverable, mine.pk, action="write")


def test_a_creator_without_an_influencer_is_refused_by_the_database(team):
    user = f.UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MembershipFactory(organization=team.organization, user=user, role=Role.CREATOR)
    influencer = f.InfluencerFactory(organization=team.organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MembershipFactory(organization=team.organization, user=user, role=Role.VIEWER,
                            influencer=influencer)


def test_a_creator_reaches_no_team_page_and_home_sends_them_to_the_portal(pair, client_for):
    _, mine, _, user = pair
    client = client_for(user)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/portal/"
    for url in ("/influencers/", f"/campaigns/{mine.partnership.campaign_id}/", "/brands/",
                "/accounts/members/", "/metrics/conversions/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/accounts/preferences/").status_code == 200


def test_a_creator_session_reaches_no_team_endpoint(pair):
    _, mine, _, user = pair
    client = APIClient()
    client.force_login(user)
    for url in ("/api/v1/campaigns/", "/api/v1/partnerships/", "/api/v1/influencers/",
                f"/api/v1/campaigns/{mine.partnership.campaign_id}/"):
        assert client.get(url).status_code == 404, url


def test_a_creators_api_key_does_not_authenticate(pair):
    _, _, _, user = pair
    access = Access(organization=user.memberships.get().organization, role=Role.OWNER)
    key = f.ApiKeyFactory(organization=access.organization, created_by=user, role=Role.VIEWER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.raw}")
    assert client.get("/api/v1/campaigns/").status_code == 401
