"""Trust boundaries of API keys and invitations.

Keys: every key belongs to a person (a key made by a key belongs to that key's person), acts
with the lower of its own role and that person's current role, and dies with their membership.
Invitations: single use, expiring, revocable by owners, and bound to the invited address.
The tenancy services check the owner role themselves, whoever calls them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_auth import ApiKeyAuthentication
from accounts.keys import hash_key
from accounts.models import ApiKey, AuditEntry, Invitation, Membership, Role, User
from accounts.selectors import Access
from accounts.services import (
    api_key_create,
    api_key_revoke,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def second_owner(team: Any) -> User:
    user: User = User.objects.create(username="second-owner", email="second@example.com")
    f.MembershipFactory(organization=team.organization, user=user, role=Role.OWNER)
    return user


def membership_of(team: Any, user: User) -> Membership:
    return Membership.objects.get(organization=team.organization, user=user)


# --- Finding 4: API keys outlive their member -------------------------------------------------
def test_a_key_made_by_a_key_belongs_to_that_keys_person(team) -> None:
    maker = f.ApiKeyFactory(organization=team.organization, created_by=second_owner(team))
    created = bearer(maker.raw).post("/api/v1/api-keys/", {"name": "child", "role": "owner"})
    assert created.status_code == 201
    child = ApiKey.objects.get(pk=created.json()["id"])
    assert child.created_by == maker.created_by
    assert created.json()["created_by"] == maker.created_by.pk


def test_removing_a_member_kills_the_keys_their_keys_made(team) -> None:
    """The reported attack: a key minted by a key kept working, and minting, after its
    member was removed."""
    departing = second_owner(team)
    maker = f.ApiKeyFactory(organization=team.organization, created_by=departing)
    child_raw = bearer(maker.raw).post(
        "/api/v1/api-keys/", {"name": "child", "role": "owner"}
    ).json()["key"]
    assert bearer(child_raw).get("/api/v1/brands/").status_code == 200

    membership_remove(access=team.access(Role.OWNER), membership=membership_of(team, departing))

    for raw in (maker.raw, child_raw):
        assert bearer(raw).get("/api/v1/brands/").status_code == 401
        minted = bearer(raw).post("/api/v1/api-keys/", {"name": "more", "role": "owner"})
        assert minted.status_code == 401
    assert not ApiKey.objects.filter(created_by=departing, revoked_at__isnull=True).exists()
    assert ApiKey.objects.filter(organization=team.organization).count() == 2
    entry = AuditEntry.objects.get(action="member.removed")
    assert entry.changes["api_keys_revoked"] == 2


def test_a_key_whose_person_is_no_longer_a_member_fails_authentication(team) -> None:
    """Even when the membership disappears without the service (no revocation at all)."""
    key = f.ApiKeyFactory(organization=team.organization, role=Role.VIEWER,
                          created_by=team.manager)
    assert bearer(key.raw).get("/api/v1/brands/").status_code == 200
    membership_of(team, team.manager).delete()
    assert bearer(key.raw).get("/api/v1/brands/").status_code == 401


def test_a_deactivated_persons_key_fails_authentication(team) -> None:
    key = f.ApiKeyFactory(organization=team.organization, role=Role.VIEWER,
                          created_by=team.manager)
    team.manager.is_active = False
    team.manager.save()
    assert bearer(key.raw).get("/api/v1/brands/").status_code == 401


def test_demoting_an_owner_drops_her_keys_role_at_once(team) -> None:
    """The reported case: the owner key kept writing after its owner became a viewer."""
    demoted = second_owner(team)
    key = f.ApiKeyFactory(organization=team.organization, role=Role.OWNER, created_by=demoted)
    api = bearer(key.raw)
    assert api.post("/api/v1/influencers/", {"name": "Before"}).status_code == 201

    membership_set_role(access=team.access(Role.OWNER), membership=membership_of(team, demoted),
                        role=Role.VIEWER)

    assert api.get("/api/v1/influencers/").status_code == 200
    assert api.post("/api/v1/influencers/", {"name": "After"}).status_code == 403
    assert api.get("/api/v1/api-keys/").json()["count"] == 0
    assert api.post("/api/v1/api-keys/", {"name": "x", "role": "viewer"}).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None and key.role == Role.OWNER  # kept: promoting her restores it


def test_a_key_never_acts_above_its_persons_role(team) -> None:
    """A key stored with a role above its person's (e.g. from before this rule) acts with the
    person's role."""
    key = f.ApiKeyFactory(organization=team.organization, role=Role.OWNER,
                          created_by=team.manager)
    api = bearer(key.raw)
    assert api.post("/api/v1/influencers/", {"name": "Managers may"}).status_code == 201
    assert api.post("/api/v1/brands/", {"name": "Admins only", "currency": "EUR"}
                    ).status_code == 403


