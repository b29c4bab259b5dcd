"""The rates amounts are valued with: exchange rates (shared) and the organization's EMV rate
card."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models

from accounts.models import Organization, Role
from campaigns.models import currency_code
from influencers.models import Platform
from metrics.models.choices import EmvMetric


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
