"""The role matrix, in the Django admin: staff status opens it, the member's role in the object's
organization decides everything in it, model permissions alone grant nothing, only superusers
touch users' passwords, e-mails and powers, and compensation stays with admins and owners."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import (
    ROLE_RANK,
    TEAM_ROLES,
    ApiKey,
    AuditEntry,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
)
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
from content.models import (
    Brief,
    BriefAttachment,
    BriefSend,
    BriefVersion,
    Deliverable,
    Draft,
    DraftReview,
    PostCheck,
)
from influencers.models import Influencer, SocialAccount
from metrics.models import (
    Click,
    ClickDayRollup,
    Comment,
    CommentDayRollup,
    Conversion,
    ConversionDayRollup,
    EmvRate,
    FollowerSnapshot,
    FunnelChange,
    KpiSnapshot,
    NewVisitorDayRollup,
    PlatformConnection,
    PostDayRollup,
    PostMetrics,
    PostRollupState,
    Refund,
    RollupRebuild,
    Visit,
    VisitDayRollup,
    VisitorFirstSeen,
    WebhookDelivery,
)
from payouts.models import PayoutLine
from reports.models import (
    DigestDelivery,
    DigestRecipient,
    DigestSchedule,
    DigestSend,
    ShareLink,
    ShareLinkView,
)
from tests import factories as f
from tests.admin_support import admin_url as url
from tests.security.world import World, build_world

V, M, A, OW = Role.VIEWER, Role.MANAGER, Role.ADMIN, Role.OWNER
NOBODY = None  # superusers only

# model: least role to (view, add, change, delete) in the admin — the pages' rules.
MATRIX: dict[type[Model], tuple[str | None, str | None, str | None, str | None]] = {
    Organization: (V, NOBODY, OW, NOBODY),
    Membership: (OW, OW, OW, OW),
    ApiKey: (OW, OW, OW, OW),
    Invitation: (OW, OW, OW, OW),
    AuditEntry: (OW, NOBODY, NOBODY, NOBODY),
    Brand: (V, A, A, A),
    BrandAccount: (V, A, A, A),
    Campaign: (V, M, M, OW),
    KpiTarget: (V, M, M, M),
    Partnership: (V, M, M, M),
    Post: (V, M, M, M),
    PromoCode: (V, M, M, M),
    TrackingLink: (V, M, M, M),
    Cost: (A, A, A, A),
    Influencer: (V, M, M, M),
    SocialAccount: (V, M, M, M),
    PostMetrics: (V, M, M, M),
    Comment: (V, M, M, M),
    FollowerSnapshot: (V, M, M, M),
    Visit: (V, M, M, M),
    Conversion: (V, M, M, M),
    Refund: (V, M, M, M),
    EmvRate: (V, A, A, A),
    Click: (V, NOBODY, NOBODY, M),
    KpiSnapshot: (V, NOBODY, NOBODY, M),
    RollupRebuild: (V, NOBODY, NOBODY, M),
    PostRollupState: (V, NOBODY, NOBODY, M),
    PostDayRollup: (V, NOBODY, NOBODY, M),
    CommentDayRollup: (V, NOBODY, NOBODY, M),
    ClickDayRollup: (V, NOBODY, NOBODY, M),
    ConversionDayRollup: (V, NOBODY, NOBODY, M),
    VisitDayRollup: (V, NOBODY, NOBODY, M),
    VisitorFirstSeen: (V, NOBODY, NOBODY, M),
    NewVisitorDayRollup: (V, NOBODY, NOBODY, M),
    FunnelChange: (V, NOBODY, NOBODY, M),
    WebhookDelivery: (V, NOBODY, NOBODY, M),
    PlatformConnection: (V, NOBODY, A, A),
    ShareLink: (A, NOBODY, NOBODY, A),
    ShareLinkView: (A, NOBODY, NOBODY, OW),
    DigestSchedule: (M, A, A, A),
    DigestRecipient: (M, A, NOBODY, A),
    DigestSend: (M, NOBODY, NOBODY, A),
    DigestDelivery: (M, NOBODY, NOBODY, A),
    Brief: (V, NOBODY, NOBODY, M),
    BriefVersion: (V, NOBODY, NOBODY, M),
    BriefAttachment: (V, NOBODY, NOBODY, M),
    BriefSend: (V, NOBODY, NOBODY, M),
    Deliverable: (V, M, M, M),
    Draft: (V, NOBODY, NOBODY, M),
    DraftReview: (V, NOBODY, NOBODY, M),
    PostCheck: (V, NOBODY, NOBODY, M),
    PayoutLine: (A, NOBODY, NOBODY, A),
}

ALL_PERMISSIONS_APPS = ("accounts", "influencers", "campaigns", "metrics", "reports")


def may(role: str, least: str | None) -> bool:
    return least is not None and ROLE_RANK[role] >= ROLE_RANK[least]


def make_staff(user: User, *, permissions: bool = True) -> User:
    """Staff, and (by default) every model permission: the old admin's way in, now worthless."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    if permissions:
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=ALL_PERMISSIONS_APPS)
        )
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def world(team) -> World:
    world = build_world(team.organization, "ACME")
    world.objects[Organization] = team.organization
    return world


