"""Enqueue KPI recomputes after a write commits, debounced so a burst costs one recompute.

Every service that changes a campaign's inputs calls ``schedule_kpi_recompute`` inside its
transaction. The enqueue runs on commit; a cache key per campaign (``cache.add`` is atomic on
Redis and the database cache) makes later writes within the countdown ride along with the task
already queued. The task clears the key as it starts, so a write that lands while a recompute
runs queues the next one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def pending_key(campaign_id: int) -> str:
    return f"kpi-recompute-pending:{campaign_id}"


def schedule_kpi_recompute(campaign_ids: Iterable[int | None]) -> None:
    ids = sorted({int(cid) for cid in campaign_ids if cid is not None})
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(campaign_ids: list[int]) -> None:
    from metrics.tasks import recompute_campaign_kpis

    countdown = settings.KPI_RECOMPUTE_COUNTDOWN
    for campaign_id in campaign_ids:
        if cache.add(pending_key(campaign_id), 1, timeout=countdown + 300):
            recompute_campaign_kpis.apply_async((campaign_id,), countdown=countdown)


def clear_pending(campaign_id: int) -> None:
    cache.delete(pending_key(campaign_id))
