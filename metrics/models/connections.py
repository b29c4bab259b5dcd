"""OAuth connections of creators' and brands' accounts to the platforms."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import BrandAccount
from influencers.models import Platform, SocialAccount
from metrics.models.choices import ConnectionStatus


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
