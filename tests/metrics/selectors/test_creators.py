"""The creator pages' metrics reads (metrics/selectors/creators.py): the directory's engagement
floor on top of the creators' own filters, and the checkpoint."""

from __future__ import annotations

import pytest

from influencers.selectors import DirectoryFilters
from metrics.selectors.creators import directory, engagement_by_influencer
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def engaged(team):
    """A creator whose one post has 100 engagements on an account of 1,000 followers."""
    creator = f.InfluencerFactory(organization=team.organization, name="Engaged")
    account = f.SocialAccountFactory(influencer=creator, followers=1000)
    partnership = f.PartnershipFactory(
        campaign__brand__organization=team.organization, influencer=creator
    )
    f.PostMetricsFactory(
        post=f.PostFactory(partnership=partnership, social_account=account),
        likes=80, comments=10, shares=5, saves=5,
    )
    return creator


def test_engagement_is_engagements_over_the_accounts_followers(team, engaged) -> None:
    assert engagement_by_influencer(team.organization) == {engaged.pk: pytest.approx(10.0)}


def test_the_engagement_floor_drops_creators_below_it_or_without_posts(team, engaged) -> None:
    quiet = f.InfluencerFactory(organization=team.organization, name="Quiet")
    rows = directory(team.access(), DirectoryFilters())
    assert {r["influencer"]: r["engagement_rate"] for r in rows} == {
        engaged: pytest.approx(10.0), quiet: None,
    }
    assert [r["influencer"] for r in directory(team.access(), DirectoryFilters(
        min_engagement=5.0))] == [engaged]
    assert directory(team.access(), DirectoryFilters(min_engagement=20.0)) == []


def test_another_organizations_creators_are_not_listed(team, outsider_team, engaged) -> None:
    f.InfluencerFactory(organization=outsider_team.organization)
    assert [r["influencer"] for r in directory(team.access(), DirectoryFilters())] == [engaged]
