import datetime as dt

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


def test_a_signed_out_user_is_sent_to_login_and_back(client, team):
    _, token = invitation_create(access=team.access(), email="x@example.com", role=Role.VIEWER)
    newcomer = f.UserFactory(username="newcomer")
    response = client.get(link(token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
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
