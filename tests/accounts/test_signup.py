"""Signing up: only through a pending invitation, on the invitation page, and the new account
joins with the invited role in the same write — or no account is made at all."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Invitation, Membership, Role, User
from accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitation_signup,
)
from tests import factories as f

NEW_PASSWORD = "violet-canyon-harbor-42"


def link(token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def details(username: str = "newcomer", email: str = "newcomer@example.com", **extra: str):
    return {"username": username, "email": email, "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, **extra}


def test_a_new_person_creates_an_account_on_the_invitation_page_and_joins(client, team):
    invitation, token = invitation_create(
        access=team.access(), email="newcomer@example.com", role=Role.MANAGER
    )
    page = client.get(link(token))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Acme" in body and "manager" in body
    assert "Create an account" in body and "Sign in to accept" in body
    assert 'value="newcomer@example.com"' in body and "readonly" in body

    response = client.post(link(token), details())
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.com" and user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user, organization=team.organization)
    assert membership.role == Role.MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["organization_id"] == team.organization.pk
    assert "invitation_token" not in client.session
    assert client.get("/").status_code == 200
    # The link reached the invited address: it counts as verified, and no mail is needed.
    address = EmailAddress.objects.get(user=user)
    assert address.email == "newcomer@example.com" and address.verified and address.primary
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="member.joined", organization=team.organization).exists()


def test_an_open_invitation_takes_any_address_and_asks_to_verify_it(client, team):
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    client.get(link(token))
    response = client.post(link(token), details(email="someone@example.org"))
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert Membership.objects.get(user=user).role == Role.VIEWER
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


def test_signup_without_an_invitation_is_refused(client, db):
    url = reverse("account_signup")
    assert url == "/accounts/signup/"
    page = client.get(url)
    assert page.status_code == 403 and "by invitation" in page.content.decode()
    assert client.post(url, details()).status_code == 403
    assert not User.objects.filter(username="newcomer").exists()


def test_the_signup_address_leads_back_to_the_invitation_this_browser_opened(client, team):
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    client.get(link(token))
    response = client.get(reverse("account_signup"))
    assert response.status_code == 302 and response["Location"] == link(token)


def test_a_withdrawn_invitation_creates_no_account(client, team):
    invitation, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    client.get(link(token))  # opened while still pending …
    invitation_revoke(access=team.access(), invitation=invitation)  # … withdrawn meanwhile
    assert client.get(reverse("account_signup")).status_code == 403
    response = client.post(link(token), details())
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_an_expired_invitation_creates_no_account(client, team):
    invitation, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client.get(link(token))
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert "Create an account" not in page.content.decode()
    assert client.post(link(token), details()).status_code == 410
    assert not User.objects.filter(username="newcomer").exists()


def test_a_used_invitation_creates_no_account(client, team):
    invitation, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    invitation_accept(invitation=invitation, user=f.UserFactory(username="first"))
    assert client.post(link(token), details()).status_code == 410
    assert not User.objects.filter(username="newcomer").exists()


def test_an_unknown_token_is_404_signed_out(client, db):
    assert client.get(link("not-a-token")).status_code == 404
    assert client.post(link("not-a-token"), details()).status_code == 404
    assert not User.objects.filter(username="newcomer").exists()


def test_an_addressed_invitation_cannot_be_used_with_another_address(client, team):
    _, token = invitation_create(access=team.access(), email="mia@example.com", role=Role.ADMIN)
    client.get(link(token))
    response = client.post(link(token), details(username="eve", email="eve@example.com"))
    assert response.status_code == 400
    assert "another e-mail address" in response.content.decode()
    assert not User.objects.filter(username="eve").exists()
    assert not Membership.objects.filter(organization=team.organization, role=Role.ADMIN,
                                         user__username="eve").exists()


def test_the_address_may_differ_in_case_only(client, team):
    _, token = invitation_create(access=team.access(), email="Mia@Example.com", role=Role.ADMIN)
    client.get(link(token))
    assert client.post(link(token), details(username="mia", email="mia@example.COM")
                       ).status_code == 302
    mia = User.objects.get(username="mia")
    assert Membership.objects.get(user=mia).role == Role.ADMIN
    assert EmailAddress.objects.get(user=mia).verified


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "password1234", "password2": "password1234"}, "too common"),
        ({"password2": "violet-canyon-harbor-43"}, "same password"),
        ({"username": "acme-viewer"}, "already exists"),
        ({"email": "acme-viewer@example.com"}, "already registered"),
        ({"username": ""}, "required"),
    ],
)
def test_the_form_runs_allauths_rules_and_the_password_validators(client, team, changes,
                                                                   message):
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    client.get(link(token))
    response = client.post(link(token), details(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 4  # the team only
    assert Invitation.objects.get().accepted_at is None


def test_the_service_leaves_no_account_behind_when_the_invitation_is_refused(team):
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    invitation_accept(invitation=invitation, user=f.UserFactory(username="first"))
    with pytest.raises(ValidationError) as refused:
        invitation_signup(invitation=invitation, username="late", email="late@example.com",
                          password=NEW_PASSWORD)
    assert refused.value.code == "accepted"
    assert not User.objects.filter(username="late").exists()
    assert not EmailAddress.objects.filter(email="late@example.com").exists()


def test_the_service_runs_the_password_validators_itself(team):
    invitation, _ = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    with pytest.raises(ValidationError):
        invitation_signup(invitation=invitation, username="weak", email="weak@example.com",
                          password="123456789012345")
    assert not User.objects.filter(username="weak").exists()


def test_a_signed_in_member_is_not_offered_an_account(client_for, team):
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    page = client_for(f.UserFactory(username="someone")).get(link(token)).content.decode()
    assert "Create an account" not in page and "Join Acme" in page