def test_a_key_cannot_be_created_above_its_persons_role(team) -> None:
    with pytest.raises(ValidationError) as refused:
        api_key_create(access=team.access(Role.OWNER), name="too strong", role=Role.ADMIN,
                       created_by=team.manager)
    assert "role" in refused.value.message_dict
    key, _ = api_key_create(access=team.access(Role.OWNER), name="fits", role=Role.MANAGER,
                            created_by=team.manager)
    assert key.created_by == team.manager


def test_a_key_cannot_belong_to_a_non_member(team, outsider_team) -> None:
    with pytest.raises(ValidationError) as refused:
        api_key_create(access=team.access(Role.OWNER), name="stray", role=Role.VIEWER,
                       created_by=outsider_team.owner)
    assert "created_by" in refused.value.message_dict
    assert not ApiKey.objects.filter(name="stray").exists()


def test_a_key_cannot_make_keys_for_someone_else(team) -> None:
    maker = f.ApiKeyFactory(organization=team.organization)
    access = Access(organization=team.organization, role=Role.OWNER, api_key=maker)
    with pytest.raises(PermissionDenied):
        api_key_create(access=access, name="for the admin", role=Role.VIEWER,
                       created_by=team.admin)


def test_a_key_made_by_an_expiring_key_cannot_outlive_it(team) -> None:
    soon = timezone.now() + dt.timedelta(days=1)
    maker = f.ApiKeyFactory(organization=team.organization, expires_at=soon)
    api = bearer(maker.raw)
    forever = api.post("/api/v1/api-keys/", {"name": "forever", "role": "viewer"})
    assert forever.status_code == 400 and "expires_at" in forever.json()
    ok = api.post("/api/v1/api-keys/", {"name": "short", "role": "viewer",
                                        "expires_at": (soon - dt.timedelta(hours=1)).isoformat()})
    assert ok.status_code == 201


def test_the_api_keys_page_makes_keys_that_belong_to_the_owner(client_for, team) -> None:
    response = client_for(team.owner).post(reverse("accounts:api_key_new"),
                                           {"name": "Zapier", "role": "admin"})
    assert response.status_code == 200
    assert ApiKey.objects.get(name="Zapier").created_by == team.owner


def test_createapikey_gives_the_key_to_the_first_owner_or_the_named_member(team) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command("createapikey", team.organization.slug, *args, stdout=out)
        return out.getvalue()

    assert "belonging to acme-owner" in run("--role", "viewer", "--name", "ci")
    assert ApiKey.objects.get(name="ci").created_by == team.owner
    run("--role", "manager", "--name", "m", "--user", team.manager.username)
    assert ApiKey.objects.get(name="m").created_by == team.manager
    with pytest.raises(CommandError, match="higher role"):
        run("--role", "owner", "--user", team.manager.username)
    with pytest.raises(CommandError, match="No member"):
        run("--role", "viewer", "--user", "ghost")


