"""KPI engine tasks. Tasks take ids, load rows and call a service; they are idempotent."""

from __future__ import annotations

from celery import shared_task

from metrics.scheduling import clear_pending


@shared_task(name="metrics.tasks.recompute_campaign_kpis")
def recompute_campaign_kpis(campaign_id: int) -> None:
    clear_pending(campaign_id)
    # The KPI engine (issue 4) computes and stores the snapshots here.
