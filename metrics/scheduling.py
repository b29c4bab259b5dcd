"""The one way to start a KPI recompute: ``schedule_kpi_recompute``.

Every writer calls it — services inside their transaction, the report page's and the API's
recompute buttons, the admin action, the nightly and organization-wide recomputes
(``metrics.engine.campaigns_recompute``), the ``recompute_kpis`` command and ``seed_demo``.
Nothing else enqueues ``recompute_campaign_kpis``; a test scans the source tree for that.

Debounced twice:

- within one transaction, the campaign ids of every call are collected and a single
  ``on_commit`` callback enqueues one task per campaign once the transaction commits (nothing
  at all if it rolls back);
- across transactions, a cache key per campaign (``cache.add`` is atomic on Redis and the
  database cache) makes later commits within the countdown ride along with the task already
  queued. The task clears the key as it starts, so a write that lands while a recompute runs
  queues the next one.

``now=True`` recomputes in this process at once instead (the command, the demo loader), whatever
the Celery mode.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_BATCH_ATTR = "_kpi_recompute_batch"


def pending_key(campaign_id: int) -> str:
    return f"kpi-recompute-pending:{campaign_id}"


class _Batch:
    """The campaign ids one transaction asked to recompute, enqueued once on its commit."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _enqueue(sorted(self.ids))


def _open_batch() -> _Batch:
    """The current transaction's batch, or a new one registered with ``on_commit``.

    A batch whose callback Django has dropped (its transaction or savepoint rolled back) or
    already run is stale: the next call starts a fresh one."""
    connection = transaction.get_connection()
    batch: _Batch | None = getattr(connection, _BATCH_ATTR, None)
    if (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(callback is batch for _, callback, _ in connection.run_on_commit)
    ):
        return batch
    batch = _Batch()
    setattr(connection, _BATCH_ATTR, batch)
    return batch


def schedule_kpi_recompute(campaign_ids: Iterable[int | None], *, now: bool = False) -> list[int]:
    """Recompute the KPIs of ``campaign_ids`` (``None`` entries are skipped).

    By default the recompute runs in a worker after the surrounding transaction commits, one
    task per campaign however many writes of the transaction asked for it; outside a
    transaction it is enqueued at once. ``now=True`` recomputes synchronously, here.
    Returns the distinct campaign ids, sorted."""
    ids = sorted({int(cid) for cid in campaign_ids if cid is not None})
    if not ids:
        return ids
    if now:
        from metrics.tasks import recompute_campaign_kpis

        for campaign_id in ids:
            # Called as a function: runs in this process, as the same task body a worker runs.
            recompute_campaign_kpis(campaign_id)
        return ids
    batch = _open_batch()
    fresh = not batch.ids
    batch.ids.update(ids)
    if fresh:
        # Outside an atomic block Django runs the callback right away.
        transaction.on_commit(batch)
    return ids


def _enqueue(campaign_ids: list[int]) -> None:
    from metrics.tasks import recompute_campaign_kpis

    countdown = settings.KPI_RECOMPUTE_COUNTDOWN
    for campaign_id in campaign_ids:
        if cache.add(pending_key(campaign_id), 1, timeout=countdown + 300):
            recompute_campaign_kpis.apply_async((campaign_id,), countdown=countdown)


def clear_pending(campaign_id: int) -> None:
    cache.delete(pending_key(campaign_id))
