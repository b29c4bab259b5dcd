"""factory_boy factories for every model."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.keys import display_prefix, generate_key, hash_key
from accounts.models import ApiKey, AuditEntry, Invitation, Membership, Organization, Role, User
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    CampaignStatus,
    Cost,
    CostCategory,
    FunnelStage,
    KpiTarget,
    LinkKind,
    Partnership,
    PartnershipStatus,
    Post,
    PostType,
    PromoCode,
    TrackingLink,
)
from influencers.models import Influencer, Platform, SocialAccount
from metrics.models import (
    Click,
    Comment,
    Conversion,
    EmvRate,
    EventKind,
    ExchangeRate,
    FollowerSnapshot,
    KpiScope,
    KpiSnapshot,
    PostMetrics,
    Refund,
    Visit,
    WebhookDelivery,
)

PASSWORD = "correct-horse-battery-staple"


@functools.lru_cache(maxsize=1)
def _default_password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        # Argon2 is slow on purpose (~0.1 s a hash, far more on a busy machine) and every
        # fixture makes several users: the default password is hashed once per test run.
        obj.password = make_password(extracted) if extracted else _default_password_hash()

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


def _key_person(key: factory.builder.Resolver) -> User:
    """Every key belongs to a member: by default the organization's first owner (one is made
    when the organization has none), so the key acts with exactly its own role."""
    membership = (
        Membership.objects.filter(organization=key.organization, role=Role.OWNER)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        membership = MembershipFactory(organization=key.organization, role=Role.OWNER)
    return membership.user


class ApiKeyFactory(factory.django.DjangoModelFactory[ApiKey]):
    """``ApiKeyFactory(...).raw`` is the secret to send (not stored in the database)."""

    class Meta:
        model = ApiKey

    raw = factory.LazyFunction(generate_key)
    organization = factory.SubFactory(OrganizationFactory)
    name = "test key"
    role = Role.OWNER
    created_by = factory.LazyAttribute(_key_person)
    prefix = factory.LazyAttribute(lambda o: display_prefix(o.raw))
    hashed_key = factory.LazyAttribute(lambda o: hash_key(o.raw))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        raw = kwargs.pop("raw", None)
        obj = super()._create(model_class, *args, **kwargs)
        obj.raw = raw
        return obj


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MANAGER
    hashed_token = factory.Sequence(lambda n: hash_key(f"token-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class AuditEntryFactory(factory.django.DjangoModelFactory[AuditEntry]):
    class Meta:
        model = AuditEntry

    organization = factory.SubFactory(OrganizationFactory)
    action = "member.role_changed"
    object_type = "Membership"


class InfluencerFactory(factory.django.DjangoModelFactory[Influencer]):
    class Meta:
        model = Influencer

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Creator {n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.lower().replace(' ', '.')}@example.com")
    country = "US"


class SocialAccountFactory(factory.django.DjangoModelFactory[SocialAccount]):
    class Meta:
        model = SocialAccount

    influencer = factory.SubFactory(InfluencerFactory)
    platform = Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"creator{n}")
    followers = 10_000


class BrandFactory(factory.django.DjangoModelFactory[Brand]):
    class Meta:
        model = Brand

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    website = "https://brand.example"
    currency = "USD"
    shopify_webhook_secret = "shpss_test_secret"


class BrandAccountFactory(factory.django.DjangoModelFactory[BrandAccount]):
    class Meta:
        model = BrandAccount

    brand = factory.SubFactory(BrandFactory)
    platform = Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"brand{n}")


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    stage = FunnelStage.BOFU
    start_date = dt.date(2026, 3, 1)
    end_date = dt.date(2026, 3, 31)
    budget = Decimal("10000.00")
    currency = "USD"
    status = CampaignStatus.ACTIVE


class KpiTargetFactory(factory.django.DjangoModelFactory[KpiTarget]):
    class Meta:
        model = KpiTarget

    campaign = factory.SubFactory(CampaignFactory)
    metric = KpiTarget.Metric.IMPRESSIONS
    value = Decimal("100000")


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    campaign = factory.SubFactory(CampaignFactory)
    influencer = factory.SubFactory(
        InfluencerFactory, organization=factory.SelfAttribute("..campaign.brand.organization")
    )
    status = PartnershipStatus.LIVE
    fee = Decimal("500.00")
    product_value = Decimal("0.00")
    commission_rate = Decimal("10.00")


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    partnership = factory.SubFactory(PartnershipFactory)
    social_account = factory.SubFactory(
        SocialAccountFactory, influencer=factory.SelfAttribute("..partnership.influencer")
    )
    platform = factory.SelfAttribute("social_account.platform")
    post_type = PostType.REEL
    url = factory.Sequence(lambda n: f"https://instagram.com/p/{n}")
    external_id = factory.Sequence(lambda n: f"post-{n}")
    published_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))


class PostMetricsFactory(factory.django.DjangoModelFactory[PostMetrics]):
    class Meta:
        model = PostMetrics

    post = factory.SubFactory(PostFactory)
    captured_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC))
    impressions = 1000
    reach = 800
    views = None
    likes = 100
    comments = 10
    shares = 5
    saves = 3


class PromoCodeFactory(factory.django.DjangoModelFactory[PromoCode]):
    class Meta:
        model = PromoCode

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"CODE{n}")


class TrackingLinkFactory(factory.django.DjangoModelFactory[TrackingLink]):
    class Meta:
        model = TrackingLink

    partnership = factory.SubFactory(PartnershipFactory)
    kind = LinkKind.UTM
    destination_url = "https://brand.example/shop"
    utm_source = "instagram"
    utm_medium = "influencer"
    utm_campaign = factory.LazyAttribute(lambda o: o.partnership.campaign.slug)
    utm_content = factory.Sequence(lambda n: f"creator{n}")


class CostFactory(factory.django.DjangoModelFactory[Cost]):
    class Meta:
        model = Cost

    campaign = factory.SubFactory(CampaignFactory)
    category = CostCategory.AD_SPEND
    amount = Decimal("100.00")
    incurred_on = dt.date(2026, 3, 5)


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    external_id = factory.Sequence(lambda n: f"comment-{n}")
    text = "Love this!"
    posted_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC))


class FollowerSnapshotFactory(factory.django.DjangoModelFactory[FollowerSnapshot]):
    class Meta:
        model = FollowerSnapshot

    brand_account = factory.SubFactory(BrandAccountFactory)
    organization = factory.LazyAttribute(lambda o: o.brand_account.brand.organization)
    date = dt.date(2026, 3, 1)
    followers = 5000


class ClickFactory(factory.django.DjangoModelFactory[Click]):
    class Meta:
        model = Click

    link = factory.SubFactory(TrackingLinkFactory)
    click_id = factory.Sequence(lambda n: f"click{n:08d}")
    occurred_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC))
    visitor_hash = factory.Sequence(lambda n: f"{n:064x}")
    is_unique = True


class VisitFactory(factory.django.DjangoModelFactory[Visit]):
    class Meta:
        model = Visit

    brand = factory.SubFactory(BrandFactory)
    occurred_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 4, 10, 5, tzinfo=dt.UTC))
    visitor_id = factory.Sequence(lambda n: f"visitor-{n}")


class ConversionFactory(factory.django.DjangoModelFactory[Conversion]):
    class Meta:
        model = Conversion

    brand = factory.SubFactory(BrandFactory)
    external_id = factory.Sequence(lambda n: f"order-{n}")
    kind = EventKind.SALE
    amount = Decimal("100.00")
    currency = "USD"
    occurred_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC))


class RefundFactory(factory.django.DjangoModelFactory[Refund]):
    class Meta:
        model = Refund

    conversion = factory.SubFactory(ConversionFactory)
    external_id = factory.Sequence(lambda n: f"refund-{n}")
    amount = Decimal("10.00")
    occurred_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 6, 10, tzinfo=dt.UTC))


class ExchangeRateFactory(factory.django.DjangoModelFactory[ExchangeRate]):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "date")

    currency = "USD"
    date = dt.date(2026, 3, 5)
    per_euro = Decimal("1.080000")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory[WebhookDelivery]):
    class Meta:
        model = WebhookDelivery

    brand = factory.SubFactory(BrandFactory)
    webhook_id = factory.Sequence(lambda n: f"delivery-{n}")
    topic = "orders/create"


class EmvRateFactory(factory.django.DjangoModelFactory[EmvRate]):
    class Meta:
        model = EmvRate
        django_get_or_create = ("organization", "platform", "metric")

    organization = factory.SubFactory(OrganizationFactory)
    platform = Platform.INSTAGRAM
    metric = "likes"
    value = Decimal("0.3000")


class KpiSnapshotFactory(factory.django.DjangoModelFactory[KpiSnapshot]):
    class Meta:
        model = KpiSnapshot

    campaign = factory.SubFactory(CampaignFactory)
    scope = KpiScope.TOTAL
    key = ""
    as_of = factory.LazyFunction(timezone.now)
    computed_at = factory.LazyFunction(timezone.now)
    data = factory.LazyFunction(dict)
