"""The "Add a post" pages: one post by URL (a partnership's page and a creator's), many by
pasting URLs (preview, then all or nothing), and who may use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from campaigns.models import Post
from campaigns.views.posts import plan_lines
from influencers.models import Platform
from tests import factories

f: Any = factories
pytestmark = pytest.mark.django_db

REEL = "https://www.instagram.com/reel/C9abcDEF_-1/?igsh=xyz"
SHORT = "https://youtube.com/shorts/dQw4w9WgXcQ"


@pytest.fixture
def partnership(team):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    return f.PartnershipFactory(campaign=campaign)


def _add(client, partnership, **data):
    return client.post(reverse("post_add", args=[partnership.pk]), data)


# --- One post -------------------------------------------------------------------------------
def test_a_manager_adds_a_post_by_its_url_and_lands_on_its_metrics_form(team, client_for, partnership):
    account = f.SocialAccountFactory(influencer=partnership.influencer, platform=Platform.INSTAGRAM)
    response = _add(
        client_for(team.manager), partnership, url=REEL, caption="Glow serum routine",
        published_at="2026-03-05T18:30",
    )
    post = Post.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics_entry:post_metrics") + f"?post={post.pk}"
    assert (post.platform, post.external_id, post.post_type) == ("instagram", "C9abcDEF_-1", "reel")
    assert post.url == "https://www.instagram.com/reel/C9abcDEF_-1/"
    assert post.caption == "Glow serum routine"
    assert post.social_account == account  # her one Instagram account
    page = client_for(team.manager).get(response["Location"])
    assert f'<option value="{post.pk}" selected>' in page.content.decode()


def test_the_posted_time_is_read_in_the_organizations_zone(team, client_for, partnership):
    team.organization.time_zone = "Europe/Paris"
    team.organization.save()
    page = client_for(team.manager).get(reverse("post_add", args=[partnership.pk]))
    assert "In Europe/Paris, CET" in page.content.decode() or "In Europe/Paris, CEST" in page.content.decode()
    _add(client_for(team.manager), partnership, url=SHORT, published_at="2026-01-10T09:00")
    post = Post.objects.get()
    assert post.published_at == dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)
    assert post.post_type == "short"


def test_an_unknown_link_needs_the_platform_and_the_id(team, client_for, partnership):
    response = _add(client_for(team.manager), partnership, url="https://www.facebook.com/mia/posts/1")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"platform", "external_id"}
    assert "www.facebook.com" in form.errors["platform"][0]
    response = _add(
        client_for(team.manager), partnership, url="https://www.facebook.com/mia/posts/1",
        platform="facebook", external_id="1", post_type="video",
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.platform, post.external_id, post.post_type) == ("facebook", "1", "video")
    assert post.url == "https://www.facebook.com/mia/posts/1"


def test_an_empty_form_says_what_to_give_and_not_a_web_link_is_refused(team, client_for, partnership):
    response = _add(client_for(team.manager), partnership)
    assert "Paste the post's URL" in response.context["form"].errors["url"][0]
    response = _add(client_for(team.manager), partnership, url="javascript:alert(1)")
    errors = response.context["form"].errors
    assert "Not a web address" in errors["url"][0]
    # Every error shows at once: the URL, the platform and the id.
    assert {"url", "platform", "external_id"} <= set(errors)
    assert not Post.objects.exists()


def test_a_url_that_contradicts_the_chosen_platform_is_an_error(team, client_for, partnership):
    response = _add(client_for(team.manager), partnership, url=REEL, platform="tiktok")
    assert response.context["form"].errors["platform"] == ["The URL is a post on Instagram."]


def test_a_duplicate_post_is_an_error_linking_the_existing_one(team, client_for, partnership):
    existing = f.PostFactory(
        partnership=partnership, platform="instagram", external_id="C9abcDEF_-1",
        social_account=None,
    )
    response = _add(client_for(team.manager), partnership, url=REEL)
    assert response.status_code == 400
    html = response.content.decode()
    assert "already in the partnership" in html
    assert f'href="/data/post-metrics/new/?post={existing.pk}"' in html
    assert Post.objects.count() == 1


def test_a_creators_page_offers_her_partnerships(team, client_for, partnership):
    influencer = partnership.influencer
    other_campaign = f.CampaignFactory(brand=partnership.campaign.brand, name="Autumn drop")
    second = f.PartnershipFactory(campaign=other_campaign, influencer=influencer)
    detail = client_for(team.manager).get(reverse("influencers:detail", args=[influencer.pk]))
    assert reverse("creator_post_add", args=[influencer.pk]) in detail.content.decode()
    url = reverse("creator_post_add", args=[influencer.pk])
    page = client_for(team.manager).get(url)
    assert "Autumn drop" in page.content.decode()
    response = client_for(team.manager).post(url, {"partnership": second.pk, "url": SHORT})
    assert response.status_code == 302
    assert Post.objects.get().partnership == second


def test_a_creator_cannot_post_into_another_creators_partnership(team, client_for, partnership):
    other = f.PartnershipFactory(campaign=partnership.campaign)
    url = reverse("creator_post_add", args=[partnership.influencer.pk])
    response = client_for(team.manager).post(url, {"partnership": other.pk, "url": SHORT})
    assert response.status_code == 400
    assert "partnership" in response.context["form"].errors


# --- Roles ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["post_add", "posts_bulk_add"])
def test_a_viewer_may_not_add_posts(team, client_for, partnership, name):
    response = client_for(team.viewer).get(reverse(name, args=[partnership.pk]))
    assert response.status_code == 403


def test_a_viewer_sees_no_add_post_button_on_a_creator(team, client_for, partnership):
    url = reverse("influencers:detail", args=[partnership.influencer.pk])
    html = client_for(team.viewer).get(url).content.decode()
    assert reverse("creator_post_add", args=[partnership.influencer.pk]) not in html
    response = client_for(team.viewer).get(reverse("creator_post_add", args=[partnership.influencer.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["post_add", "posts_bulk_add"])
def test_outsider_gets_404(outsider, client_for, partnership, name):
    assert client_for(outsider).get(reverse(name, args=[partnership.pk])).status_code == 404
    response = client_for(outsider).post(reverse(name, args=[partnership.pk]), {"url": REEL, "urls": REEL})
    assert response.status_code == 404
    assert not Post.objects.exists()


def test_outsider_gets_404_on_a_creators_add_post(outsider, client_for, partnership):
    url = reverse("creator_post_add", args=[partnership.influencer.pk])
    assert client_for(outsider).get(url).status_code == 404


# --- Bulk -----------------------------------------------------------------------------------
def test_the_preview_says_what_each_line_does(team, client_for, partnership):
    f.PostFactory(partnership=partnership, platform="youtube", external_id="dQw4w9WgXcQ",
                  social_account=None)
    urls = "\n".join([
        REEL, "", SHORT, "https://instagram.com.evil.io/p/CxYz123AbC/", "instagram.com/reel/C9abcDEF_-1",
        "https://www.tiktok.com/@mia/video/7301234567890123456",
    ])
    response = client_for(team.manager).post(reverse("posts_bulk_add", args=[partnership.pk]), {"urls": urls})
    plan = response.context["plan"]
    assert [(line.number, line.status) for line in plan] == [
        (1, "add"), (3, "exists"), (4, "invalid"), (5, "exists"), (6, "add"),
    ]
    assert "instagram.com.evil.io" in plan[2].why
    assert plan[3].why == "Same post as line 1."
    html = response.content.decode()
    assert "will add" in html and "already exists" in html and "not a post URL" in html
    assert Post.objects.count() == 1  # a preview saves nothing


def test_confirm_adds_every_valid_post(team, client_for, partnership):
    urls = f"{REEL}\nnot a url at all\n{SHORT}\n"
    response = client_for(team.manager).post(
        reverse("posts_bulk_add", args=[partnership.pk]), {"urls": urls, "confirm": "1"}
    )
    assert response.status_code == 302
    assert sorted(Post.objects.values_list("platform", "external_id")) == [
        ("instagram", "C9abcDEF_-1"), ("youtube", "dQw4w9WgXcQ"),
    ]


def test_confirm_is_all_or_nothing_and_names_the_line(team, client_for, partnership, monkeypatch):
    from django.core.exceptions import ValidationError

    from campaigns import services

    real = services.post_add

    def refuse_the_short(**kwargs):
        if kwargs.get("platform") == "youtube":
            raise ValidationError({"url": "Refused for the test."})
        return real(**kwargs)

    monkeypatch.setattr(services, "post_add", refuse_the_short)
    urls = f"{REEL}\n\n{SHORT}"
    response = client_for(team.manager).post(
        reverse("posts_bulk_add", args=[partnership.pk]), {"urls": urls, "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["failure"] == {"line": 3, "messages": ["Refused for the test."]}
    assert "Line 3 was refused" in response.content.decode()
    assert not Post.objects.exists()


def test_more_than_a_hundred_lines_are_refused(team, client_for, partnership):
    urls = "\n".join(f"https://youtu.be/{i:011d}" for i in range(101))
    response = client_for(team.manager).post(reverse("posts_bulk_add", args=[partnership.pk]), {"urls": urls})
    assert "at most 100" in response.context["form"].errors["urls"][0]


def test_the_plan_costs_one_query(partnership, django_assert_num_queries):
    lines = [f"https://youtu.be/{i:011d}" for i in range(100)]
    with django_assert_num_queries(1):
        plan = plan_lines(partnership, lines)
    assert len(plan) == 100


def test_the_form_lists_every_error_at_once_above_the_fields(team, client_for, partnership):
    response = _add(client_for(team.manager), partnership, url="ftp://x")
    html = response.content.decode()
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert "Nothing was saved" in summary
    assert '<a href="#id_url">Post URL</a>: Not a web address' in summary
    assert '<a href="#id_platform">Platform</a>' in summary
    assert '<a href="#id_external_id">Post id on the platform</a>' in summary
