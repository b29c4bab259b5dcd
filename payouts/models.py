"""The payouts ledger: what each partnership is owed, line by line, and what was paid.

Lines accrue from the workflow and the KPI engine (``payouts.services.accrual``): a
deliverable's fee share at its milestone, the product value once contracted, and the
commission on the partnership's counted net revenue, moved as refunds arrive. Nothing here
sends money: a finance team imports the export.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from campaigns.models import Partnership, currency_field
from content.models import Deliverable


class PayoutKind(models.TextChoices):
    FEE = "fee", _("Fee")
    PRODUCT = "product", _("Product")
    COMMISSION = "commission", _("Commission")


class PayoutStatus(models.TextChoices):
    ACCRUED = "accrued", _("Accrued")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    PAYPAL = "paypal", "PayPal"
    WISE = "wise", "Wise"
    CARD = "card", _("Card")
    PRODUCT = "product", _("Product shipped")
    OTHER = "other", _("Other")


class PayoutLine(models.Model):
    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"
    creator_path: ClassVar[str] = "partnership__influencer"
    # Compensation, like costs, is for admins and owners (and each creator's own lines).
    view_role: ClassVar[str] = Role.ADMIN
    write_role: ClassVar[str] = Role.ADMIN

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="payout_lines"
    )
    deliverable = models.ForeignKey(
        Deliverable, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="payout_lines",
    )
    kind = models.CharField(max_length=12, choices=PayoutKind.choices)
    description = models.CharField(max_length=200, blank=True)
    # Negative for a correction of a line already approved or paid (a commission refunded).
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = currency_field()
    # A commission line's amount before the latest recompute moved it; None until it moves.
    previous_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.ACCRUED
    )
    accrued_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    paid_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-accrued_at", "-id"]
        constraints = [
            # A deliverable's fee share accrues once; a partnership's product value once.
            models.UniqueConstraint(
                fields=["deliverable"], condition=Q(kind="fee") & Q(deliverable__isnull=False),
                name="payoutline_one_fee_per_deliverable",
            ),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(kind="product"),
                name="payoutline_one_product_per_partnership",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="payoutline_paid_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "accrued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.partnership})"