def test_authentication_is_one_query(team) -> None:
    from django.test import RequestFactory
    from rest_framework.request import Request

    key = f.ApiKeyFactory(organization=team.organization, role=Role.ADMIN,
                          created_by=team.manager)
    key.last_used_at = timezone.now()  # recorded a moment ago: no touch-up write this time
    key.save()

    def authenticate() -> ApiKey:
        request = Request(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {key.raw}"))
        return ApiKeyAuthentication().authenticate(request)[1]  # type: ignore[index]

    with CaptureQueriesContext(connection) as queries:
        found = authenticate()
        from accounts.api_auth import effective_role

        assert effective_role(found) == Role.MANAGER
        assert found.organization == team.organization and found.created_by == team.manager
    assert len(queries) == 1


# --- The services check the owner role themselves ----------------------------------------------
def _calls(team: Any) -> dict[str, Callable[[Access], Any]]:
    membership = membership_of(team, team.viewer)
    invitation, _ = invitation_create(access=team.access(Role.OWNER), email="", role="viewer")
    key = f.ApiKeyFactory(organization=team.organization, role=Role.VIEWER)
    return {
        "membership_set_role": lambda a: membership_set_role(
            access=a, membership=membership, role=Role.MANAGER),
        "membership_remove": lambda a: membership_remove(access=a, membership=membership),
        "invitation_create": lambda a: invitation_create(access=a, email="", role="owner"),
        "invitation_revoke": lambda a: invitation_revoke(access=a, invitation=invitation),
        "api_key_create": lambda a: api_key_create(access=a, name="x", role=Role.VIEWER),
        "api_key_revoke": lambda a: api_key_revoke(access=a, api_key=key),
    }


@pytest.mark.parametrize("service", [
    "membership_set_role", "membership_remove", "invitation_create", "invitation_revoke",
    "api_key_create", "api_key_revoke",
])
@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.VIEWER])
def test_tenancy_services_refuse_non_owners(team, service, role) -> None:
    call = _calls(team)[service]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        call(team.access(role))
    assert AuditEntry.objects.count() == audit_before  # nothing happened
    assert membership_of(team, team.viewer).role == Role.VIEWER


@pytest.mark.parametrize("service", [
    "membership_set_role", "membership_remove", "invitation_revoke", "api_key_revoke",
])
def test_tenancy_services_refuse_another_organizations_records(team, outsider_team,
                                                               service) -> None:
    call = _calls(team)[service]
    with pytest.raises(PermissionDenied):
        call(outsider_team.access(Role.OWNER))
    assert membership_of(team, team.viewer).role == Role.VIEWER


def test_an_api_key_needs_an_effective_owner_role_to_manage_members(team) -> None:
    demoted = second_owner(team)
    key = f.ApiKeyFactory(organization=team.organization, created_by=demoted)
    membership_set_role(access=team.access(Role.OWNER), membership=membership_of(team, demoted),
                        role=Role.ADMIN)
    access = Access(organization=team.organization, role=Role.ADMIN, api_key=key)
    with pytest.raises(PermissionDenied):
        invitation_create(access=access, email="", role=Role.OWNER)