def test_the_matrix_names_every_organization_scoped_model():
    scoped = {
        model for model in admin.site._registry
        if getattr(model, "organization_path", None) is not None
    }
    assert scoped == set(MATRIX)


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_each_role_gets_exactly_its_admin_pages(role, team, world):
    client = Client()
    client.force_login(make_staff(team.user(role)))
    wrong = []
    for model, (view, add, change, delete) in MATRIX.items():
        obj = world[model]

        def check(what: str, got: int, expected: int) -> None:
            if got != expected:
                wrong.append(f"{model.__name__} {what}: {got}, expected {expected}")  # noqa: B023

        check("list", client.get(url(model, "changelist")).status_code,
              200 if may(role, view) else 403)
        check("add", client.get(url(model, "add")).status_code, 200 if may(role, add) else 403)
        page = client.get(url(model, "change", obj.pk))
        check("change page", page.status_code, 200 if may(role, view) else 404)
        if page.status_code == 200:
            check("save button", int('name="_save"' in page.content.decode()),
                  int(may(role, change)))
        expected_delete = 404 if not may(role, view) else 200 if may(role, delete) else 403
        check("delete page", client.get(url(model, "delete", obj.pk)).status_code,
              expected_delete)
    assert not wrong, wrong


def test_an_outsider_gets_404_for_every_object_and_lists_none(team, world, outsider_team):
    build_world(outsider_team.organization, "RIVAL")  # their own rows, so lists have filters
    client = Client()
    client.force_login(make_staff(outsider_team.owner))
    leaks = []
    for model in MATRIX:
        obj = world[model]
        for view in ("change", "delete", "history"):
            status = client.get(url(model, view, obj.pk)).status_code
            if status != 404:
                leaks.append(f"{model.__name__} {view}: {status}")
        listing = client.get(url(model, "changelist")).content.decode()
        if url(model, "change", obj.pk) in listing:
            leaks.append(f"{model.__name__} listed")
        if "ACME" in listing:  # e.g. a filter offering every brand or campaign by name
            leaks.append(f"{model.__name__} list names ACME's records")
    assert not leaks, leaks


def test_roles_work_without_any_model_permission(client_for, team, world):
    owner = make_staff(team.owner, permissions=False)
    client = client_for(owner)
    assert client.get(url(Campaign, "changelist")).status_code == 200
    assert client.get(url(ApiKey, "add")).status_code == 200
    assert client.get(url(Campaign, "delete", world[Campaign].pk)).status_code == 200


# --- The four attacks of the report, by a viewer holding every model permission ------------
@pytest.fixture
def viewer(team) -> Client:
    client = Client()
    client.force_login(make_staff(team.viewer))
    return client


@pytest.fixture
def service_calls(monkeypatch) -> list[str]:
    """The services check roles too; replaced by spies, they show the admin refuses alone."""
    import accounts.admin
    import campaigns.services

    calls: list[str] = []
    for module, name in (
        (accounts.admin, "api_key_create"), (accounts.admin, "invitation_create"),
        (accounts.admin, "membership_set_role"), (campaigns.services, "campaign_delete"),
    ):
        monkeypatch.setattr(module, name, lambda *a, _n=name, **k: calls.append(_n))
    return calls


def test_a_viewer_cannot_create_an_owner_api_key(viewer, team, world, service_calls):
    before = ApiKey.objects.count()
    assert viewer.get(url(ApiKey, "add")).status_code == 403
    response = viewer.post(url(ApiKey, "add"), {
        "organization": team.organization.pk, "name": "mine now", "role": "owner",
    })
    assert response.status_code == 403
    assert ApiKey.objects.count() == before
    assert "fb_" not in response.content.decode()
    assert service_calls == []


def test_a_viewer_cannot_invite_an_owner(viewer, team, world, service_calls):
    before = Invitation.objects.count()
    assert viewer.get(url(Invitation, "add")).status_code == 403
    response = viewer.post(url(Invitation, "add"), {
        "organization": team.organization.pk, "email": "accomplice@example.com", "role": "owner",
    })
    assert response.status_code == 403
    assert Invitation.objects.count() == before
    assert service_calls == []


