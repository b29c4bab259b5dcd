"""What comes in (metrics, comments, followers, clicks, visits, conversions) and what the KPI
engine stores (KpiSnapshot). Counters a platform did not report are NULL, never 0."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, Role
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Partnership,
    Post,
    TrackingLink,
    currency_code,
    money_field,
)
from influencers.models import Platform, SocialAccount

COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)


class Source(models.TextChoices):
    API = "api", "API"
    CSV = "csv", "CSV import"
    MANUAL = "manual", "Entered by hand"
    CONNECTOR = "connector", "Platform connector"
    SHOPIFY = "shopify", "Shopify"
    PIXEL = "pixel", "Site pixel"


def counter() -> models.PositiveBigIntegerField:
    return models.PositiveBigIntegerField(null=True, blank=True)


class PostMetrics(models.Model):
    """A snapshot of a post's cumulative counters at ``captured_at``."""

    organization_path: ClassVar[str] = "post__partnership__campaign__brand__organization"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="metrics")
    captured_at = models.DateTimeField()
    impressions = counter()
    reach = counter()
    views = counter()
    likes = counter()
    comments = counter()
    shares = counter()
    saves = counter()
    mentions = counter()
    link_clicks = counter()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "-captured_at"]
        verbose_name_plural = "post metrics"
        constraints = [
            models.UniqueConstraint(fields=["post", "captured_at"], name="postmetrics_unique_time")
        ]

    def __str__(self) -> str:
        return f"Metrics of post #{self.post_id} at {self.captured_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        from metrics.validation import check, post_metrics_errors

        check(post_metrics_errors, {"post": self.post_id, "captured_at": self.captured_at,
                                    **{name: getattr(self, name) for name in COUNTERS}})


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class Comment(models.Model):
    organization_path: ClassVar[str] = "post__partnership__campaign__brand__organization"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comment_set")
    external_id = models.CharField(max_length=100)
    text = models.TextField()
    posted_at = models.DateTimeField()
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    compound = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "external_id"], name="comment_unique_external")
        ]
        indexes = [
            models.Index(fields=["post", "posted_at"]),
            models.Index(fields=["sentiment"], condition=Q(sentiment=""), name="comment_unlabelled"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FollowerSnapshot(models.Model):
    """Followers of a brand account or a creator account on a day (exactly one of the two)."""

    organization_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="follower_snapshots"
    )
    brand_account = models.ForeignKey(
        BrandAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    social_account = models.ForeignKey(
        SocialAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    date = models.DateField()
    followers = models.PositiveBigIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(brand_account__isnull=True, social_account__isnull=False)
                | Q(brand_account__isnull=False, social_account__isnull=True),
                name="followersnapshot_one_account",
            ),
            models.UniqueConstraint(
                fields=["brand_account", "date"],
                condition=Q(brand_account__isnull=False),
                name="followersnapshot_unique_brand_day",
            ),
            models.UniqueConstraint(
                fields=["social_account", "date"],
                condition=Q(social_account__isnull=False),
                name="followersnapshot_unique_social_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followers} followers on {self.date}"

    def clean(self) -> None:
        # The rule's text lives in metrics.validation; the check constraint above is the
        # database's copy of it.
        from metrics.validation import check, follower_snapshot_errors

        check(follower_snapshot_errors, {
            "brand_account": self.brand_account_id, "social_account": self.social_account_id,
            "date": self.date, "followers": self.followers,
        })


class Click(models.Model):
    """A click on ``/r/<slug>``. ``visitor_hash`` is a keyed hash; raw IPs are never stored."""

    organization_path: ClassVar[str] = "link__partnership__campaign__brand__organization"

    link = models.ForeignKey(TrackingLink, on_delete=models.CASCADE, related_name="clicks")
    click_id = models.CharField(max_length=32, unique=True)
    occurred_at = models.DateTimeField()
    visitor_hash = models.CharField(max_length=64)
    referrer_host = models.CharField(max_length=255, blank=True)
    device = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True)
    is_bot = models.BooleanField(default=False)
    is_unique = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["link", "occurred_at"])]

    def __str__(self) -> str:
        return self.click_id


class AttributionReason(models.TextChoices):
    PROMO_CODE = "promo_code", "Promo code"
    LINK = "link", "Click id"
    UTM = "utm", "UTM parameters"
    MANUAL = "manual", "Assigned by hand"
    UNATTRIBUTED = "unattributed", "Unattributed"


class EventKind(models.TextChoices):
    VISIT = "visit", "Visit"
    SIGNUP = "signup", "Signup"
    DOWNLOAD = "download", "Download"
    REGISTRATION = "registration", "Registration"
    LEAD = "lead", "Lead"
    DEMO = "demo", "Demo"
    TRIAL = "trial", "Trial"
    SALE = "sale", "Sale"


LEAD_KINDS = (EventKind.SIGNUP, EventKind.DOWNLOAD, EventKind.REGISTRATION, EventKind.LEAD)
CONVERSION_KINDS = (EventKind.SALE, EventKind.DEMO, EventKind.TRIAL)


