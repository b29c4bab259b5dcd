import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from accounts.selectors import get_object_for, scoped, visible
from campaigns.models import Brand, Campaign
from tests import factories as f


def test_scoped_returns_only_the_organizations_rows(team, outsider_team):
    mine = f.CampaignFactory(brand__organization=team.organization)
    f.CampaignFactory(brand__organization=outsider_team.organization)
    assert list(scoped(team.organization, Campaign)) == [mine]


def test_outsider_gets_404_not_403(team, outsider_team):
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization)
    with pytest.raises(Http404):
        get_object_for(team.access(Role.OWNER), Campaign, theirs.pk)


@pytest.mark.parametrize("bad_pk", ["abc", None, 10**30, "1; drop"])
def test_garbage_ids_are_404(team, bad_pk):
    with pytest.raises(Http404):
        get_object_for(team.access(), Campaign, bad_pk)


def test_viewer_reads_but_cannot_write(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    assert get_object_for(team.access(Role.VIEWER), Campaign, campaign.pk) == campaign
    with pytest.raises(PermissionDenied):
        get_object_for(team.access(Role.VIEWER), Campaign, campaign.pk, action="write")


def test_manager_edits_campaigns_but_only_owner_deletes(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    get_object_for(team.access(Role.MANAGER), Campaign, campaign.pk, action="write")
    with pytest.raises(PermissionDenied):
        get_object_for(team.access(Role.ADMIN), Campaign, campaign.pk, action="delete")
    get_object_for(team.access(Role.OWNER), Campaign, campaign.pk, action="delete")


def test_brands_need_admin_to_write(team):
    brand = f.BrandFactory(organization=team.organization)
    with pytest.raises(PermissionDenied):
        get_object_for(team.access(Role.MANAGER), Brand, brand.pk, action="write")
    get_object_for(team.access(Role.ADMIN), Brand, brand.pk, action="write")


def test_api_keys_are_invisible_below_owner(team):
    from accounts.models import ApiKey

    f.ApiKeyFactory(organization=team.organization)
    assert not visible(team.access(Role.ADMIN), ApiKey).exists()
    assert visible(team.access(Role.OWNER), ApiKey).count() == 1
