"""Inviting a creator to the portal: the invitation names one of the organization's influencers,
and accepting it makes a ``creator`` member bound to that influencer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.admin import InvitationAdminForm
from accounts.forms import ApiKeyForm, RoleForm
from accounts.models import AuditEntry, Invitation, Membership, Role
from accounts.services import invitation_create, membership_set_role
from tests import factories as f


def link(token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def test_a_creator_invitation_makes_a_creator_member_bound_to_the_influencer(client_for, team):
    influencer = f.InfluencerFactory(organization=team.organization, name="Priya Raman")
    invitation, token = invitation_create(
        access=team.access(), email="priya@example.com", role=Role.CREATOR, influencer=influencer
    )
    assert invitation.influencer == influencer
    audit = AuditEntry.objects.get(action="member.invited", object_id=str(invitation.pk))
    assert audit.changes["influencer"] == "Priya Raman"
    priya = f.UserFactory(username="priya", email="priya@example.com")
    response = client_for(priya).post(link(token))
    assert response.status_code == 302
    membership = Membership.objects.get(user=priya, organization=team.organization)
    assert (membership.role, membership.influencer_id) == (Role.CREATOR, influencer.pk)


def test_an_existing_member_keeps_their_membership(client_for, team):
    influencer = f.InfluencerFactory(organization=team.organization)
    _, token = invitation_create(
        access=team.access(), email="", role=Role.CREATOR, influencer=influencer
    )
    client_for(team.manager).post(link(token))
    membership = Membership.objects.get(user=team.manager, organization=team.organization)
    assert (membership.role, membership.influencer_id) == (Role.MANAGER, None)


@pytest.mark.parametrize(
    ("role", "which"),
    [(Role.CREATOR, None), (Role.VIEWER, "own"), (Role.CREATOR, "outsider")],
)
def test_the_influencer_must_match_the_role_and_the_organization(
    team, outsider_team, role, which
):
    influencers = {
        None: None,
        "own": f.InfluencerFactory(organization=team.organization),
        "outsider": f.InfluencerFactory(organization=outsider_team.organization),
    }
    with pytest.raises(ValidationError) as error:
        invitation_create(access=team.access(), email="", role=role, influencer=influencers[which])
    assert "influencer" in error.value.message_dict
    assert not Invitation.objects.filter(organization=team.organization).exists()


def test_the_members_page_invites_a_creator(client_for, team):
    influencer = f.InfluencerFactory(organization=team.organization, name="Maya Chen")
    client = client_for(team.owner)
    page = client.get(reverse("accounts:members"),
                      {"role": "creator", "influencer": influencer.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{influencer.pk}" selected>Maya Chen</option>' in body
    assert '<option value="creator" selected>' in body
    response = client.post(reverse("accounts:member_invite"),
                           {"email": "maya@example.com", "role": "creator",
                            "influencer": influencer.pk})
    assert response.status_code == 200
    assert response.context["invitation_link"]
    invitation = Invitation.objects.get(organization=team.organization)
    assert (invitation.role, invitation.influencer_id) == (Role.CREATOR, influencer.pk)


def test_the_members_page_refuses_a_creator_without_an_influencer_or_another_orgs(
    client_for, team, outsider_team
):
    client = client_for(team.owner)
    theirs = f.InfluencerFactory(organization=outsider_team.organization, name="RIVAL Creator")
    for data in ({"role": "creator"}, {"role": "creator", "influencer": theirs.pk},
                 {"role": "viewer", "influencer": f.InfluencerFactory(
                     organization=team.organization).pk}):
        response = client.post(reverse("accounts:member_invite"), {"email": "", **data})
        assert response.status_code == 400, data
        form = response.context["invite_form"]
        assert "influencer" in form.errors, data
    page = client.get(reverse("accounts:members"))
    assert "RIVAL Creator" not in page.content.decode()
    assert not Invitation.objects.exists()


def test_a_creator_member_shows_their_influencer_and_no_role_menu(client_for, team):
    influencer = f.InfluencerFactory(organization=team.organization, name="Noah Williams")
    member = f.MembershipFactory(organization=team.organization, role=Role.CREATOR,
                                 influencer=influencer, user=f.UserFactory(username="noah"))
    body = client_for(team.owner).get(reverse("accounts:members")).content.decode()
    assert "Noah Williams" in body
    assert f'id="role-{member.pk}"' not in body
    assert f'id="role-{team.viewer.memberships.get().pk}"' in body


def test_role_and_key_choices_do_not_offer_creator(team):
    assert "creator" not in dict(RoleForm.base_fields["role"].choices)  # type: ignore[attr-defined]
    assert "creator" not in dict(ApiKeyForm.base_fields["role"].choices)  # type: ignore[attr-defined]
    assert not RoleForm({"role": "creator"}).is_valid()
    # The admin invites the team only: a creator invitation names an influencer (members page).
    admin_form = InvitationAdminForm({"organization": team.organization.pk, "role": "creator"})
    assert not admin_form.is_valid() and "role" in admin_form.errors
    with pytest.raises(CommandError):
        call_command("createapikey", team.organization.slug, "--role", "creator")


def test_a_member_cannot_be_made_a_creator_without_an_influencer(team):
    membership = team.viewer.memberships.get()
    with pytest.raises(ValidationError):
        membership_set_role(access=team.access(), membership=membership, role=Role.CREATOR)
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_the_influencer_page_offers_owners_a_portal_invitation(client_for, team):
    influencer = f.InfluencerFactory(organization=team.organization)
    url = reverse("influencers:detail", args=[influencer.pk])
    invite = f"{reverse('accounts:members')}?role=creator&amp;influencer={influencer.pk}"
    assert invite in client_for(team.owner).get(url).content.decode()
    assert invite not in client_for(team.manager).get(url).content.decode()
