"""``seed_demo --lang fa``: the Persian demo organization beside the English one."""

import re

import pytest
from django.db.models import Model

from accounts.models import Membership, Organization, Role, User
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    Post,
    PromoCode,
    TrackingLink,
)
from influencers.models import Influencer, SocialAccount
from metrics.models import (
    Click,
    Comment,
    CommentDayRollup,
    Conversion,
    ConversionDayRollup,
    EmvRate,
    ExchangeRate,
    FollowerSnapshot,
    KpiSnapshot,
    PostMetrics,
    Refund,
    Visit,
)
from tests.metrics.demo.shared import on_one_day, seed

FA = "demo-fa"
PERSIAN = re.compile(r"[\u0600-\u06FF]")
MODELS: list[type[Model]] = [
    Membership, Brand, BrandAccount, Campaign, KpiTarget, Partnership, Post, PromoCode,
    TrackingLink, Cost, Influencer, SocialAccount, PostMetrics, Comment, FollowerSnapshot, Click,
    Visit, Conversion, Refund, KpiSnapshot, EmvRate, CommentDayRollup, ConversionDayRollup,
]


def fa_counts() -> dict[str, int]:
    """The rows of the Persian organization, model by model."""
    counts = {"Organization": Organization.objects.filter(slug=FA).count(),
              "User": User.objects.filter(username=FA).count()}
    for model in MODELS:
        path = model.organization_path
        counts[model.__name__] = model.objects.filter(**{f"{path}__slug": FA}).count()
    return counts


def fa_comments():
    return Comment.objects.filter(post__partnership__campaign__brand__organization__slug=FA)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Persian seed without KPIs, twice with them, then the plain seed (both demos): once for
    the whole module, seeding being the slow part."""
    with django_db_blocker.unblock():
        had_rates = ExchangeRate.objects.exists()

        def build() -> dict[str, object]:
            seed("--lang", "fa", "--skip-kpis")
            unlabelled = list(fa_comments().values_list("sentiment", "compound"))
            seed("--lang", "fa")
            first = fa_counts()
            seed("--lang", "fa")
            second = fa_counts()
            plain = seed()
            return {"unlabelled": unlabelled, "first": first, "second": second, "plain": plain}

        yield on_one_day(build)
        Campaign.objects.filter(brand__organization__slug__in=["demo", FA]).delete()
        Organization.objects.filter(slug__in=["demo", FA]).delete()
        User.objects.filter(
            username__in=["demo", FA, "demo-creator", "demo-fa-creator"]
        ).delete()
        if not had_rates:
            ExchangeRate.objects.all().delete()


@pytest.mark.django_db
def test_running_it_twice_or_plain_changes_no_persian_count(seeded):
    assert seeded["first"] == seeded["second"] == fa_counts()
    assert seeded["first"]["Organization"] == 1
    assert seeded["first"]["Comment"] > 50
    assert seeded["first"]["Click"] > 1000


@pytest.mark.django_db
def test_the_plain_seed_loads_both_demos(seeded):
    assert set(Organization.objects.values_list("slug", flat=True)) >= {"demo", FA}
    assert "'demo' ready" in seeded["plain"] and "'demo-fa' ready" in seeded["plain"]
    assert "Sign in as demo / demo." in seeded["plain"]
    assert "Sign in as demo-fa / demo." in seeded["plain"]
    english = Organization.objects.get(slug="demo")
    assert (english.time_zone, english.default_language) == ("America/New_York", "")
    assert Campaign.objects.filter(brand__organization=english).count() == 3


@pytest.mark.django_db
def test_the_persian_organization_is_in_tehran_in_persian_and_in_rials(seeded):
    org = Organization.objects.get(slug=FA)
    assert (org.time_zone, org.default_language) == ("Asia/Tehran", "fa")
    assert PERSIAN.search(org.name)
    campaigns = Campaign.objects.filter(brand__organization=org)
    assert sorted(campaigns.values_list("stage", flat=True)) == ["BOFU", "MOFU", "TOFU"]
    assert set(campaigns.values_list("currency", flat=True)) == {"IRR"}
    assert set(Brand.objects.filter(organization=org).values_list("currency", flat=True)) == {
        "IRR"
    }
    sales = Conversion.objects.filter(brand__organization=org)
    assert sales.exists() and set(sales.values_list("currency", flat=True)) == {"IRR"}
    # Rates priced in rials, not the shipped card's dollar amounts.
    assert EmvRate.objects.get(organization=org, platform="instagram", metric="likes").value > 1000


@pytest.mark.django_db
def test_names_bios_campaigns_captions_and_comments_are_persian(seeded):
    org = Organization.objects.get(slug=FA)
    creators = Influencer.objects.filter(organization=org)
    assert creators.count() >= 10
    for name, notes in creators.values_list("name", "notes"):
        assert PERSIAN.search(name) and PERSIAN.search(notes)
    handles = SocialAccount.objects.filter(influencer__organization=org).values_list(
        "handle", flat=True)
    assert all(re.fullmatch(r"[A-Za-z0-9._]+", handle) for handle in handles)
    for name, objective in Campaign.objects.filter(brand__organization=org).values_list(
            "name", "objective"):
        assert PERSIAN.search(name) and PERSIAN.search(objective)
    captions = list(Post.objects.filter(partnership__campaign__brand__organization=org)
                    .values_list("caption", flat=True))
    assert captions and all(PERSIAN.search(c) and "#تبلیغ" in c for c in captions)
    texts = list(fa_comments().values_list("text", flat=True))
    assert texts and all(PERSIAN.search(text) for text in texts)
    assert all(PERSIAN.search(note) for note in Cost.objects.filter(
        campaign__brand__organization=org).values_list("note", flat=True))


@pytest.mark.django_db
def test_comments_arrive_unlabelled_and_the_kpi_recompute_handles_them(seeded):
    assert seeded["unlabelled"] and all(
        (sentiment, compound) == ("", None) for sentiment, compound in seeded["unlabelled"]
    )
    for campaign in Campaign.objects.filter(brand__organization__slug=FA):
        total = KpiSnapshot.objects.get(campaign=campaign, scope="total", key="")
        assert total.data["currency"] == "IRR"
        assert total.data["ctr"]["clicks"] > 0


@pytest.mark.django_db
def test_demo_fa_owns_the_persian_organization_only(seeded):
    user = User.objects.get(username=FA)
    assert user.check_password("demo") and user.is_active
    memberships = list(Membership.objects.filter(user=user).values_list(
        "organization__slug", "role"))
    assert memberships == [(FA, Role.OWNER)]
    assert not Membership.objects.filter(user__username="demo", organization__slug=FA).exists()


@pytest.mark.django_db
def test_demo_fa_signs_in_and_reads_the_pages_in_persian(seeded, client):
    signed_in = client.post("/accounts/login/", {"username": FA, "password": "demo"})
    assert signed_in.status_code == 302
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    campaigns = Campaign.objects.filter(brand__organization__slug=FA)
    for campaign in campaigns:
        assert campaign.name in page
    report = client.get(f"/campaigns/{campaigns.get(stage='BOFU').pk}/")
    assert report.status_code == 200
    assert 'dir="rtl"' in report.content.decode()
