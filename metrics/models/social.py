"""What the social platforms report: a post's counters over time, its comments, and the
followers of brand and creator accounts. Counters a platform did not report are NULL, never 0."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import BrandAccount, Post
from influencers.models import SocialAccount
from metrics.models.choices import COUNTERS, LabelSource, Sentiment, Source


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
        from config.validation import check
        from metrics.validation import post_metrics_errors

        check(post_metrics_errors, {"post": self.post_id, "captured_at": self.captured_at,
                                    **{name: getattr(self, name) for name in COUNTERS}})


class Comment(models.Model):
    """A comment on a post. ``sentiment`` is the model's label until a manager corrects it:
    a ``manual`` label is what the KPI engine counts, and no relabelling path touches it."""

    organization_path: ClassVar[str] = "post__partnership__campaign__brand__organization"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comment_set")
    external_id = models.CharField(max_length=100)
    text = models.TextField()
    posted_at = models.DateTimeField()
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    compound = models.FloatField(null=True, blank=True)  # the model's score, even when corrected
    sentiment_source = models.CharField(
        max_length=10, choices=LabelSource.choices, default=LabelSource.MACHINE
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
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
        from config.validation import check
        from metrics.validation import follower_snapshot_errors

        check(follower_snapshot_errors, {
            "brand_account": self.brand_account_id, "social_account": self.social_account_id,
            "date": self.date, "followers": self.followers,
        })
