"""The ledger listens to the workflow and the KPI engine; the work is in
``payouts.services.accrual`` (no business logic here)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from content.models import Deliverable
from content.signals import deliverable_status_changed
from metrics.signals import kpis_recomputed
from payouts.services.accrual import fee_accrue
from payouts.tasks import settle_ledger


@receiver(deliverable_status_changed, dispatch_uid="payouts.fee_on_milestone")
def accrue_fee_on_milestone(sender: Any, deliverable: Deliverable, status: str,
                            **kwargs: Any) -> None:
    fee_accrue(deliverable=deliverable, status=status)


@receiver(kpis_recomputed, dispatch_uid="payouts.ledger_after_recompute")
def sync_ledger_after_recompute(sender: Any, campaign_id: int, **kwargs: Any) -> None:
    # A task of its own: settling commissions is the ledger's work, not the recompute's (it
    # writes a line and an audit entry per partnership whose revenue moved), and a ledger
    # failure does not fail the KPIs. The documents it reads are committed by now.
    settle_ledger.delay(campaign_id)
