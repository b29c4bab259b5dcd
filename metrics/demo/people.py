"""Who the demo is: the demo user, its organization and the owner membership between them."""

from __future__ import annotations

from accounts.models import Membership, Organization, Role, User
from campaigns.models import Campaign

DEMO_SLUG = "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # short on purpose, for the demo only: set without the validators
DEMO_TIME_ZONE = "America/New_York"


def demo_user_reset() -> User:
    """The demo user, created if missing, active, with the published password. It is staff
    (not superuser), so /admin/ opens for it with exactly its owner role in the demo
    organization, as for any staff member."""
    user, _ = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "demo@funnelboard.example", "first_name": "Demo", "last_name": "User"},
    )
    # Deliberately bypasses the password validators: demo/demo is the documented demo login.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = True
    user.save()
    return user


def demo_organization_clear() -> None:
    """Delete the demo organization and everything it owns, if it exists."""
    organization = Organization.objects.filter(slug=DEMO_SLUG).first()
    if organization is None:
        return
    # Partnerships protect their influencers, so campaigns (and with them partnerships) go
    # first; the organization's delete then cascades over everything else it owns.
    Campaign.objects.filter(brand__organization=organization).delete()
    organization.delete()


def demo_organization_create(*, owner: User) -> Organization:
    """A fresh demo organization with ``owner`` as its owner."""
    organization = Organization(name="Demo Agency", slug=DEMO_SLUG, time_zone=DEMO_TIME_ZONE)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization
