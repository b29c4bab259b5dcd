"""The demo organization as ``seed_demo`` leaves it: same rows every run, fresh secrets."""

import pytest
from django.utils.html import escape

from accounts.models import Membership, Organization, Role, User
from campaigns.models import Brand, Campaign, Partnership, PartnershipStatus, Post, PromoCode
from influencers.models import Influencer, SocialAccount
from metrics.models import AttributionReason, Click, Conversion, KpiSnapshot, Refund
from tests.metrics.demo.shared import counts, secrets_now


@pytest.mark.django_db
def test_running_it_twice_gives_the_same_rows(seeded_twice):
    first, first_codes, _ = seeded_twice
    assert counts() == first
    assert sorted(PromoCode.objects.values_list("code", flat=True)) == first_codes
    assert Organization.objects.filter(slug="demo").count() == 1


@pytest.mark.django_db
def test_demo_can_sign_in_and_sees_three_campaigns(seeded_twice, client):
    response = client.post("/accounts/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    campaigns = Campaign.objects.filter(brand__organization__slug="demo")
    assert campaigns.count() == 3
    for campaign in campaigns:
        assert campaign.name in page
    assert Membership.objects.get(user__username="demo", organization__slug="demo").role == Role.OWNER


@pytest.mark.django_db
def test_the_demo_covers_every_stage_and_pipeline_state(seeded_twice):
    campaigns = Campaign.objects.filter(brand__organization__slug="demo")
    assert sorted(campaigns.values_list("stage", flat=True)) == ["BOFU", "MOFU", "TOFU"]
    assert Brand.objects.filter(organization__slug="demo").count() == 2
    assert Influencer.objects.filter(organization__slug="demo").count() >= 10
    assert set(Partnership.objects.values_list("status", flat=True)) == set(
        PartnershipStatus.values
    )
    assert SocialAccount.objects.values("platform").distinct().count() >= 5


@pytest.mark.django_db
def test_tracking_data_is_attributed_consistently(seeded_twice):
    sources = set(Conversion.objects.values_list("attribution", flat=True))
    assert {AttributionReason.PROMO_CODE, AttributionReason.LINK, AttributionReason.UTM,
            AttributionReason.UNATTRIBUTED} <= sources
    linked = Conversion.objects.filter(attribution=AttributionReason.LINK)
    assert not linked.filter(matched_click__isnull=True).exists()
    for conversion in linked.select_related("matched_click__link")[:50]:
        assert conversion.matched_click.link.partnership_id == conversion.partnership_id
        assert conversion.occurred_at > conversion.matched_click.occurred_at
    assert not Conversion.objects.filter(
        attribution=AttributionReason.UNATTRIBUTED, partnership__isnull=False
    ).exists()
    assert Click.objects.filter(is_bot=True).exists()
    assert Refund.objects.count() == 1


@pytest.mark.django_db
def test_snapshots_are_daily_cumulative_and_leave_unreported_metrics_null(seeded_twice):
    reel = Post.objects.filter(platform="instagram", post_type="reel").first()
    values = list(reel.metrics.order_by("captured_at").values_list("views", "impressions"))
    assert len(values) >= 7
    views = [v for v, _ in values]
    assert views == sorted(views) and views[-1] > views[0]
    assert all(impressions is None for _, impressions in values)


@pytest.mark.django_db
def test_the_kpis_are_computed_for_every_demo_campaign(seeded_twice):
    for campaign in Campaign.objects.filter(brand__organization__slug="demo"):
        total = KpiSnapshot.objects.get(campaign=campaign, scope="total", key="")
        assert total.data["ctr"]["clicks"] > 0


@pytest.mark.django_db
def test_every_run_draws_fresh_brand_keys_webhook_secrets_and_slugs(seeded_twice):
    """The content repeats run after run; the secrets never do, so a webhook signed with one
    install's demo secret is refused by every other install."""
    _, _, first = seeded_twice
    second = secrets_now()
    assert len(first["keys"]) == len(second["keys"]) == 2
    assert first["keys"].isdisjoint(second["keys"])
    assert first["webhook_secrets"].isdisjoint(second["webhook_secrets"])
    assert first["slugs"] and first["slugs"].isdisjoint(second["slugs"])
    assert not any(key.startswith("demo-") for key in second["keys"])


@pytest.mark.django_db
def test_demo_opens_the_admin_with_its_owner_role_only(seeded_twice, client):
    demo = User.objects.get(username="demo")
    assert demo.is_staff and not demo.is_superuser
    signed_in = client.post("/accounts/login/", {"username": "demo", "password": "demo"})
    assert signed_in.status_code == 302
    assert client.get("/admin/").status_code == 200
    campaigns = client.get("/admin/campaigns/campaign/")
    assert campaigns.status_code == 200
    for campaign in Campaign.objects.filter(brand__organization__slug="demo"):
        assert escape(campaign.name) in campaigns.content.decode()
