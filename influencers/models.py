"""The creator directory: influencers and their accounts on each platform."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.iso import COUNTRY_CHOICES


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    PINTEREST = "pinterest", "Pinterest"
    TWITCH = "twitch", "Twitch"
    SNAPCHAT = "snapchat", "Snapchat"
    BLOG = "blog", _("Blog")  # the one platform named by a word, not a brand


class Influencer(models.Model):
    organization_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="influencers"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    country = models.CharField(
        max_length=2, blank=True, choices=COUNTRY_CHOICES, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class SocialAccount(models.Model):
    """A creator's account on one platform; ``followers`` is the latest known count."""

    organization_path: ClassVar[str] = "influencer__organization"

    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="social_accounts"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=150)
    url = models.URLField(blank=True, max_length=500)
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                "influencer", "platform", Lower("handle"), name="socialaccount_unique_handle"
            )
        ]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.get_platform_display()})"
