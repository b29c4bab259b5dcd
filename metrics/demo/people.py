"""Who a demo is: its user, its organization and the owner membership between them, and the
creator portal login bound to one of its creators."""

from __future__ import annotations

from accounts.models import Membership, Organization, Role, User
from campaigns.models import Campaign
from influencers.models import Influencer
from metrics.demo.spec import DemoSpec


def demo_user_reset(spec: DemoSpec) -> User:
    """The demo user, created if missing, active, with the published password. It is staff
    (not superuser), so /admin/ opens for it with exactly its owner role in the demo
    organization, as for any staff member."""
    user, _ = User.objects.get_or_create(
        username=spec.username,
        defaults={"email": spec.email, "first_name": spec.first_name,
                  "last_name": spec.last_name},
    )
    # Deliberately bypasses the password validators: demo/demo is the documented demo login.
    user.set_password(spec.password)
    user.is_active = True
    user.is_staff = True
    user.save()
    return user


def demo_organization_clear(spec: DemoSpec) -> None:
    """Delete the demo organization and everything it owns, if it exists."""
    organization = Organization.objects.filter(slug=spec.slug).first()
    if organization is None:
        return
    # Partnerships protect their influencers, so campaigns (and with them partnerships) go
    # first; the organization's delete then cascades over everything else it owns.
    Campaign.objects.filter(brand__organization=organization).delete()
    organization.delete()


def demo_organization_create(spec: DemoSpec, *, owner: User) -> Organization:
    """A fresh demo organization with ``owner`` as its owner."""
    organization = Organization(
        name=spec.name, slug=spec.slug, time_zone=spec.time_zone,
        default_language=spec.default_language,
    )
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


def demo_creator_reset(spec: DemoSpec, organization: Organization,
                       influencer: Influencer) -> User | None:
    """The spec's creator portal login, created if missing, with the published password, and
    its ``creator`` membership bound to ``influencer`` (the organization was just rebuilt, so
    the membership is new). None when the spec has no creator login."""
    login = spec.creator_login
    if login is None:
        return None
    first, _, last = login.creator.partition(" ")
    user, _ = User.objects.get_or_create(
        username=login.username,
        defaults={"email": login.email, "first_name": first, "last_name": last},
    )
    # Like the demo user's: deliberately bypasses the password validators (a published login).
    user.set_password(login.password)
    user.is_active = True
    user.is_staff = False
    user.save()
    Membership.objects.create(
        organization=organization, user=user, role=Role.CREATOR, influencer=influencer
    )
    return user
