"""Client reports: share links to a campaign's read-only report, and scheduled e-mail digests
with the PDF attached. Both read the KPI snapshots the report page reads; nothing here
recomputes."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from campaigns.models import Campaign


class ShareLink(models.Model):
    """A secret URL (``/s/<token>``) to one campaign's report. Only the token's SHA-256 is
    stored; the URL is shown once, when the link is made."""

    organization_path: ClassVar[str] = "campaign__brand__organization"
    view_role: ClassVar[str] = Role.ADMIN
    write_role: ClassVar[str] = Role.ADMIN

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False, help_text="The token's end.")
    show_costs = models.BooleanField(
        default=False, help_text="Show costs, fees and ROI to whoever holds the link.",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"Share link …{self.token_hint}"

    def is_live(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class ShareLinkView(models.Model):
    """One opening of a share link: when and in which form, never who."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        PDF = "pdf", _("PDF")

    organization_path: ClassVar[str] = "share_link__campaign__brand__organization"
    view_role: ClassVar[str] = Role.ADMIN
    write_role: ClassVar[str] = Role.OWNER

    share_link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.PAGE)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["share_link", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} view at {self.viewed_at:%Y-%m-%d %H:%M}"


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class DigestSchedule(models.Model):
    """When a campaign's digest goes out, in the organisation's time zone."""

    organization_path: ClassVar[str] = "campaign__brand__organization"
    view_role: ClassVar[str] = Role.MANAGER
    write_role: ClassVar[str] = Role.ADMIN

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    frequency = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        default=0, help_text="For weekly digests: 0 = Monday … 6 = Sunday.",
    )
    day_of_month = models.PositiveSmallIntegerField(
        default=1, help_text="For monthly digests: 1–28, so every month has the day.",
    )
    hour = models.PositiveSmallIntegerField(default=9, help_text="0–23, local time.")
    is_active = models.BooleanField(default=True)
    # A new, changed or reactivated schedule starts with its next slot: without this, saving
    # "Monday 09:00" at 10:00 on a Monday would send at once a digest nobody asked for.
    effective_from = models.DateTimeField(
        default=timezone.now, editable=False,
        help_text="Slots before this moment are never sent.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="digest_weekday_range"),
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28),
                name="digest_day_of_month_range",
            ),
            models.CheckConstraint(condition=Q(hour__lte=23), name="digest_hour_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} digest of {self.campaign}"


class DigestRecipient(models.Model):
    """An address the digest goes to; it need not belong to a member."""

    organization_path: ClassVar[str] = "schedule__campaign__brand__organization"
    view_role: ClassVar[str] = Role.MANAGER
    write_role: ClassVar[str] = Role.ADMIN

    schedule = models.ForeignKey(
        DigestSchedule, on_delete=models.CASCADE, related_name="recipients"
    )
    email = models.EmailField()
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "email"], name="digest_recipient_once"),
        ]

    def __str__(self) -> str:
        return self.email


class DigestTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Send now")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DigestSend(models.Model):
    """One digest: the slot it was due at (one per slot — two beats cannot both claim it),
    the figures it reported (the next digest's "change since"), and its outcome."""

    organization_path: ClassVar[str] = "schedule__campaign__brand__organization"
    view_role: ClassVar[str] = Role.MANAGER
    write_role: ClassVar[str] = Role.ADMIN

    schedule = models.ForeignKey(DigestSchedule, on_delete=models.CASCADE, related_name="sends")
    trigger = models.CharField(max_length=8, choices=DigestTrigger.choices)
    slot = models.DateTimeField(help_text="When it was due (UTC).")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    figures = models.JSONField(default=dict, blank=True)
    share_link = models.ForeignKey(
        ShareLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The link's token, encrypted (``metrics.connectors.crypto``): a retry e-mails the missing
    # recipients the same link, and the link itself is stored only as a hash.
    share_token_cipher = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "slot"], condition=Q(trigger="schedule"),
                name="digest_send_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.slot:%Y-%m-%d %H:%M} UTC"


class DigestDelivery(models.Model):
    """One digest to one recipient: attempts and the last error are kept, so a bounce or an
    SMTP failure is retried and shown, never lost."""

    organization_path: ClassVar[str] = "send__schedule__campaign__brand__organization"
    view_role: ClassVar[str] = Role.MANAGER
    write_role: ClassVar[str] = Role.ADMIN

    send = models.ForeignKey(DigestSend, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        DigestRecipient, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["send", "email"], name="digest_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"