class Visit(models.Model):
    """A landing on the brand's site (pixel or API), attributed like a conversion."""

    organization_path: ClassVar[str] = "brand__organization"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="visits")
    external_id = models.CharField(max_length=100, blank=True)
    occurred_at = models.DateTimeField()
    landing_url = models.URLField(max_length=2000, blank=True)
    referrer = models.URLField(max_length=2000, blank=True)
    visitor_id = models.CharField(max_length=100, blank=True)
    click_id = models.CharField(max_length=32, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    matched_click = models.ForeignKey(
        Click, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    attribution = models.CharField(
        max_length=12, choices=AttributionReason.choices, default=AttributionReason.UNATTRIBUTED
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            # The identity of a visit is (brand, source, external id): a public source (the
            # pixel) can never reach a record another source wrote.
            models.UniqueConstraint(
                fields=["brand", "source", "external_id"],
                condition=~Q(external_id=""),
                name="visit_unique_source_external",
            )
        ]
        indexes = [models.Index(fields=["partnership", "occurred_at"])]

    def __str__(self) -> str:
        return f"Visit {self.pk} at {self.occurred_at}"


class Conversion(models.Model):
    """A funnel event or an order. ``amount`` is gross; refunds live in the Refund ledger."""

    organization_path: ClassVar[str] = "brand__organization"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="conversions")
    external_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=EventKind.choices, default=EventKind.SALE)
    amount = money_field(default=Decimal("0"))
    currency = models.CharField(max_length=3, default="USD", validators=[currency_code])
    occurred_at = models.DateTimeField()
    promo_code = models.CharField(max_length=64, blank=True)
    click_id = models.CharField(max_length=32, blank=True)
    landing_url = models.URLField(max_length=2000, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversions"
    )
    matched_click = models.ForeignKey(
        Click, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversions"
    )
    attribution = models.CharField(
        max_length=12, choices=AttributionReason.choices, default=AttributionReason.UNATTRIBUTED
    )
    is_cancelled = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    source_updated_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the source last changed the record (Shopify's updated_at); a payload "
        "older than this is not applied.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            # (brand, source, external id): the public pixel, the API, CSV imports and Shopify
            # each own their records; none can overwrite another's by reusing its id.
            models.UniqueConstraint(
                fields=["brand", "source", "external_id"],
                name="conversion_unique_source_external",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "occurred_at"]),
            models.Index(fields=["brand", "attribution"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"


class Refund(models.Model):
    """A ledger line: money given back on a conversion (never a delete of the conversion)."""

    organization_path: ClassVar[str] = "conversion__brand__organization"

    conversion = models.ForeignKey(Conversion, on_delete=models.CASCADE, related_name="refunds")
    external_id = models.CharField(max_length=100)
    amount = money_field()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["conversion", "external_id"], name="refund_unique_external")
        ]

    def __str__(self) -> str:
        return f"Refund {self.external_id} of {self.amount}"


class ExchangeRate(models.Model):
    """Units of ``currency`` per euro on ``date`` (ECB reference rates; editable in the admin)."""

    currency = models.CharField(max_length=3, validators=[currency_code])
    date = models.DateField()
    per_euro = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchangerate_unique_day")
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_euro} {self.currency} on {self.date}"


class WebhookDelivery(models.Model):
    """A Shopify delivery already handled (``X-Shopify-Webhook-Id``), so a replay is a no-op."""

    organization_path: ClassVar[str] = "brand__organization"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="webhook_deliveries")
    webhook_id = models.CharField(max_length=100)
    topic = models.CharField(max_length=60)
    payload = models.JSONField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["brand", "webhook_id"], name="webhook_unique_delivery")
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.webhook_id}"


class EmvMetric(models.TextChoices):
    IMPRESSIONS = "impressions", "Impressions (per 1,000)"
    REACH = "reach", "Reach (per 1,000)"
    VIEWS = "views", "Views (per 1,000)"
    LIKES = "likes", "Likes"
    COMMENTS = "comments", "Comments"
    SHARES = "shares", "Shares"
    SAVES = "saves", "Saves"
    MENTIONS = "mentions", "Mentions"
    LINK_CLICKS = "link_clicks", "Link clicks"


class EmvRate(models.Model):
    """The organization's rate card: value of one unit (or 1,000 exposures) of a metric."""

    organization_path: ClassVar[str] = "organization"
    write_role: ClassVar[str] = Role.ADMIN

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="emv_rates"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    metric = models.CharField(max_length=20, choices=EmvMetric.choices)
    value = models.DecimalField(max_digits=12, decimal_places=4, validators=[MinValueValidator(0)])
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "metric"], name="emvrate_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.metric} = {self.value}"


class KpiScope(models.TextChoices):
    TOTAL = "total", "Campaign total"
    PARTNERSHIP = "partnership", "Per partnership"
    PLATFORM = "platform", "Per platform"
    DAY = "day", "Per day"


class KpiSnapshot(models.Model):
    """The KPI document as last computed, for the campaign or one breakdown key."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kpi_snapshots")
    scope = models.CharField(max_length=12, choices=KpiScope.choices)
    key = models.CharField(max_length=40, blank=True, help_text="Partnership id, platform or day.")
    as_of = models.DateTimeField()
    computed_at = models.DateTimeField()
    data = models.JSONField()

    class Meta:
        ordering = ["campaign", "scope", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "scope", "key"], name="kpisnapshot_unique")
        ]

    def __str__(self) -> str:
        return f"KPIs of campaign #{self.campaign_id} ({self.scope} {self.key})"


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", "Connected"
    ERROR = "error", "Failing"
    REVOKED = "revoked", "Disconnected"


class PlatformConnection(models.Model):
    """OAuth credentials of a creator's or a brand's account on a platform (exactly one of the
    two). Tokens are encrypted at rest and never shown again once stored."""

    organization_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="platform_connections"
    )
    social_account = models.OneToOneField(
        SocialAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="connection"
    )
    brand_account = models.OneToOneField(
        BrandAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="connection"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    external_account_id = models.CharField(max_length=100, blank=True)
    encrypted_access_token = models.TextField(blank=True)
    encrypted_refresh_token = models.TextField(blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE
    )
    connected_at = models.DateTimeField(default=timezone.now)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["platform", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(brand_account__isnull=True, social_account__isnull=False)
                | Q(brand_account__isnull=False, social_account__isnull=True),
                name="connection_one_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} connection #{self.pk}"
