"""What the KPI engine stores: the KPI document of a campaign and of each breakdown key."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from campaigns.models import Campaign
from metrics.models.choices import KpiScope


class KpiSnapshot(models.Model):
    """The KPI document as last computed, for the campaign or one breakdown key."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kpi_snapshots")
    scope = models.CharField(max_length=12, choices=KpiScope.choices)
    key = models.CharField(max_length=40, blank=True, help_text="Partnership id, platform or day.")
    as_of = models.DateTimeField()
    computed_at = models.DateTimeField()
    data = models.JSONField()
    # Of the document's figures (all but ``computed_at``): a recompute keeps a day's row whose
    # figures came out the same instead of rewriting it.
    digest = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        ordering = ["campaign", "scope", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "scope", "key"], name="kpisnapshot_unique")
        ]

    def __str__(self) -> str:
        return f"KPIs of campaign #{self.campaign_id} ({self.scope} {self.key})"
