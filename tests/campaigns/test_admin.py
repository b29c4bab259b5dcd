"""The campaigns admin (campaigns/admin.py, admin_inlines.py): rows and choices scoped to the
staff member's organizations, secrets kept, and every write — promo codes, compensation, inline
costs, the recompute action — through the services."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import AuditEntry, Role
from campaigns.models import Brand, Campaign, Partnership, PromoCode
from tests import factories as f
from tests.admin_support import admin_url

APPS = ("accounts", "influencers", "campaigns", "metrics")


@pytest.fixture
def staff(team):
    """A staff user of the team's organization holding every model permission."""
    user = f.UserFactory(username="acme-staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    f.MembershipFactory(organization=team.organization, user=user, role=Role.ADMIN)
    return user


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


def test_the_shopify_secret_is_never_shown(client_for, superuser, team):
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret="shpss_topsecret")
    page = client_for(superuser).get(admin_url(Brand, "change", brand.pk)).content.decode()
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


def test_a_brand_website_typed_without_a_scheme_is_saved_as_https(client_for, superuser, team):
    brand = f.BrandFactory(organization=team.organization, website="https://old.example")
    client = client_for(superuser)
    page = client.get(admin_url(Brand, "change", brand.pk)).content.decode()
    assert 'class="vURLField"' in page  # the admin's own URL widget, with its current link
    response = client.post(admin_url(Brand, "change", brand.pk), {
        "organization": team.organization.pk, "name": brand.name, "website": "shop.example",
        "currency": "USD", "shopify_webhook_secret": "",
        "accounts-TOTAL_FORMS": "0", "accounts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.website == "https://shop.example"


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
