"""The partnership workflow before and after a post: the campaign's brief (versioned), each
partnership's deliverables, the creator's drafts and their review, and the caption checks.

A creator (the ``creator`` role) reaches these rows through ``creator_path``: only their own
partnerships', and of a brief only the versions their partnership was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Partnership, Post, money_field
from influencers.models import Platform


class Brief(models.Model):
    """A campaign's brief. Its text lives in numbered versions; editing adds a version, so
    what a partnership was sent never changes under it."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="brief")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Brief of {self.campaign}"


class BriefVersion(models.Model):
    organization_path: ClassVar[str] = "brief__campaign__brand__organization"
    creator_path: ClassVar[str] = "sends__partnership__influencer"

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    goal = models.TextField(
        _("goal"), help_text=_("What the campaign is for. Empty: from the campaign's stage.")
    )
    key_messages = models.TextField(_("key messages"), blank=True)
    dos = models.TextField(_("do"), blank=True)
    donts = models.TextField(_("don't"), blank=True)
    # Any one of these near the start of the caption; empty: the organisation's default set.
    disclosure_tags = models.JSONField(_("disclosure wording"), default=list, blank=True)
    required_hashtags = models.JSONField(_("required hashtags"), default=list, blank=True)
    required_mentions = models.JSONField(_("required mentions"), default=list, blank=True)
    forbidden_words = models.JSONField(_("forbidden words"), default=list, blank=True)
    links_and_codes = models.TextField(
        _("links and codes"), blank=True,
        help_text=_("How to use the creator's codes and links (each creator sees their own)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["brief", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="briefversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.brief} v{self.number}"


class BriefAttachment(models.Model):
    """A file handed out with a brief version (mood board, product sheet): kept in the database
    and served only through the checkpoint, so a creator opens only their own brief's."""

    organization_path: ClassVar[str] = "version__brief__campaign__brand__organization"
    creator_path: ClassVar[str] = "version__sends__partnership__influencer"

    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class BriefSend(models.Model):
    """Which brief version a partnership was sent, and when."""

    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="brief_sends"
    )
    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="sends")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="briefsend_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.partnership}"


class DeliverableFormat(models.TextChoices):
    POST = "post", _("Post")
    REEL = "reel", _("Reel")
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    SHORT = "short", _("Short")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DRAFT_SUBMITTED = "draft_submitted", _("Draft submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    LIVE = "live", pgettext_lazy("deliverable status", "Live")
    VERIFIED = "verified", _("Verified")


# A deliverable in one of these is done with as far as a due date goes.
DELIVERED_STATUSES = (DeliverableStatus.LIVE, DeliverableStatus.VERIFIED)


class PayOn(models.TextChoices):
    """The milestone at which a deliverable's fee share is owed (a payout line accrues)."""

    APPROVED = "approved", _("On approval")
    LIVE = "live", _("On going live")


class Deliverable(models.Model):
    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deliverables"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    format = models.CharField(max_length=10, choices=DeliverableFormat.choices)
    quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    due_date = models.DateField()
    fee_share = money_field(
        default=0, help_text=_("The part of the partnership's fee this deliverable earns.")
    )
    pay_on = models.CharField(max_length=10, choices=PayOn.choices, default=PayOn.APPROVED)
    status = models.CharField(
        max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    # The live posts that deliver it (a quantity of 3 stories: up to three posts).
    posts = models.ManyToManyField(Post, blank=True, related_name="deliverables")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_platform_display()} {self.get_format_display()}"

    def is_late(self, today: dt.date | None = None) -> bool:
        """Past its due date (the organisation's local day) and not yet live."""
        return self.status not in DELIVERED_STATUSES and self.due_date < (
            today or timezone.localdate()
        )


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class Draft(models.Model):
    """A creator's draft of a deliverable: a caption and a media file or a link. A new draft is
    a new row (numbered), so the history of drafts and reviews stays."""

    organization_path: ClassVar[str] = "deliverable__partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "deliverable__partnership__influencer"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField()
    caption = models.TextField(blank=True)
    link = models.URLField(blank=True, max_length=500)
    media = models.BinaryField(null=True, blank=True, editable=False)
    media_name = models.CharField(max_length=200, blank=True)
    media_content_type = models.CharField(max_length=100, blank=True)
    media_size = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DraftStatus.choices, default=DraftStatus.PENDING
    )
    # ``content.checks.Finding`` of each rule the caption failed, as stored dicts.
    findings = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="draft_unique_number")
        ]

    def __str__(self) -> str:
        return f"Draft {self.number} of {self.deliverable}"


class ReviewDecision(models.TextChoices):
    """What a reviewer decided; the labels read as the decision made ("Approved")."""

    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")


class DraftReview(models.Model):
    organization_path: ClassVar[str] = (
        "draft__deliverable__partnership__campaign__brand__organization"
    )
    creator_path: ClassVar[str] = "draft__deliverable__partnership__influencer"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["draft", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.draft}"


class PostCheck(models.Model):
    """The latest check of a live post's caption against its partnership's brief."""

    organization_path: ClassVar[str] = "post__partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "post__partnership__influencer"

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="caption_check")
    passed = models.BooleanField()
    findings = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"Caption check of {self.post}"
