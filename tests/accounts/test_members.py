import pytest
from django.urls import reverse

from accounts.models import TEAM_ROLES, AuditEntry, Invitation, Membership, Role
from tests import factories as f

MEMBERS = reverse("accounts:members")


def test_owner_sees_every_member_with_their_role(client_for, team, outsider_team):
    page = client_for(team.owner).get(MEMBERS).content.decode()
    for role in TEAM_ROLES:
        assert team.user(role).username in page
    assert outsider_team.owner.username not in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.VIEWER])
def test_non_owners_get_403_on_the_members_page(client_for, team, role):
    client = client_for(team.user(role))
    assert client.get(MEMBERS).status_code == 403
    response = client.post(reverse("accounts:member_invite"), {"email": "x@example.com",
                                                               "role": "owner"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(MEMBERS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_owner_invites_and_sees_the_one_time_link(client_for, team):
    response = client_for(team.owner).post(
        reverse("accounts:member_invite"), {"email": "new@example.com", "role": "manager"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    invitation = Invitation.objects.get(organization=team.organization)
    assert invitation.email == "new@example.com" and invitation.role == Role.MANAGER
    assert "/accounts/invitations/" in page
    token = page.split("/accounts/invitations/")[1].split("/")[0]
    assert invitation.hashed_token != token and len(token) > 20


def test_a_bad_invitation_names_the_field(client_for, team):
    response = client_for(team.owner).post(
        reverse("accounts:member_invite"), {"email": "not-an-email", "role": "manager"}
    )
    assert response.status_code == 400
    assert "valid email" in response.content.decode()


def test_owner_changes_a_role_and_it_is_audited(client_for, team):
    membership = Membership.objects.get(user=team.viewer)
    response = client_for(team.owner).post(
        reverse("accounts:member_role", args=[membership.pk]), {"role": "admin"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    entry = AuditEntry.objects.get(action="member.role_changed")
    assert entry.actor == team.owner and entry.changes["role"] == ["viewer", "admin"]


def test_the_last_owner_cannot_step_down(client_for, team):
    membership = Membership.objects.get(user=team.owner)
    client = client_for(team.owner)
    response = client.post(reverse("accounts:member_role", args=[membership.pk]),
                           {"role": "viewer"}, follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert "at least one owner" in response.content.decode()


def test_the_last_owner_cannot_be_removed(client_for, team):
    membership = Membership.objects.get(user=team.owner)
    client_for(team.owner).post(reverse("accounts:member_remove", args=[membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_owner_can_leave_when_another_owner_remains(client_for, team):
    second = f.UserFactory(username="second-owner")
    f.MembershipFactory(organization=team.organization, user=second, role=Role.OWNER)
    membership = Membership.objects.get(user=team.owner)
    client_for(second).post(reverse("accounts:member_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_owner_removes_a_member(client_for, team):
    membership = Membership.objects.get(user=team.manager)
    response = client_for(team.owner).post(reverse("accounts:member_remove",
                                                   args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="member.removed").exists()


def test_changes_need_a_post(client_for, team):
    membership = Membership.objects.get(user=team.manager)
    client = client_for(team.owner)
    assert client.get(reverse("accounts:member_remove", args=[membership.pk])).status_code == 405
    assert client.get(reverse("accounts:member_role", args=[membership.pk])).status_code == 405


def test_outsider_gets_404_on_another_orgs_member(client_for, team, outsider_team):
    membership = Membership.objects.get(user=team.manager)
    client = client_for(outsider_team.owner)
    role_url = reverse("accounts:member_role", args=[membership.pk])
    assert client.post(role_url, {"role": "viewer"}).status_code == 404
    assert client.post(reverse("accounts:member_remove", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_audit_log_lists_the_orgs_entries_only(client_for, team, outsider_team):
    f.AuditEntryFactory(organization=team.organization, action="api_key.created",
                        object_repr="Ours")
    f.AuditEntryFactory(organization=outsider_team.organization, action="api_key.created",
                        object_repr="Theirs")
    page = client_for(team.owner).get(reverse("accounts:audit")).content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert client_for(team.admin).get(reverse("accounts:audit")).status_code == 403


def test_audit_log_shows_changes_readably(client_for, team):
    f.AuditEntryFactory(organization=team.organization, changes={"role": ["viewer", "admin"],
                                                                 "user": "bob"})
    page = client_for(team.owner).get(reverse("accounts:audit")).content.decode()
    assert "changed bob&#x27;s role from viewer to admin." in page


def test_owner_renames_the_org_and_changes_its_time_zone(client_for, team):
    response = client_for(team.owner).post(
        reverse("accounts:settings"), {"name": "Acme Worldwide", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    team.organization.refresh_from_db()
    assert team.organization.name == "Acme Worldwide"
    assert team.organization.time_zone == "Europe/Paris"
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.changes["time_zone"] == ["UTC", "Europe/Paris"]


def test_settings_reject_an_unknown_time_zone(client_for, team):
    response = client_for(team.owner).post(
        reverse("accounts:settings"), {"name": "Acme", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    team.organization.refresh_from_db()
    assert team.organization.time_zone == "UTC"


def test_settings_are_for_owners_only(client_for, team):
    client = client_for(team.admin)
    assert client.get(reverse("accounts:settings")).status_code == 403
    assert client.post(reverse("accounts:settings"),
                       {"name": "Hijack", "time_zone": "UTC"}).status_code == 403
    team.organization.refresh_from_db()
    assert team.organization.name != "Hijack"


def test_owner_pages_link_from_the_nav_for_owners_only(client_for, team):
    assert reverse("accounts:members") in client_for(team.owner).get("/").content.decode()
    assert reverse("accounts:members") not in client_for(team.viewer).get("/").content.decode()
