"""Writes of a campaign's KPI targets: one per KPI field and campaign.

Each service checks the role, keeps the campaign in the organization, validates with
``full_clean`` and recomputes the campaigns whose targets it changed (a report shows each
KPI against its target). The campaign page, the campaign admin's inline rows and the targets
admin all write through these.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.selectors import Access
from accounts.writes import (
    apply_changes,
    create_instance,
    ensure_in_organization,
    require_write,
)
from campaigns.models import Campaign, KpiTarget
from metrics.scheduling import schedule_kpi_recompute


@transaction.atomic
def kpi_target_set(*, access: Access, campaign: Campaign, metric: str, value: Any) -> KpiTarget:
    """Create or replace the campaign's target for one KPI field."""
    require_write(access, KpiTarget)
    ensure_in_organization(access, campaign)
    target = KpiTarget.objects.filter(campaign=campaign, metric=metric).first()
    if target is None:
        target = create_instance(
            KpiTarget, {"campaign": campaign, "metric": metric, "value": value}
        )
    else:
        apply_changes(target, {"value": value})
    schedule_kpi_recompute([campaign.pk])
    return target


@transaction.atomic
def kpi_target_update(*, access: Access, target: KpiTarget, **changes: Any) -> KpiTarget:
    """Change a target's value, its KPI field or its campaign; returns it as saved.

    A campaign has one target per KPI field, so a target moved onto a field (or a campaign)
    that already has one replaces it, as ``kpi_target_set`` replaces a value. The old and the
    new campaign are recomputed."""
    require_write(access, KpiTarget)
    ensure_in_organization(access, target, changes.get("campaign"))
    row = KpiTarget.objects.select_for_update().get(pk=target.pk)
    before = row.campaign_id
    campaign = changes.get("campaign", row.campaign)
    metric = changes.get("metric", row.metric)
    if (campaign.pk, metric) != (row.campaign_id, row.metric):
        KpiTarget.objects.filter(campaign=campaign, metric=metric).exclude(pk=row.pk).delete()
    if apply_changes(row, changes):
        schedule_kpi_recompute([before, row.campaign_id])
    return row


@transaction.atomic
def kpi_target_delete(*, access: Access, target: KpiTarget) -> None:
    require_write(access, KpiTarget, "delete")
    ensure_in_organization(access, target)
    campaign_id = target.campaign_id
    target.delete()
    schedule_kpi_recompute([campaign_id])
