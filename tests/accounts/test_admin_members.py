"""An owner adds a member in the admin through ``membership_add`` (accounts/services.py), which
checks the owner role and writes the audit entry; the admin writes no row of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import accounts.admin
from accounts.models import AuditEntry, Membership, Role, User
from accounts.services import membership_add
from tests import factories as f
from tests.admin_support import staff_client

ADD = reverse("admin:accounts_membership_add")


def colleague_of(owner: User) -> Any:
    """Someone the owner may pick in the admin: a member of another organization she owns."""
    elsewhere = f.OrganizationFactory(slug="sister", name="Sister")
    f.MembershipFactory(organization=elsewhere, user=owner, role=Role.OWNER)
    return f.MembershipFactory(organization=elsewhere, user__username="newcomer").user


def test_an_owner_adds_a_member_in_the_admin_through_the_service(team, monkeypatch):
    calls: list[dict[str, Any]] = []

    def spy(**kwargs: Any) -> Membership:
        calls.append(kwargs)
        return membership_add(**kwargs)

    monkeypatch.setattr(accounts.admin, "membership_add", spy)
    newcomer = colleague_of(team.owner)
    response = staff_client(team.owner).post(ADD, {
        "organization": team.organization.pk, "user": newcomer.pk, "role": Role.MANAGER,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=newcomer, organization=team.organization)
    assert (membership.organization, membership.role) == (team.organization, Role.MANAGER)
    assert len(calls) == 1 and calls[0]["access"].user == team.owner
    entry = AuditEntry.objects.get(action="member.added")
    assert (entry.organization, entry.actor, entry.object_id) == (
        team.organization, team.owner, str(membership.pk)
    )
    assert entry.changes == {"user": "newcomer", "role": [None, Role.MANAGER]}


def test_an_admin_may_not_add_a_member_in_the_admin(team):
    newcomer = f.UserFactory(username="newcomer")
    response = staff_client(team.admin).post(ADD, {
        "organization": team.organization.pk, "user": newcomer.pk, "role": Role.VIEWER,
    })
    assert response.status_code == 403
    assert not Membership.objects.filter(user=newcomer, organization=team.organization).exists()
    assert not AuditEntry.objects.filter(action="member.added").exists()


def test_the_service_refuses_a_role_below_owner(team):
    newcomer = f.UserFactory(username="newcomer")
    with pytest.raises(PermissionDenied):
        membership_add(access=team.access(Role.ADMIN), user=newcomer, role=Role.VIEWER)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_service_refuses_someone_already_a_member(team):
    with pytest.raises(ValidationError):
        membership_add(access=team.access(), user=team.viewer, role=Role.MANAGER)
    assert Membership.objects.get(user=team.viewer).role == Role.VIEWER
    assert not AuditEntry.objects.filter(action="member.added").exists()


def test_the_service_adds_to_the_actors_organization_only(team, outsider_team):
    newcomer = f.UserFactory(username="newcomer")
    membership = membership_add(access=team.access(), user=newcomer, role=Role.VIEWER)
    assert membership.organization == team.organization
    assert not Membership.objects.filter(
        organization=outsider_team.organization, user=newcomer
    ).exists()
