"""Creator pages: directory with search and filters, profile, calculator, create and edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from influencers.models import Influencer, SocialAccount
from metrics.models import KpiScope
from tests import factories as f
from tests.campaigns.pages_support import kpi_document


@pytest.fixture
def creators(team):
    org = team.organization
    priya = f.InfluencerFactory(organization=org, name="Priya Raman", country="IN",
                                tags=["beauty", "skincare"])
    f.SocialAccountFactory(influencer=priya, platform="tiktok", handle="priyaskin", followers=120_000)
    max_ = f.InfluencerFactory(organization=org, name="Max Berg", country="DE", tags=["outdoor"])
    f.SocialAccountFactory(influencer=max_, platform="youtube", handle="maxoutdoors", followers=8_000)
    return priya, max_


def names(response):
    return [row["influencer"].name for row in response.context["page"].object_list]


def test_the_directory_searches_and_filters(team, client_for, creators):
    client = client_for(team.viewer)
    url = reverse("influencers:list")
    assert names(client.get(url)) == ["Priya Raman", "Max Berg"]  # biggest audience first
    assert names(client.get(url, {"q": "@maxout"})) == ["Max Berg"]
    assert names(client.get(url, {"platform": "tiktok"})) == ["Priya Raman"]
    assert names(client.get(url, {"min_followers": "10000"})) == ["Priya Raman"]
    assert names(client.get(url, {"max_followers": "10000"})) == ["Max Berg"]
    assert names(client.get(url, {"country": "de"})) == ["Max Berg"]
    assert names(client.get(url, {"tag": "Skincare"})) == ["Priya Raman"]


def test_the_directory_filters_by_engagement_rate(team, client_for, creators):
    priya, max_ = creators
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    for influencer, likes in ((priya, 6000), (max_, 40)):
        account = influencer.social_accounts.get()
        post = f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign, influencer=influencer),
                             social_account=account)
        f.PostMetricsFactory(post=post, likes=likes, comments=0, shares=0, saves=0)
    response = client_for(team.viewer).get(reverse("influencers:list"), {"min_engagement": "1"})
    assert names(response) == ["Priya Raman"]
    assert response.context["page"].object_list[0]["engagement_rate"] == pytest.approx(5.0)


def test_outsiders_creators_are_not_listed(team, outsider_team, client_for, creators):
    f.InfluencerFactory(organization=outsider_team.organization, name="Rival Star")
    assert "Rival Star" not in client_for(team.owner).get(reverse("influencers:list")).content.decode()


def test_the_profile_shows_accounts_history_rates_flags_and_campaigns(team, client_for, creators):
    priya, _ = creators
    account = priya.social_accounts.get()
    for day, followers in ((1, 100_000), (2, 101_000), (3, 160_000)):
        f.FollowerSnapshotFactory(brand_account=None, social_account=account,
                                  organization=team.organization,
                                  date=dt.date(2026, 3, day), followers=followers)
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization), name="Glow")
    partnership = f.PartnershipFactory(campaign=campaign, influencer=priya)
    post = f.PostFactory(partnership=partnership, social_account=account,
                         published_at=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))
    f.PostMetricsFactory(post=post, likes=900, comments=60, shares=30, saves=10, reach=20_000)
    f.KpiSnapshotFactory(campaign=campaign, scope=KpiScope.PARTNERSHIP, key=str(partnership.pk),
                         data=kpi_document())
    response = client_for(team.viewer).get(reverse("influencers:detail", args=[priya.pk]))
    html = response.content.decode()
    profile = response.context["profile"]
    assert profile.rate_followers == pytest.approx(1000 / 101_000 * 100)  # followers at publish
    assert profile.rate_reach == pytest.approx(5.0)
    assert "@priyaskin" in html and 'id="history-' in html
    assert "Sudden follower jump" in html and "101,000 to 160,000" in html
    assert "Glow" in html and "4,200.00 USD" in html  # the campaign's revenue
    assert "Edit creator" not in html and "Add an account" not in html


def test_outsider_gets_404(outsider, client_for, creators):
    priya, _ = creators
    client = client_for(outsider)
    assert client.get(reverse("influencers:detail", args=[priya.pk])).status_code == 404
    assert client.get(reverse("influencers:edit", args=[priya.pk])).status_code == 404
    assert client.post(
        reverse("influencers:account_add", args=[priya.pk]), {"platform": "x", "handle": "h"}
    ).status_code == 404


def test_viewer_sees_no_edit_controls(team, client_for, creators):
    html = client_for(team.viewer).get(reverse("influencers:list")).content.decode()
    assert "Add creator" not in html
    assert client_for(team.viewer).get(reverse("influencers:create")).status_code == 403


def test_a_manager_creates_and_edits_a_creator_and_adds_an_account(team, client_for):
    client = client_for(team.manager)
    response = client.post(
        reverse("influencers:create"),
        {"name": "Lea Novak", "email": "", "country": "si", "tags": "Travel, food", "notes": ""},
    )
    lea = Influencer.objects.get(name="Lea Novak")
    assert response.status_code == 302 and lea.country == "SI" and lea.tags == ["food", "travel"]
    edit = client.get(reverse("influencers:edit", args=[lea.pk]))
    assert edit.context["form"].initial["tags"] == "food, travel"
    client.post(
        reverse("influencers:account_add", args=[lea.pk]),
        {"platform": "instagram", "handle": "@leanovak", "url": "", "followers": "4200"},
    )
    assert SocialAccount.objects.get(influencer=lea).handle == "leanovak"


def test_the_calculator_gives_the_rate_and_flags(team, client_for):
    response = client_for(team.viewer).post(
        reverse("influencers:calculator"),
        {"handle": "@prospect", "followers": "80000", "posts": "300, 2\n250, 1\n280, 3"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    result = response.context["result"]
    assert result["rate"] == pytest.approx((302 + 251 + 283) / 3 / 80000 * 100)
    assert "Engagement far below accounts of this size" in html


def test_the_calculator_names_a_bad_line(team, client_for):
    response = client_for(team.viewer).post(
        reverse("influencers:calculator"), {"followers": "1000", "posts": "10, 1\nlots"}
    )
    assert "Line 2" in response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_directory_and_profile_run_a_fixed_number_of_queries(
    team, client_for, django_assert_max_num_queries, count
):
    influencer = f.InfluencerFactory(organization=team.organization)
    account = f.SocialAccountFactory(influencer=influencer)
    brand = f.BrandFactory(organization=team.organization)
    for i in range(count):
        campaign = f.CampaignFactory(brand=brand)
        partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer)
        if i < 20:
            f.PostMetricsFactory(post=f.PostFactory(partnership=partnership, social_account=account))
        f.InfluencerFactory(organization=team.organization)
    client = client_for(team.owner)
    with django_assert_max_num_queries(9):
        client.get(reverse("influencers:list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("influencers:detail", args=[influencer.pk]))
    assert len(response.context["campaigns"]) == count


def test_the_creators_list_and_the_profile_show_one_engagement_rate(team, client_for):
    """Issue 12, item 2: the list divided by today's followers (5.70%), the profile by the
    followers when each post was published (5.79%). One definition now — the KPI engine's
    ``engagement.engagement_rate_followers`` — and the three places agree."""
    from metrics.engine import kpis_recompute
    from metrics.selectors.snapshots import partnership_document

    org = team.organization
    creator = f.InfluencerFactory(organization=org, name="Lena Ortiz")
    account = f.SocialAccountFactory(influencer=creator, followers=10_000)
    # The account had 9,800 followers when the posts went out; 10,000 today.
    f.FollowerSnapshotFactory(brand_account=None, social_account=account, organization=org,
                              date=dt.date(2026, 3, 1), followers=9_800)
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=org),
                                 start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 31))
    partnership = f.PartnershipFactory(campaign=campaign, influencer=creator)
    for likes in (300, 240):
        post = f.PostFactory(partnership=partnership, social_account=account)
        f.PostMetricsFactory(post=post, likes=likes, comments=15, shares=10, saves=5)
    client = client_for(team.viewer)
    listed = client.get(reverse("influencers:list")).context["page"].object_list
    list_rate = next(r["engagement_rate"] for r in listed if r["influencer"] == creator)
    profile = client.get(reverse("influencers:detail", args=[creator.pk])).context["profile"]
    # (300 + 240 + 2 × 30) engagements ÷ (2 × 9,800) followers at publication.
    assert profile.rate_followers == pytest.approx(600 / 19_600 * 100)
    assert list_rate == pytest.approx(profile.rate_followers)
    kpis_recompute(campaign_id=campaign.pk)
    document = partnership_document(campaign.pk, partnership.pk) or {}
    assert document["engagement"]["engagement_rate_followers"] == pytest.approx(list_rate)
