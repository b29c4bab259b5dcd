import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import ApiKey, AuditEntry, Membership, Organization, Role
from campaigns.models import Brand, Campaign, Partnership, PromoCode
from tests import factories as f

APPS = ("accounts", "influencers", "campaigns", "metrics")
MODELS = [m for name in APPS for m in apps.get_app_config(name).get_models()]


@pytest.fixture(autouse=True)
def _eager_even_in_real_mode(monkeypatch) -> None:
    """The recompute action runs its task in-process here in both modes (with the CELERY
    settings namespace, the Django-style key wins over the ``task_always_eager`` conftest sets)."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff(team):
    """A staff user of the team's organization holding every model permission."""
    user = f.UserFactory(username="acme-staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    f.MembershipFactory(organization=team.organization, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def one_of_everything(team):
    org = team.organization
    post = f.PostFactory(partnership__campaign__brand__organization=org)
    partnership = post.partnership
    f.PostMetricsFactory(post=post)
    f.CommentFactory(post=post)
    f.PromoCodeFactory(partnership=partnership)
    link = f.TrackingLinkFactory(partnership=partnership)
    click = f.ClickFactory(link=link)
    brand = partnership.campaign.brand
    f.VisitFactory(brand=brand, partnership=partnership, matched_click=click)
    f.RefundFactory(conversion__brand=brand, conversion__partnership=partnership)
    f.CostFactory(campaign=partnership.campaign)
    f.KpiTargetFactory(campaign=partnership.campaign)
    f.KpiSnapshotFactory(campaign=partnership.campaign)
    f.FollowerSnapshotFactory(brand_account__brand=brand, organization=org)
    f.ExchangeRateFactory()
    f.WebhookDeliveryFactory(brand=brand)
    f.EmvRateFactory(organization=org)
    f.ApiKeyFactory(organization=org)
    f.InvitationFactory(organization=org)
    f.AuditEntryFactory(organization=org)
    return partnership


def test_every_model_is_registered():
    missing = [m.__name__ for m in MODELS if m not in admin.site._registry]
    assert missing == []


def test_every_changelist_and_add_page_renders_for_a_superuser(
    client_for, superuser, one_of_everything
):
    client = client_for(superuser)
    for model in MODELS:
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model
        model_admin = admin.site._registry[model]
        request = response.wsgi_request
        if model_admin.has_add_permission(request):
            assert client.get(admin_url(model, "add")).status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model


def test_staff_see_only_their_organizations_rows(client_for, staff, team, outsider_team):
    f.CampaignFactory(brand__organization=team.organization, name="Ours")
    f.CampaignFactory(brand__organization=outsider_team.organization, name="Theirs")
    page = client_for(staff).get(admin_url(Campaign, "changelist")).content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_staff_pick_related_records_of_their_organizations_only(
    client_for, staff, team, outsider_team
):
    f.BrandFactory(organization=team.organization, name="Our Brand")
    theirs = f.BrandFactory(organization=outsider_team.organization, name="Their Brand")
    page = client_for(staff).get(admin_url(Brand, "add")).content.decode()
    assert team.organization.name in page and outsider_team.organization.name not in page
    response = client_for(staff).post(admin_url(Campaign, "add"), {
        "brand": theirs.pk, "name": "Sneaky", "slug": "sneaky", "stage": "TOFU",
        "start_date": "2026-03-01", "end_date": "2026-03-31", "budget": "0", "currency": "USD",
        "status": "draft", "attribution_window_days": "30",
        "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "costs-TOTAL_FORMS": "0", "costs-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200  # the form comes back with an error
    assert not Campaign.objects.filter(name="Sneaky").exists()


def test_outsider_staff_get_404_on_another_orgs_change_page(client_for, outsider_team, team):
    outsider = f.UserFactory(username="rival-staff", is_staff=True)
    outsider.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    f.MembershipFactory(organization=outsider_team.organization, user=outsider)
    campaign = f.CampaignFactory(brand__organization=team.organization)
    client = client_for(outsider)
    assert client.get(admin_url(Campaign, "change", campaign.pk)).status_code == 404
    assert client.get(admin_url(Campaign, "delete", campaign.pk)).status_code == 404
    assert client.get(admin_url(Brand, "change", campaign.brand.pk)).status_code == 404


def test_the_api_key_hash_and_the_shopify_secret_are_never_shown(client_for, superuser, team):
    key = f.ApiKeyFactory(organization=team.organization)
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret="shpss_topsecret")
    client = client_for(superuser)
    assert key.hashed_key not in client.get(admin_url(ApiKey, "change", key.pk)).content.decode()
    page = client.get(admin_url(Brand, "change", brand.pk)).content.decode()
    assert "shpss_topsecret" not in page and "set" in page


def test_saving_a_brand_without_a_secret_keeps_the_old_one(client_for, superuser, team):
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret="keep-me")
    response = client_for(superuser).post(admin_url(Brand, "change", brand.pk), {
        "organization": team.organization.pk, "name": "Renamed", "website": "https://x.example",
        "currency": "USD", "shopify_webhook_secret": "",
        "accounts-TOTAL_FORMS": "0", "accounts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.name == "Renamed" and brand.shopify_webhook_secret == "keep-me"


def test_adding_an_api_key_shows_the_secret_once(client_for, superuser, team):
    # A key belongs to a member of its organization, the superuser included.
    f.MembershipFactory(organization=team.organization, user=superuser, role=Role.OWNER)
    response = client_for(superuser).post(admin_url(ApiKey, "add"), {
        "organization": team.organization.pk, "name": "From admin", "role": "viewer",
    }, follow=True)
    key = ApiKey.objects.get(name="From admin")
    assert "will not be shown again: fb_" in response.content.decode()
    assert key.created_by.username == "root"


def test_the_audit_log_is_read_only(client_for, superuser, team):
    entry = f.AuditEntryFactory(organization=team.organization)
    client = client_for(superuser)
    assert client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert client.get(admin_url(AuditEntry, "delete", entry.pk)).status_code == 403
    client.post(admin_url(AuditEntry, "change", entry.pk), {"action": "forged"})
    entry.refresh_from_db()
    assert entry.action != "forged"


def test_the_last_owner_cannot_be_demoted_in_the_admin(client_for, superuser, team):
    membership = Membership.objects.get(user=team.owner)
    client_for(superuser).post(admin_url(Membership, "change", membership.pk), {"role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_a_promo_code_taken_by_the_brand_is_refused_in_the_admin(client_for, superuser, team):
    code = f.PromoCodeFactory(partnership__campaign__brand__organization=team.organization,
                              code="MAYA15")
    other = f.PartnershipFactory(campaign__brand=code.partnership.campaign.brand)
    response = client_for(superuser).post(admin_url(PromoCode, "add"), {
        "partnership": other.pk, "code": "maya15",
    })
    # The service's refusal, shown on the field: the admin no longer re-checks it itself.
    assert response.status_code == 400
    assert response.context["adminform"].form.errors["code"] == [
        "MAYA15 is already used by this brand in an overlapping period."
    ]
    assert PromoCode.objects.count() == 1


def test_the_admin_imports_no_private_service_helpers():
    """The admin writes through the services' public functions, never their internals."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in sorted(root.glob("*/admin*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and "services" in (node.module or ""):
                offenders += [f"{path.name}: {a.name}" for a in node.names
                              if a.name.startswith("_")]
    assert offenders == []


def test_a_creator_follower_count_added_in_the_admin_goes_through_the_service(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import FollowerSnapshot

    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    account = f.SocialAccountFactory(influencer=partnership.influencer, followers=10_000)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(admin_url(FollowerSnapshot, "add"), {
            "organization": team.organization.pk, "social_account": account.pk,
            "date": "2026-03-02", "followers": 12_345, "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    # The ingestion service keeps the creator's count current and recomputes her campaigns.
    assert account.followers == 12_345
    assert partnership.campaign.kpi_snapshots.filter(scope="total").exists()


def test_the_recompute_action_stores_kpis(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(admin_url(Campaign, "changelist"), {
            "action": "recompute_kpis_action", "_selected_action": [campaign.pk],
        }, follow=True)
    assert response.status_code == 200
    assert campaign.kpi_snapshots.filter(scope="total").exists()
    page = client_for(superuser).get(admin_url(Campaign, "change", campaign.pk)).content.decode()
    assert "Brand awareness" in page and "Not computed yet" not in page


def test_compensation_changes_in_the_admin_are_audited(client_for, superuser, team):
    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    response = client_for(superuser).post(admin_url(Partnership, "change", partnership.pk), {
        "campaign": partnership.campaign.pk, "influencer": partnership.influencer.pk,
        "status": "live", "fee": "900.00", "product_value": "0.00", "commission_rate": "10.00",
        "notes": "",
        "promo_codes-TOTAL_FORMS": "0", "promo_codes-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "posts-TOTAL_FORMS": "0", "posts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="compensation.changed")
    assert entry.changes == {"fee": ["500.00", "900.00"]} and entry.actor == superuser


def test_inline_rows_are_written_by_the_services(client_for, team):
    """A cost added in the campaign page's inline is audited with its author, as on the pages."""
    admin_user = team.admin
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    campaign = f.CampaignFactory(brand__organization=team.organization)
    response = client_for(admin_user).post(admin_url(Campaign, "change", campaign.pk), {
        "brand": campaign.brand.pk, "name": campaign.name, "slug": campaign.slug,
        "stage": campaign.stage, "start_date": campaign.start_date,
        "end_date": campaign.end_date, "budget": campaign.budget, "currency": campaign.currency,
        "status": campaign.status, "attribution_window_days": campaign.attribution_window_days,
        "objective": campaign.objective,
        "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "costs-TOTAL_FORMS": "1", "costs-INITIAL_FORMS": "0",
        "costs-0-category": "production", "costs-0-amount": "120.00",
        "costs-0-incurred_on": "2026-03-02", "costs-0-note": "Shoot",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="cost.created")
    assert entry.actor == admin_user and campaign.costs.get().note == "Shoot"


def test_an_owner_renames_the_organization_through_its_service(client_for, team):
    owner = team.owner
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    org = team.organization
    response = client_for(owner).post(admin_url(Organization, "change", org.pk), {
        "name": "Acme Renamed", "time_zone": "Europe/Paris",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.time_zone, org.slug) == ("Acme Renamed", "Europe/Paris", "acme")
    assert AuditEntry.objects.filter(action="organization.updated", actor=owner).exists()


# --- Hand corrections of tracking data go through the ingestion services ---------------------
def test_a_comment_corrected_in_the_admin_gets_a_fresh_sentiment_label(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import Comment
    from metrics.services.ingestion import comments_ingest

    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        comments_ingest(organization=team.organization, items=[{
            "post": post, "external_id": "c1", "text": "I love it",
            "posted_at": dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC),
        }])
    comment = Comment.objects.get()
    assert comment.sentiment == "positive"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(admin_url(Comment, "change", comment.pk), {
            "post": post.pk, "text": "awful, I hate it", "posted_at_0": "2026-03-03",
            "posted_at_1": "09:00:00", "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert (comment.text, comment.sentiment, comment.external_id) == (
        "awful, I hate it", "negative", "c1"
    )
    assert post.partnership.campaign.kpi_snapshots.filter(scope="total").exists()


def test_post_metrics_added_and_deleted_in_the_admin_recompute_the_campaign(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import KpiSnapshot, PostMetrics

    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    client = client_for(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(PostMetrics, "add"), {
            "post": post.pk, "captured_at_0": "2026-03-03", "captured_at_1": "12:00:00",
            "impressions": "1200", "likes": "40", "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    row = PostMetrics.objects.get()
    assert (row.impressions, row.likes, row.source) == (1200, 40, "manual")
    KpiSnapshot.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(admin_url(PostMetrics, "delete", row.pk), {"post": "yes"})
    assert not PostMetrics.objects.exists()
    assert post.partnership.campaign.kpi_snapshots.filter(scope="total").exists()
