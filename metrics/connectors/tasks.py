"""Celery tasks that refresh connected accounts (see metrics/connectors).

``refresh_connected_accounts`` runs hourly from beat and enqueues the connections whose daily
slot falls within the next hour, each with a countdown to its slot, so accounts are spread over
the day. ``sync_connection`` syncs one account; it retries only transient errors (429, quota,
5xx, timeouts) with exponential backoff, jitter and the platform's Retry-After. Each account is
its own task, so one failing account never stops the others.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import Task, shared_task
from django.db.models import Q
from django.utils import timezone

from metrics.connectors.base import (
    AuthError,
    PermanentError,
    TransientError,
    backoff_seconds,
)
from metrics.connectors.crypto import TokenDecryptError
from metrics.connectors.services import (
    connection_mark_failed,
    next_sync_after_run,
    slot_after,
)
from metrics.models import ConnectionStatus, PlatformConnection

logger = logging.getLogger(__name__)

HORIZON = dt.timedelta(hours=1)  # must match the beat interval of refresh_connected_accounts
MAX_RETRIES = 6  # with a 60 s base: ~1 min, 2, 4, 8, 16, 32 min — about an hour of patience


@shared_task(name="metrics.connectors.tasks.refresh_connected_accounts")
def refresh_connected_accounts() -> int:
    """Enqueue every connection due within the hour; returns how many were enqueued."""
    now = timezone.now()
    horizon = now + HORIZON
    due = list(
        PlatformConnection.objects.filter(
            status__in=[ConnectionStatus.ACTIVE, ConnectionStatus.ERROR]
        )
        .filter(Q(next_sync_at__isnull=True) | Q(next_sync_at__lt=horizon))
        .values_list("pk", "next_sync_at")
    )
    enqueued = 0
    for connection_id, next_at in due:
        run_at = max(next_at, now) if next_at is not None else slot_after(connection_id, now)
        following = next_sync_after_run(connection_id, run_at) if run_at < horizon else run_at
        # Claim the slot with a conditional UPDATE: a second beat (or a rerun) finds the slot
        # already moved and enqueues nothing.
        same_slot = Q(next_sync_at=next_at) if next_at is not None else Q(next_sync_at__isnull=True)
        claimed = PlatformConnection.objects.filter(same_slot, pk=connection_id).update(
            next_sync_at=following
        )
        if not claimed or run_at >= horizon:
            continue
        try:
            sync_connection.apply_async(
                (connection_id,), countdown=max(0.0, (run_at - now).total_seconds())
            )
            enqueued += 1
        except Exception:
            # In eager mode the sync runs inside this loop: its failure is already recorded
            # on its connection and must not stop the accounts after it.
            logger.exception("connection %s: sync failed", connection_id)
    return enqueued


@shared_task(
    bind=True,
    name="metrics.connectors.tasks.sync_connection",
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def sync_connection(self: Task, connection_id: int) -> str:
    from metrics.connectors.sync import connection_sync

    connection = (
        PlatformConnection.objects.select_related(
            "organization", "social_account", "brand_account"
        )
        .filter(pk=connection_id)
        .first()
    )
    if connection is None or connection.status == ConnectionStatus.REVOKED:
        return "skipped"
    try:
        connection_sync(connection=connection)
    except TransientError as exc:
        retries = self.request.retries or 0
        if retries >= MAX_RETRIES:
            connection_mark_failed(
                connection=connection, status=ConnectionStatus.ERROR,
                message=f"{exc} — gave up after {retries} retries; the next daily sync tries again",
            )
            raise
        countdown = backoff_seconds(retries, retry_after=exc.retry_after)
        connection_mark_failed(
            connection=connection,
            message=f"{exc} — retrying in {int(countdown // 60)} min {int(countdown % 60)} s",
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
    except (AuthError, TokenDecryptError) as exc:
        # Only the account owner can fix these (reconnect): recorded for the page, not retried.
        connection_mark_failed(
            connection=connection, status=ConnectionStatus.ERROR,
            message=f"{exc} Reconnect the account.",
        )
        logger.warning("connection %s: %s", connection_id, exc)
        return "failed"
    except PermanentError as exc:
        connection_mark_failed(
            connection=connection, status=ConnectionStatus.ERROR, message=str(exc)
        )
        logger.warning("connection %s: %s", connection_id, exc)
        return "failed"
    except Exception:
        connection_mark_failed(
            connection=connection, status=ConnectionStatus.ERROR,
            message="Internal error while syncing; the team has the details in the logs.",
        )
        raise
    return "synced"
