"""What the demo tests share: the seed, the rows it writes and the secrets it draws."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Model
from django.test import override_settings

from accounts.models import Membership, Organization, User
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    Post,
    PromoCode,
    TrackingLink,
)
from content.models import (
    Brief,
    BriefSend,
    BriefVersion,
    Deliverable,
    Draft,
    DraftReview,
    PostCheck,
)
from influencers.models import Influencer, SocialAccount
from metrics.demo.build import DEMOS
from metrics.models import (
    Click,
    Comment,
    Conversion,
    FollowerSnapshot,
    KpiSnapshot,
    PostMetrics,
    Refund,
    Visit,
)
from payouts.models import PayoutLine

MODELS: list[type[Model]] = [
    Organization, User, Membership, Brand, BrandAccount, Campaign, KpiTarget, Partnership, Post,
    PromoCode, TrackingLink, Cost, Influencer, SocialAccount, PostMetrics, Comment,
    FollowerSnapshot, Click, Visit, Conversion, Refund, KpiSnapshot,
    Brief, BriefVersion, BriefSend, Deliverable, Draft, DraftReview, PostCheck, PayoutLine,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed(*args: str) -> str:
    # A development install: the command refuses production settings.
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def secrets_now() -> dict[str, set[str]]:
    brands = Brand.objects.filter(organization__slug="demo")
    return {
        "keys": set(brands.values_list("key", flat=True)),
        "webhook_secrets": set(brands.values_list("shopify_webhook_secret", flat=True)),
        "slugs": set(
            TrackingLink.objects.filter(
                partnership__campaign__brand__organization__slug="demo"
            ).values_list("slug", flat=True)
        ),
    }


def demo_delete(*slugs: str) -> None:
    """The demo organizations and their users, gone (partnerships protect influencers, so
    campaigns first)."""
    specs = [spec for spec in DEMOS.values() if spec.slug in slugs]
    usernames = [spec.username for spec in specs] + [
        spec.creator_login.username for spec in specs if spec.creator_login
    ]
    Campaign.objects.filter(brand__organization__slug__in=slugs).delete()
    Organization.objects.filter(slug__in=slugs).delete()
    User.objects.filter(username__in=usernames).delete()
