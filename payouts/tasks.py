"""Ledger tasks. Tasks take ids and call a service; they are idempotent."""

from __future__ import annotations

from celery import shared_task

from payouts.services.accrual import ledger_sync


@shared_task(name="payouts.tasks.settle_ledger")
def settle_ledger(campaign_id: int) -> None:
    """Bring the campaign's commission and product lines to its stored KPI documents (after a
    recompute; a run with nothing behind only reads)."""
    ledger_sync(campaign_id=campaign_id)