def test_a_viewer_cannot_promote_themself(viewer, team, world, service_calls):
    mine = Membership.objects.get(user=team.viewer, organization=team.organization)
    assert viewer.post(url(Membership, "change", mine.pk), {"role": "owner"}).status_code == 404
    # Nor through the membership inline of their own user page.
    response = viewer.post(url(User, "change", team.viewer.pk), {
        "username": team.viewer.username, "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1", "memberships-0-id": mine.pk,
        "memberships-0-user": team.viewer.pk, "memberships-0-organization": team.organization.pk,
        "memberships-0-role": "owner",
    })
    assert response.status_code in (403, 404)
    mine.refresh_from_db()
    assert mine.role == Role.VIEWER
    assert service_calls == []


def test_a_viewer_cannot_delete_a_campaign(viewer, world, service_calls):
    campaign = world[Campaign]
    assert viewer.post(url(Campaign, "delete", campaign.pk), {"post": "yes"}).status_code == 403
    viewer.post(url(Campaign, "changelist"), {
        "action": "delete_selected", "_selected_action": [campaign.pk], "post": "yes",
    })
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    assert service_calls == []


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_below_owner_the_attacks_fail_too(role, team, world, service_calls):
    client = Client()
    client.force_login(make_staff(team.user(role)))
    keys, invitations = ApiKey.objects.count(), Invitation.objects.count()
    assert client.post(url(ApiKey, "add"), {
        "organization": team.organization.pk, "name": "k", "role": "owner",
    }).status_code == 403
    assert client.post(url(Invitation, "add"), {
        "organization": team.organization.pk, "email": "x@example.com", "role": "owner",
    }).status_code == 403
    mine = Membership.objects.get(user=team.user(role), organization=team.organization)
    assert client.post(url(Membership, "change", mine.pk), {"role": "owner"}).status_code == 404
    campaign = world[Campaign]
    assert client.post(url(Campaign, "delete", campaign.pk), {"post": "yes"}).status_code == 403
    mine.refresh_from_db()
    assert mine.role == role
    assert (ApiKey.objects.count(), Invitation.objects.count()) == (keys, invitations)
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    assert service_calls == []


def test_an_owner_still_does_it_through_the_services(client_for, team, world):
    client = client_for(make_staff(team.owner, permissions=False))
    response = client.post(url(ApiKey, "add"), {
        "organization": team.organization.pk, "name": "script", "role": "viewer",
    }, follow=True)
    assert "will not be shown again: fb_" in response.content.decode()
    campaign = world[Campaign]
    assert client.post(url(Campaign, "delete", campaign.pk), {"post": "yes"}).status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert AuditEntry.objects.filter(action="campaign.deleted", actor=team.owner).exists()


