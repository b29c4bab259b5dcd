"""KPI engine tasks. Tasks take ids, load rows and call a service; they are idempotent."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from campaigns.models import CampaignStatus
from metrics.engine import campaigns_recompute, kpis_recompute
from metrics.scheduling import clear_pending, schedule_kpi_recompute
from metrics.services.funnel_rollups import funnel_changes_forget_orphans
from metrics.services.rollup_rebuild import kpi_rollups_rebuild

logger = logging.getLogger(__name__)

# One run of the labelling task handles at most this many comments; the beat runs it again.
LABEL_BATCH = 500
LABEL_LIMIT = 20_000


@shared_task(name="metrics.tasks.recompute_campaign_kpis")
def recompute_campaign_kpis(campaign_id: int) -> None:
    # Cleared first: a write landing while this recompute runs queues the next one.
    clear_pending(campaign_id)
    kpis_recompute(campaign_id=campaign_id)


@shared_task(name="metrics.tasks.recompute_active_campaigns")
def recompute_active_campaigns() -> int:
    """Nightly (beat): one task per active campaign (``campaigns_recompute`` holds the rule),
    so a slow campaign delays no other.

    Claimed once per UTC day in the shared cache: should two beat processes run (a deploy
    overlap, a misconfiguration), the second finds the night taken and does nothing."""
    night = timezone.now().date().isoformat()
    if not cache.add(f"kpi-nightly-recompute:{night}", 1, timeout=36 * 60 * 60):
        logger.info("nightly recompute of %s already claimed; skipping", night)
        return 0
    funnel_changes_forget_orphans()
    return campaigns_recompute(statuses=[CampaignStatus.ACTIVE])


@shared_task(name="metrics.tasks.recompute_organization_kpis")
def recompute_organization_kpis(organization_id: int) -> int:
    """Every live campaign of the organization, archived ones left out
    (``campaigns_recompute``)."""
    return campaigns_recompute(organization_id=organization_id)


@shared_task(name="metrics.tasks.label_pending_comments")
def label_pending_comments() -> int:
    """Label comments that arrived without a sentiment, then recompute their campaigns."""
    from metrics.sentiment import comments_label_pending

    campaigns = comments_label_pending(batch_size=LABEL_BATCH, limit=LABEL_LIMIT)
    # Outside a transaction, on_commit runs at once: each labelled batch is already committed.
    schedule_kpi_recompute(campaigns)
    return len(campaigns)


@shared_task(name="metrics.tasks.ensure_event_partitions")
def ensure_event_partitions() -> list[str]:
    """Daily (beat): the partitions of this month and the next ones of every partitioned raw
    event table (a no-op on SQLite)."""
    from metrics.partitions import ensure_month_partitions

    return ensure_month_partitions(timezone.now().date())


@shared_task(name="metrics.tasks.rebuild_kpis")
def rebuild_kpis(campaign_id: int) -> bool:
    """Rebuild one campaign's rollups from its raw rows, then recompute its KPIs from them;
    False when the campaign is gone."""
    if kpi_rollups_rebuild(campaign_id=campaign_id) is None:
        return False
    recompute_campaign_kpis(campaign_id)
    return True
