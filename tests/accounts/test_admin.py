"""The admin site as a whole — every model registered, every changelist, add and change page
rendering for a superuser — and the accounts admin: API keys shown once and never their hash,
the audit log read-only, the last owner kept, the organization renamed through its service."""

import pytest
from django.apps import apps
from django.contrib import admin

from accounts.models import ApiKey, AuditEntry, Membership, Organization, Role
from tests import factories as f
from tests.admin_support import admin_url

APPS = ("accounts", "influencers", "campaigns", "metrics")
MODELS = [m for name in APPS for m in apps.get_app_config(name).get_models()]


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


def test_the_api_key_hash_is_never_shown(client_for, superuser, team):
    key = f.ApiKeyFactory(organization=team.organization)
    client = client_for(superuser)
    assert key.hashed_key not in client.get(admin_url(ApiKey, "change", key.pk)).content.decode()


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