def test_a_service_refusal_is_a_400_naming_the_reason(client_for, team):
    """The last owner cannot be demoted: the service refuses and the form says why."""
    client = client_for(make_staff(team.owner, permissions=False))
    mine = Membership.objects.get(user=team.owner, organization=team.organization)
    response = client.post(url(Membership, "change", mine.pk), {"role": "viewer"})
    assert response.status_code == 400
    assert "at least one owner" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_a_manager_in_one_org_cannot_write_into_one_they_only_view(team, outsider_team):
    manager = make_staff(team.manager)
    f.MembershipFactory(organization=outsider_team.organization, user=manager, role=Role.VIEWER)
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization, name="Theirs")
    client = Client()
    client.force_login(manager)
    page = client.get(url(Campaign, "change", theirs.pk)).content.decode()
    assert 'name="_save"' not in page  # seen, read-only
    response = client.post(url(Campaign, "add"), {
        "brand": theirs.brand.pk, "name": "Sneaky", "slug": "sneaky", "stage": "TOFU",
        "start_date": "2026-03-01", "end_date": "2026-03-31", "budget": "0", "currency": "USD",
        "status": "draft", "attribution_window_days": "30",
        "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "costs-TOTAL_FORMS": "0", "costs-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200 and "brand" in response.content.decode()
    assert not Campaign.objects.filter(name="Sneaky").exists()
    assert client.post(url(Campaign, "change", theirs.pk), {"name": "Mine"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


# --- Account takeover ---------------------------------------------------------------------
def test_a_staff_member_cannot_reach_another_users_password(viewer, team, outsider_team):
    # The victim owns another organization and also belongs to the attacker's: the old admin
    # scoped users by shared organizations, so it let the attacker in.
    victim = outsider_team.owner
    f.MembershipFactory(organization=team.organization, user=victim, role=Role.VIEWER)
    password_hash = victim.password
    password_url = reverse("admin:auth_user_password_change", args=[victim.pk])
    assert viewer.get(password_url).status_code in (403, 404)
    response = viewer.post(password_url, {
        "password1": "a-new-long-password-42", "password2": "a-new-long-password-42",
        "usable_password": "true",
    })
    assert response.status_code in (403, 404)
    assert viewer.get(url(User, "change", victim.pk)).status_code in (403, 404)
    victim.refresh_from_db()
    assert victim.password == password_hash
    assert not victim.check_password("a-new-long-password-42")


def test_not_even_an_owner_changes_users_passwords_emails_or_powers(client_for, team):
    owner = make_staff(team.owner)
    client = client_for(owner)
    colleague = team.viewer
    password_url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.get(password_url).status_code == 403
    assert client.post(password_url, {
        "password1": "a-new-long-password-42", "password2": "a-new-long-password-42",
    }).status_code == 403
    page = client.get(url(User, "change", colleague.pk))
    assert page.status_code == 200  # a member of their organization: seen, read-only
    assert "password/" not in page.content.decode()
    for target in (colleague, owner):
        response = client.post(url(User, "change", target.pk), {
            "username": target.username, "email": "attacker@example.com", "is_staff": "on",
            "is_superuser": "on", "is_active": "on",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        })
        assert response.status_code == 403
    assert not User.objects.filter(email="attacker@example.com").exists()
    assert not User.objects.filter(is_superuser=True).exists()


# --- Compensation and costs ---------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_below_admin_compensation_and_costs_are_not_in_the_admin(role, team, world):
    client = Client()
    client.force_login(make_staff(team.user(role)))
    partnership = world[Partnership]
    listing = client.get(url(Partnership, "changelist")).content.decode()
    assert "column-fee" not in listing and "column-commission_rate" not in listing
    page = client.get(url(Partnership, "change", partnership.pk)).content.decode()
    assert "field-fee" not in page and "field-product_value" not in page
    campaign = client.get(url(Campaign, "change", world[Campaign].pk)).content.decode()
    assert "partnerships-0-fee" not in campaign and "field-fee" not in campaign
    assert "costs-TOTAL_FORMS" not in campaign and world[Cost].note not in campaign
    assert client.get(url(Cost, "changelist")).status_code == 403
    assert client.get(url(Cost, "change", world[Cost].pk)).status_code == 404
    index = client.get(reverse("admin:index")).content.decode()
    assert url(Cost, "changelist") not in index


def test_a_manager_cannot_set_a_fee_through_the_admin(team, world):
    client = Client()
    client.force_login(make_staff(team.manager))
    partnership = world[Partnership]
    fee = partnership.fee
    response = client.post(url(Partnership, "change", partnership.pk), {
        "campaign": partnership.campaign.pk, "influencer": partnership.influencer.pk,
        "status": "live", "fee": "99999.00", "product_value": "5000.00",
        "commission_rate": "50.00", "notes": "",
        "promo_codes-TOTAL_FORMS": "0", "promo_codes-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "posts-TOTAL_FORMS": "0", "posts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "live" and partnership.fee == fee


def test_admins_see_compensation_and_costs(team, world):
    client = Client()
    client.force_login(make_staff(team.admin))
    page = client.get(url(Partnership, "change", world[Partnership].pk)).content.decode()
    assert "field-fee" in page
    campaign = client.get(url(Campaign, "change", world[Campaign].pk)).content.decode()
    assert "partnerships-0-fee" in campaign and "costs-TOTAL_FORMS" in campaign
    assert client.get(url(Cost, "changelist")).status_code == 200


def test_actions_need_write_access_to_every_selected_row(team, world, outsider_team):
    """A manager of ACME who only views RIVAL: recomputing both campaigns is refused whole."""
    from metrics.models import KpiSnapshot as Snapshot

    manager = make_staff(team.manager)
    f.MembershipFactory(organization=outsider_team.organization, user=manager, role=Role.VIEWER)
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization)
    Snapshot.objects.all().delete()
    client = Client()
    client.force_login(manager)
    response = client.post(url(Campaign, "changelist"), {
        "action": "recompute_kpis_action", "_selected_action": [world[Campaign].pk, theirs.pk],
    })
    assert response.status_code == 403
    assert not Snapshot.objects.exists()
    viewer = Client()
    viewer.force_login(make_staff(team.viewer))
    page = viewer.get(url(Campaign, "changelist")).content.decode()
    assert "recompute_kpis_action" not in page
