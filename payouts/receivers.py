"""The ledger listens to the workflow and the KPI engine; the work is in
``payouts.services.accrual`` (no business logic here)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from content.models import Deliverable
from content.signals import deliverable_status_changed
from metrics.signals import kpis_recomputed
from payouts.services.accrual import fee_accrue, ledger_sync


@receiver(deliverable_status_changed, dispatch_uid="payouts.fee_on_milestone")
def accrue_fee_on_milestone(sender: Any, deliverable: Deliverable, status: str,
                            **kwargs: Any) -> None:
    fee_accrue(deliverable=deliverable, status=status)


@receiver(kpis_recomputed, dispatch_uid="payouts.ledger_after_recompute")
def sync_ledger_after_recompute(sender: Any, campaign_id: int, **kwargs: Any) -> None:
    ledger_sync(campaign_id=campaign_id)
