"""The brand's funnel: clicks on tracking links, visits to the site, conversions (orders and
other events), the refund ledger, and the Shopify deliveries already handled."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Brand, Partnership, TrackingLink, currency_code, money_field
from metrics.models.choices import AttributionReason, EventKind, Source


class Click(models.Model):
    """A click on ``/r/<slug>``. ``visitor_hash`` is a keyed hash; raw IPs are never stored."""

    organization_path: ClassVar[str] = "link__partnership__campaign__brand__organization"

    link = models.ForeignKey(TrackingLink, on_delete=models.CASCADE, related_name="clicks")
    click_id = models.CharField(max_length=32)
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
        # Click ids are unique. The key holds the time too because PostgreSQL partitions this
        # table by month of ``occurred_at`` and wants the partition key in every unique key; a
        # click stored twice (a redelivered stream entry) carries the same time, so the drain's
        # ``ON CONFLICT`` still catches it. A constraint rather than ``unique=True``: no second
        # (``varchar_pattern_ops``) index — nothing looks click ids up by prefix.
        constraints = [
            models.UniqueConstraint(fields=["click_id", "occurred_at"], name="click_unique_click_id")
        ]

    def __str__(self) -> str:
        return self.click_id


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
        Click, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits",
        db_constraint=False,  # clicks are partitioned by month; Django keeps SET_NULL
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
        indexes = [
            models.Index(fields=["partnership", "occurred_at"]),
            # The first-seen rollups look visitors up by id.
            models.Index(fields=["partnership", "visitor_id"], name="visit_partnership_visitor"),
        ]

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
        Click, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversions",
        db_constraint=False,  # clicks are partitioned by month; Django keeps SET_NULL
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
