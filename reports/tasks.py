"""Digest tasks: the beat's claim of due digests, and the delivery of one digest with retries.

Tasks take ids and call services; both are idempotent — a slot is claimed once (a unique
constraint), a delivery is sent once (a conditional UPDATE claims it).
"""

from __future__ import annotations

import logging
import random
from functools import partial

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from reports.models import DeliveryStatus
from reports.services.digest_delivery import digest_deliver
from reports.services.digests import digests_due, digests_stalled

logger = logging.getLogger(__name__)

# With a 60 s base: about 1, 2, 4, 8 and 16 minutes — half an hour for a mail server to come
# back before the remaining deliveries are marked failed.
MAX_RETRIES = 5
BACKOFF_BASE = 60.0


class DigestDeliveryDeferred(Exception):
    """Some deliveries failed for a reason that may pass (SMTP 4xx, connection refused or
    lost, timeout); they are retried."""


def backoff_seconds(attempt: int, base: float = BACKOFF_BASE) -> float:
    """Exponential backoff with jitter for retry ``attempt`` (0-based): digests of many
    campaigns failing together do not all come back at the same second."""
    ceiling = base * (2**attempt)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not security)


@shared_task(name="reports.tasks.send_due_digests")
def send_due_digests() -> int:
    """Beat: claim the digests due now and enqueue each one's delivery; returns how many."""
    now = timezone.now()
    send_ids = digests_due(now)
    for send_id in send_ids:
        # on_commit: a worker must find the claimed rows (outside a transaction it runs now).
        # robust: one digest's failure to enqueue (or, eagerly, to send) is logged and stops
        # no other; its rows already say pending or retrying, and the page shows them.
        transaction.on_commit(partial(deliver_digest.delay, send_id), robust=True)
    for send_id in digests_stalled(now):
        transaction.on_commit(partial(finish_stalled_digest.delay, send_id), robust=True)
    return len(send_ids)


@shared_task(name="reports.tasks.finish_stalled_digest", acks_late=True)
def finish_stalled_digest(send_id: int) -> str:
    """The last attempt at a digest whose retries were lost: what it cannot send is failed."""
    return digest_deliver(send_id, final=True).status


@shared_task(bind=True, name="reports.tasks.deliver_digest", max_retries=MAX_RETRIES,
             acks_late=True)
def deliver_digest(self: Task, send_id: int) -> str:
    """One attempt at a digest's open deliveries; a transient failure is retried with backoff,
    and the last attempt marks what is still unsent as failed, with its error (shown on the
    campaign's digest page)."""
    retries = self.request.retries or 0
    outcome = digest_deliver(send_id, final=retries >= MAX_RETRIES)
    if outcome.status != DeliveryStatus.RETRYING:
        if outcome.status == DeliveryStatus.FAILED:
            logger.warning("digest send %s failed for at least one recipient", send_id)
        return outcome.status
    raise self.retry(
        exc=DigestDeliveryDeferred(outcome.error or "deliveries still open"),
        countdown=backoff_seconds(retries),
    )


@shared_task(name="reports.tasks.prewarm_report_pdfs")
def prewarm_report_pdfs(campaign_id: int) -> int:
    """Lay the campaign's report PDFs out ahead of their readers (``reports.prewarm``)."""
    from reports.prewarm import report_pdfs_prewarm

    return report_pdfs_prewarm(campaign_id)
