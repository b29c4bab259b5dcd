import datetime as dt
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.services import invitation_create
from tests import factories as f


def link(token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def test_a_signed_in_user_joins_with_the_invited_role(client_for, team):
    invitation, token = invitation_create(access=team.access(), email="newcomer@example.com",
                                          role=Role.MANAGER)
    newcomer = f.UserFactory(username="newcomer")
    client = client_for(newcomer)
    page = client.get(link(token))
    assert page.status_code == 200 and team.organization.name in page.content.decode()
    response = client.post(link(token))
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, organization=team.organization)
    assert membership.role == Role.MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert client.session["organization_id"] == team.organization.pk


def test_a_signed_out_user_can_sign_in_to_accept_and_comes_back(client, team):
    _, token = invitation_create(access=team.access(), email="x@example.com", role=Role.VIEWER)
    newcomer = f.UserFactory(username="newcomer")
    page = client.get(link(token))
    assert page.status_code == 200
    sign_in = f"{reverse('accounts:login')}?next={quote(link(token), safe='')}"
    assert sign_in.replace("&", "&amp;") in page.content.decode()
    back = client.post(
        reverse("accounts:login"),
        {"username": newcomer.username, "password": f.PASSWORD, "next": link(token)},
    )
    assert back.status_code == 302 and back["Location"] == link(token)


def test_a_link_works_once(client_for, team):
    _, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    client_for(f.UserFactory(username="first")).post(link(token))
    second = f.UserFactory(username="second")
    response = client_for(second).post(link(token))
    assert response.status_code == 410
    assert not Membership.objects.filter(user=second).exists()


def test_an_expired_link_is_refused(client_for, team):
    invitation, token = invitation_create(access=team.access(), email="late@example.com",
                                          role=Role.VIEWER)
    invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    user = f.UserFactory(username="late")
    assert client_for(user).post(link(token)).status_code == 410
    assert not Membership.objects.filter(user=user).exists()


def test_an_unknown_token_is_404(client_for, team):
    assert client_for(team.viewer).get(link("not-a-token")).status_code == 404


def test_accepting_keeps_an_existing_role(client_for, team):
    _, token = invitation_create(access=team.access(), email=team.admin.email, role=Role.VIEWER)
    client_for(team.admin).post(link(token))
    assert Membership.objects.get(user=team.admin, organization=team.organization).role == Role.ADMIN


def test_joining_needs_a_post(client_for, team):
    _, token = invitation_create(access=team.access(), email="looker@example.com",
                                 role=Role.VIEWER)
    user = f.UserFactory(username="looker")
    client_for(user).get(link(token))
    assert not Membership.objects.filter(user=user).exists()


def test_invitations_of_another_org_are_not_listed(client_for, team, outsider_team):
    invitation_create(access=outsider_team.access(), email="theirs@example.com", role="viewer")
    page = client_for(team.owner).get(reverse("accounts:members")).content.decode()
    assert "theirs@example.com" not in page


def test_the_signed_out_page_shows_the_organization_the_role_and_both_ways(client, team):
    _, token = invitation_create(access=team.access(), email="", role=Role.ADMIN)
    page = client.get(link(token)).content.decode()
    assert "Join Acme" in page and "<strong>admin</strong>" in page
    assert "acme-owner invited you" in page
    assert "Create an account" in page and "Sign in to accept" in page
    assert 'name="password1"' in page and 'name="password2"' in page


def test_an_existing_user_signs_in_from_the_link_and_accepts(client, team):
    invitation, token = invitation_create(access=team.access(), email="", role=Role.MANAGER)
    existing = f.UserFactory(username="existing")
    client.get(link(token))
    back = client.post(reverse("accounts:login"), {"username": "existing@example.com",
                                                   "password": f.PASSWORD, "next": link(token)})
    assert back["Location"] == link(token)
    assert "Join Acme" in client.get(link(token)).content.decode()
    assert client.post(link(token)).status_code == 302
    assert Membership.objects.get(user=existing, organization=team.organization).role == (
        Role.MANAGER)
    assert "invitation_token" not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted_by == existing


def test_a_refused_link_offers_sign_in_to_the_signed_out(client, team):
    invitation, token = invitation_create(access=team.access(), email="", role=Role.VIEWER)
    invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    page = client.get(link(token))
    assert page.status_code == 410
    assert reverse("accounts:login") in page.content.decode()
    assert "Go to your dashboard" not in page.content.decode()