# --- Finding 10: invitations ----------------------------------------------------------------
def link(token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def test_an_accepted_link_shows_the_invalid_page_to_everyone(client_for, team) -> None:
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    joiner = f.UserFactory(username="joiner")
    client = client_for(joiner)
    assert client.post(link(token)).status_code == 302
    for who in (client, client_for(f.UserFactory(username="latecomer"))):
        page = who.get(link(token))
        assert page.status_code == 410 and "already used" in page.content.decode()
        assert who.post(link(token)).status_code == 410


def test_the_service_refuses_a_used_link(team) -> None:
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    invitation_accept(invitation=invitation, user=f.UserFactory(username="first"))
    second = f.UserFactory(username="second")
    with pytest.raises(ValidationError) as refused:
        invitation_accept(invitation=invitation, user=second)
    assert refused.value.code == "accepted"
    assert not Membership.objects.filter(user=second).exists()


def test_an_expired_link_is_refused_by_the_page_and_the_service(client_for, team) -> None:
    invitation, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    created = invitation.created_at
    assert invitation.expires_at - created >= dt.timedelta(days=7) - dt.timedelta(seconds=5)
    invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
    invitation.save()
    late = f.UserFactory(username="late")
    page = client_for(late).get(link(token))
    assert page.status_code == 410 and "expired" in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        invitation_accept(invitation=invitation, user=late)
    assert refused.value.code == "expired"
    assert not Membership.objects.filter(user=late).exists()


def test_an_owner_withdraws_a_pending_invitation(client_for, team) -> None:
    invitation, token = invitation_create(access=team.access(), email="gone@example.com",
                                          role=Role.ADMIN)
    owner = client_for(team.owner)
    assert "gone@example.com" in owner.get(reverse("accounts:members")).content.decode()
    response = owner.post(reverse("accounts:invitation_revoke", args=[invitation.pk]),
                          follow=True)  # shows (and so spends) the "withdrawn" message
    assert response.redirect_chain[0][1] == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    entry = AuditEntry.objects.get(action="member.invitation_revoked")
    assert entry.actor == team.owner and entry.changes["email"] == "gone@example.com"
    assert "gone@example.com" not in owner.get(reverse("accounts:members")).content.decode()
    invitee = f.UserFactory(username="gone", email="gone@example.com")
    page = client_for(invitee).get(link(token))
    assert page.status_code == 410 and "withdrawn" in page.content.decode()
    assert client_for(invitee).post(link(token)).status_code == 410
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_members_page_offers_withdrawal_of_pending_invitations(client_for, team) -> None:
    invitation, _ = invitation_create(access=team.access(), email="p@example.com", role="viewer")
    page = client_for(team.owner).get(reverse("accounts:members")).content.decode()
    assert reverse("accounts:invitation_revoke", args=[invitation.pk]) in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.VIEWER])
def test_only_owners_withdraw_invitations(client_for, team, role) -> None:
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])
    assert client_for(team.user(role)).post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_outsider_gets_404_on_withdrawing_an_invitation(client_for, team, outsider_team) -> None:
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])
    assert client_for(outsider_team.owner).post(url).status_code == 404
    assert client_for(team.owner).get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_withdrawn(team) -> None:
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    invitation_accept(invitation=invitation, user=f.UserFactory(username="in"))
    with pytest.raises(ValidationError):
        invitation_revoke(access=team.access(Role.OWNER), invitation=invitation)


def test_an_addressed_invitation_is_only_for_that_address(client_for, team) -> None:
    _, token = invitation_create(access=team.access(), email="Mia@Example.com",
                                 role=Role.ADMIN)
    stranger = f.UserFactory(username="stranger", email="stranger@example.com")
    page = client_for(stranger).get(link(token))
    assert page.status_code == 403
    assert "another e-mail address" in page.content.decode()
    assert "mia@example.com" not in page.content.decode().lower()  # not revealed
    assert client_for(stranger).post(link(token)).status_code == 403
    assert not Membership.objects.filter(user=stranger).exists()
    no_address = f.UserFactory(username="blank", email="")
    assert client_for(no_address).post(link(token)).status_code == 403

    mia = f.UserFactory(username="mia", email="mia@example.COM")  # case does not matter
    assert client_for(mia).post(link(token)).status_code == 302
    assert membership_of(team, mia).role == Role.ADMIN


def test_the_service_refuses_another_address(team) -> None:
    invitation, _ = invitation_create(access=team.access(), email="mia@example.com",
                                      role=Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        invitation_accept(invitation=invitation, user=f.UserFactory(username="eve"))
    assert refused.value.code == "email"


def test_an_invitation_without_an_address_is_for_whoever_opens_it_first(client_for,
                                                                         team) -> None:
    response = client_for(team.owner).post(reverse("accounts:member_invite"),
                                           {"email": "", "role": "viewer"})
    assert response.status_code == 200
    invitation = Invitation.objects.get(organization=team.organization)
    assert invitation.email == ""
    token = response.content.decode().split("/accounts/invitations/")[1].split("/")[0]
    assert Invitation.objects.filter(hashed_token=hash_key(token)).exists()
    anyone = f.UserFactory(username="anyone")
    assert client_for(anyone).post(link(token)).status_code == 302
    assert membership_of(team, anyone).role == Role.VIEWER
