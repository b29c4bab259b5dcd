"""What the demo tests share: the seed, the rows it writes and the secrets it draws."""

import zoneinfo
from collections.abc import Callable
from io import StringIO
from typing import TypeVar

from django.core.management import call_command
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone

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


T = TypeVar("T")


def demo_days() -> list[object]:
    """Today in each demo organization's time zone: the demo writes a KPI document per day."""
    now = timezone.now()
    return [now.astimezone(zoneinfo.ZoneInfo(spec.time_zone)).date() for spec in DEMOS.values()]


def on_one_day(build: Callable[[], T]) -> T:
    """``build()``, run again if a demo organization's day turned while it ran: a build that
    straddles midnight in Tehran or New York rightly has one more day's documents, which is not
    what a test comparing two builds' rows is about."""
    for _ in range(2):
        before = demo_days()
        built = build()
        if demo_days() == before:
            return built
    raise AssertionError("two demo builds in a row straddled a midnight")


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
