"""Brands, campaigns and everything a campaign hands out: partnerships, posts, codes, links."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization, Role
from config.iso import CURRENCY_CHOICES
from influencers.models import Influencer, Platform, SocialAccount
from metrics import registry

# The shape of a currency code, for records that may carry a withdrawn one (exchange rates,
# orders); what a brand or a campaign is priced in is one of ``config.iso.CURRENCIES``.
currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD."))


def currency_field() -> models.CharField:
    return models.CharField(max_length=3, default="USD", choices=CURRENCY_CHOICES)


def money_field(**options: Any) -> models.DecimalField:
    """Money: a Decimal with cents, never negative."""
    return models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], **options
    )


def new_brand_key() -> str:
    return secrets.token_urlsafe(12)


# What ``new_brand_key`` makes (URL-safe base64), with room for longer keys.
BRAND_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Brand(models.Model):
    organization_path: ClassVar[str] = "organization"
    write_role: ClassVar[str] = Role.ADMIN

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True, max_length=500)
    currency = currency_field()
    key = models.CharField(
        max_length=32, unique=True, default=new_brand_key, editable=False,
        help_text=_("Public id used by the Shopify webhook and the site pixel."),
    )
    shopify_webhook_secret = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="brand_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BrandAccount(models.Model):
    """The brand's own account on a platform, whose follower growth the campaign is judged by."""

    organization_path: ClassVar[str] = "brand__organization"
    write_role: ClassVar[str] = Role.ADMIN

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "platform", "handle"], name="brandaccount_unique")
        ]

    def __str__(self) -> str:
        return f"{self.brand} @{self.handle} ({self.get_platform_display()})"


class FunnelStage(models.TextChoices):
    TOFU = "TOFU", _("Top of funnel — awareness")
    MOFU = "MOFU", _("Middle of funnel — leads")
    BOFU = "BOFU", _("Bottom of funnel — sales")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


class Campaign(models.Model):
    organization_path: ClassVar[str] = "brand__organization"
    delete_role: ClassVar[str] = Role.OWNER

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    stage = models.CharField(max_length=4, choices=FunnelStage.choices)
    objective = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    budget = money_field(default=Decimal("0"))
    currency = currency_field()
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    attribution_window_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slug"], name="campaign_unique_slug"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    """A number the team commits to for one KPI field, e.g. ``awareness.impressions`` ≥ 1M."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    class Metric(models.TextChoices):
        # Values and labels are the KPI registry's; ``target()`` refuses a field that takes
        # no target, and a test checks every targetable field has a member here.
        IMPRESSIONS = registry.target("awareness.impressions")
        REACH = registry.target("awareness.reach")
        VIDEO_VIEWS = registry.target("awareness.video_views")
        ENGAGEMENTS = registry.target("engagement.engagements")
        ENGAGEMENT_RATE = registry.target("engagement.engagement_rate")
        CONVERSIONS = registry.target("conversion.conversions")
        REVENUE = registry.target("conversion.revenue")
        CONVERSION_RATE = registry.target("conversion.conversion_rate")
        FOLLOWERS_GAINED = registry.target("audience_growth.followers_gained")
        LEADS = registry.target("audience_growth.leads")
        CLICKS = registry.target("ctr.clicks")
        CTR = registry.target("ctr.ctr")
        VISITS = registry.target("traffic.visits")
        EMV = registry.target("emv.total")
        ROI = registry.target("roi.roi")
        ROAS = registry.target("roi.roas")
        NET_SENTIMENT = registry.target("sentiment.net_sentiment")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(max_length=40, choices=Metric.choices)
    value = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["metric"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "metric"], name="kpitarget_unique_metric")
        ]

    def __str__(self) -> str:
        # Stored in the KPI's own unit (``registry.UNITS``): ROI 150 is 150%, ROAS 1.5 is 1.5×.
        return f"{registry.target_label(self.metric)} ≥ {Decimal(str(self.value)).normalize():f}"


class PartnershipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    INVITED = "invited", _("Invited")
    CONTRACTED = "contracted", _("Contracted")
    CONTENT_SUBMITTED = "content_submitted", _("Content submitted")
    LIVE = "live", pgettext_lazy("partnership status", "Live")
    PAID = "paid", _("Paid")
    DECLINED = "declined", _("Declined")


# Partnerships in these states owe their fee and product, so ROI counts them as cost.
COMMITTED_STATUSES = (
    PartnershipStatus.CONTRACTED,
    PartnershipStatus.CONTENT_SUBMITTED,
    PartnershipStatus.LIVE,
    PartnershipStatus.PAID,
)


class Partnership(models.Model):
    organization_path: ClassVar[str] = "campaign__brand__organization"
    # A creator (the portal) sees their own partnerships and what hangs off them.
    creator_path: ClassVar[str] = "influencer"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="partnerships")
    influencer = models.ForeignKey(
        Influencer, on_delete=models.PROTECT, related_name="partnerships"
    )
    status = models.CharField(
        max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.PROSPECT
    )
    fee = money_field(default=Decimal("0"))
    product_value = money_field(default=Decimal("0"))
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent of attributed net revenue."),
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "influencer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "influencer"], name="partnership_unique_influencer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.influencer} × {self.campaign}"


class PostType(models.TextChoices):
    POST = "post", _("Post")
    REEL = "reel", _("Reel")
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    SHORT = "short", _("Short")
    LIVE = "live", pgettext_lazy("post type", "Live")


class Post(models.Model):
    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="posts")
    social_account = models.ForeignKey(
        SocialAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    post_type = models.CharField(max_length=10, choices=PostType.choices, default=PostType.POST)
    url = models.URLField(blank=True, max_length=500)
    external_id = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    caption = models.TextField(blank=True)
    # The platform's own sponsorship label ("Paid partnership", YouTube's paid product
    # placement) as its API reports it; None when the platform reports none.
    paid_partnership = models.BooleanField(
        null=True, blank=True,
        help_text=_("Whether the platform labels the post as a paid partnership; empty when "
                    "it does not say."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "platform", "external_id"],
                condition=~Q(external_id=""),
                name="post_unique_external_id",
            )
        ]
        indexes = [models.Index(fields=["partnership", "platform"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.get_post_type_display()} #{self.pk}"


class PromoCode(models.Model):
    """A creator's discount code. Unique per brand (any case) among overlapping active periods;
    the service enforces that, since the overlap rule is beyond a portable constraint."""

    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="promo_codes"
    )
    code = models.CharField(max_length=64)
    active_from = models.DateTimeField(null=True, blank=True)
    active_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gt=F("active_from")),
                name="promocode_period_ordered",
            )
        ]
        indexes = [models.Index(Upper("code"), name="promocode_upper_code")]

    def __str__(self) -> str:
        return self.code


class LinkKind(models.TextChoices):
    AFFILIATE = "affiliate", _("Affiliate link")
    UTM = "utm", _("UTM link")


def new_link_slug() -> str:
    return secrets.token_urlsafe(6)


class TrackingLink(models.Model):
    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=LinkKind.choices, default=LinkKind.UTM)
    slug = models.SlugField(max_length=32, unique=True, default=new_link_slug)
    destination_url = models.URLField(max_length=2000)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(Upper("utm_campaign"), Upper("utm_content"), name="link_utm_pair"),
        ]

    def __str__(self) -> str:
        return f"/r/{self.slug}"


class CostCategory(models.TextChoices):
    AD_SPEND = "ad_spend", _("Ad spend")
    PRODUCTION = "production", _("Production")
    PLATFORM_FEE = "platform_fee", _("Platform fee")
    OTHER = "other", _("Other")


class Cost(models.Model):
    organization_path: ClassVar[str] = "campaign__brand__organization"
    # Costs, like creators' compensation, are for admins and owners (campaigns.selectors).
    view_role: ClassVar[str] = Role.ADMIN
    write_role: ClassVar[str] = Role.ADMIN

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="costs")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="costs"
    )
    category = models.CharField(max_length=20, choices=CostCategory.choices)
    amount = money_field()
    incurred_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-incurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"
