"""A small world of records per organization, and the table of CRUD resources the API tests
walk: their path, a valid body, a change, the role that may write and the one that may delete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from accounts.models import Organization, Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """The teams' eight users would cost eight Argon2 hashes per test; these tests are about
    the API, not passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_world(organization: Organization) -> SimpleNamespace:
    brand = f.BrandFactory(organization=organization)
    influencer = f.InfluencerFactory(organization=organization)
    social_account = f.SocialAccountFactory(influencer=influencer)
    campaign = f.CampaignFactory(brand=brand)
    partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer)
    return SimpleNamespace(
        organization=organization,
        brand=brand,
        brand_account=f.BrandAccountFactory(brand=brand),
        influencer=influencer,
        other_influencer=f.InfluencerFactory(organization=organization),
        social_account=social_account,
        campaign=campaign,
        partnership=partnership,
        post=f.PostFactory(partnership=partnership, social_account=social_account),
        promo_code=f.PromoCodeFactory(partnership=partnership),
        link=f.TrackingLinkFactory(partnership=partnership),
        cost=f.CostFactory(campaign=campaign),
        emv_rate=f.EmvRateFactory(organization=organization),
    )


@pytest.fixture
def mine(team) -> SimpleNamespace:
    return build_world(team.organization)


@pytest.fixture
def theirs(outsider_team) -> SimpleNamespace:
    return build_world(outsider_team.organization)


@dataclass(frozen=True)
class Resource:
    path: str
    existing: str  # the world's attribute holding one record of this resource
    body: Callable[[SimpleNamespace], dict[str, Any]]
    change: dict[str, Any]
    fresh: Callable[[SimpleNamespace], Any]  # a record nothing depends on, to delete
    view_role: str = Role.VIEWER  # below it the list is empty and every id a 404
    write_role: str = Role.MANAGER
    delete_role: str = Role.MANAGER
    foreign_keys: dict[str, str] = field(default_factory=dict)  # body field → world attribute

    def __str__(self) -> str:
        return self.path


RESOURCES = [
    Resource(
        "brands/", "brand",
        lambda w: {"name": "Fresh Brand", "website": "https://fresh.example", "currency": "EUR",
                   "shopify_webhook_secret": "hush"},
        {"website": "https://changed.example"},
        lambda w: f.BrandFactory(organization=w.organization),
        write_role=Role.ADMIN, delete_role=Role.ADMIN,
    ),
    Resource(
        "brand-accounts/", "brand_account",
        lambda w: {"brand": w.brand.pk, "platform": "tiktok", "handle": "freshhandle"},
        {"handle": "changed"},
        lambda w: f.BrandAccountFactory(brand=w.brand),
        write_role=Role.ADMIN, delete_role=Role.ADMIN, foreign_keys={"brand": "brand"},
    ),
    Resource(
        "influencers/", "influencer",
        lambda w: {"name": "Fresh Creator", "email": "fresh@example.com", "country": "de",
                   "tags": ["Beauty", "beauty", "vegan"], "notes": ""},
        {"notes": "Prefers email."},
        lambda w: f.InfluencerFactory(organization=w.organization),
    ),
    Resource(
        "social-accounts/", "social_account",
        lambda w: {"influencer": w.influencer.pk, "platform": "youtube", "handle": "@freshyt",
                   "url": "https://youtube.com/@freshyt", "followers": 1200},
        {"followers": 1300},
        lambda w: f.SocialAccountFactory(influencer=w.influencer, platform="twitch"),
        foreign_keys={"influencer": "influencer"},
    ),
    Resource(
        "campaigns/", "campaign",
        lambda w: {"brand": w.brand.pk, "name": "Fresh Launch", "stage": "TOFU",
                   "objective": "Reach", "start_date": "2026-05-01", "end_date": "2026-05-31",
                   "budget": "2500.00", "currency": "USD", "status": "draft",
                   "attribution_window_days": 14},
        {"objective": "Reach and buzz"},
        lambda w: f.CampaignFactory(brand=w.brand),
        delete_role=Role.OWNER, foreign_keys={"brand": "brand"},
    ),
    Resource(
        "partnerships/", "partnership",
        lambda w: {"campaign": w.campaign.pk, "influencer": w.other_influencer.pk,
                   "status": "prospect", "notes": "First contact"},
        {"status": "invited"},
        lambda w: f.PartnershipFactory(
            campaign=w.campaign, influencer=f.InfluencerFactory(organization=w.organization)
        ),
        foreign_keys={"campaign": "campaign", "influencer": "other_influencer"},
    ),
    Resource(
        "posts/", "post",
        lambda w: {"partnership": w.partnership.pk, "social_account": w.social_account.pk,
                   "platform": "instagram", "post_type": "reel",
                   "url": "https://instagram.com/p/fresh", "external_id": "fresh-1",
                   "published_at": "2026-03-04T09:00:00+01:00", "caption": "New drop"},
        {"caption": "Edited caption"},
        lambda w: f.PostFactory(partnership=w.partnership, social_account=w.social_account),
        foreign_keys={"partnership": "partnership", "social_account": "social_account"},
    ),
    Resource(
        "promo-codes/", "promo_code",
        lambda w: {"partnership": w.partnership.pk, "code": "FRESH15"},
        {"code": "FRESH20"},
        lambda w: f.PromoCodeFactory(partnership=w.partnership),
        foreign_keys={"partnership": "partnership"},
    ),
    Resource(
        "links/", "link",
        lambda w: {"partnership": w.partnership.pk, "kind": "utm",
                   "destination_url": "https://brand.example/fresh", "utm_source": "instagram",
                   "utm_medium": "influencer", "utm_campaign": "fresh", "utm_content": "mia",
                   "utm_term": ""},
        {"utm_content": "mia-story"},
        lambda w: f.TrackingLinkFactory(partnership=w.partnership),
        foreign_keys={"partnership": "partnership"},
    ),
    Resource(
        "costs/", "cost",
        lambda w: {"campaign": w.campaign.pk, "partnership": w.partnership.pk,
                   "category": "production", "amount": "350.00", "incurred_on": "2026-03-06",
                   "note": "Studio"},
        {"note": "Studio day"},
        lambda w: f.CostFactory(campaign=w.campaign),
        view_role=Role.ADMIN, write_role=Role.ADMIN, delete_role=Role.ADMIN,
        foreign_keys={"campaign": "campaign", "partnership": "partnership"},
    ),
    Resource(
        "emv-rates/", "emv_rate",
        lambda w: {"platform": "tiktok", "metric": "views", "value": "1.2500"},
        {"value": "0.3500"},
        lambda w: f.EmvRateFactory(organization=w.organization, platform="youtube"),
        write_role=Role.ADMIN, delete_role=Role.ADMIN,
    ),
]

ROLES_BELOW: dict[str, list[str]] = {
    Role.MANAGER: [Role.VIEWER],
    Role.ADMIN: [Role.VIEWER, Role.MANAGER],
    Role.OWNER: [Role.VIEWER, Role.MANAGER, Role.ADMIN],
}


def below(resource: Resource, role: str) -> bool:
    """Whether ``role`` may not even see the resource (then its ids answer 404, not 403)."""
    return role in ROLES_BELOW.get(resource.view_role, [])


def url(resource: Resource, pk: int | None = None) -> str:
    base = f"/api/v1/{resource.path}"
    return base if pk is None else f"{base}{pk}/"
