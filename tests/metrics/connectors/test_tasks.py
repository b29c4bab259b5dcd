"""The connector tasks (metrics/connectors/tasks.py): backoff on 429, auth errors recorded and
not retried, one failing account never stops the others, the beat claims each slot once."""

from __future__ import annotations

import datetime as dt

import responses
from django.utils import timezone

from metrics.connectors import tasks as connector_tasks
from metrics.connectors.instagram import GRAPH_URL
from metrics.models import ConnectionStatus, PlatformConnection, PostMetrics
from tests.metrics.connectors.connector_helpers import (
    ACCESS_TOKEN,
    MEDIA,
    connected_account,
    record_instagram,
)


@responses.activate
def test_the_task_backs_off_on_429_then_succeeds(org, monkeypatch) -> None:
    connection, _, [post] = connected_account(org)
    waits: list[float] = []
    real_backoff = connector_tasks.backoff_seconds

    def spy(attempt: int, *, retry_after: float | None = None) -> float:
        delay = real_backoff(attempt, retry_after=retry_after)
        waits.append(delay)
        return delay

    monkeypatch.setattr(connector_tasks, "backoff_seconds", spy)
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", status=429, json={},
                  headers={"Retry-After": "900"})
    record_instagram()
    # apply(throw=False) runs the eager retry chain the way a worker would (minus the wait).
    outcome = connector_tasks.sync_connection.apply((connection.pk,), throw=False).get()
    assert outcome == "synced"
    assert len(waits) == 1 and waits[0] >= 900  # never sooner than Retry-After
    assert PostMetrics.objects.filter(post=post).count() == 1
    connection.refresh_from_db()
    assert connection.last_error == "" and connection.status == ConnectionStatus.ACTIVE


@responses.activate
def test_an_auth_error_is_recorded_and_not_retried(org) -> None:
    connection, _, _ = connected_account(org)
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", status=400, json={"error": {
        "message": "Error validating access token: session expired", "code": 190}})
    assert connector_tasks.sync_connection.apply((connection.pk,)).get() == "failed"
    assert len(responses.calls) == 1
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ERROR
    assert "Reconnect" in connection.last_error and ACCESS_TOKEN not in connection.last_error


@responses.activate
def test_one_failing_account_never_stops_the_others(org, monkeypatch) -> None:
    broken, _, _ = connected_account(org, post_external_ids=("broken-media",))
    healthy, _, [post] = connected_account(org)
    PlatformConnection.objects.update(next_sync_at=timezone.now() - dt.timedelta(minutes=1))
    responses.get(f"{GRAPH_URL}/broken-media/insights", status=500, json={})
    responses.get(f"{GRAPH_URL}/broken-media/comments", status=500, json={})
    record_instagram()
    # Run each sync in-process as eager mode does (a worker would run it elsewhere): the
    # broken account's retry surfaces in the loop, which must carry on.
    task = connector_tasks.sync_connection
    monkeypatch.setattr(task, "apply_async",
                        lambda args, countdown: task.apply(args, throw=True))
    enqueued = connector_tasks.refresh_connected_accounts()
    assert enqueued == 1
    assert PostMetrics.objects.filter(post=post).exists()
    broken.refresh_from_db()
    healthy.refresh_from_db()
    assert "HTTP 500" in broken.last_error and "retrying" in broken.last_error
    assert broken.last_synced_at is None
    assert healthy.last_synced_at is not None and healthy.last_error == ""


@responses.activate
def test_after_the_last_retry_the_account_is_marked_failing(org) -> None:
    connection, _, _ = connected_account(org)
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", status=503, json={})
    result = connector_tasks.sync_connection.apply(
        (connection.pk,), retries=connector_tasks.MAX_RETRIES, throw=False
    )
    assert result.failed()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ERROR and "gave up" in connection.last_error


def test_the_beat_claims_each_slot_once_and_moves_it_a_day_on(org, monkeypatch) -> None:
    connection, _, _ = connected_account(org)
    later, _, _ = connected_account(org)
    now = timezone.now()
    PlatformConnection.objects.filter(pk=connection.pk).update(
        next_sync_at=now + dt.timedelta(minutes=20))
    PlatformConnection.objects.filter(pk=later.pk).update(next_sync_at=now + dt.timedelta(hours=5))
    sent: list[tuple[tuple, float]] = []
    monkeypatch.setattr(connector_tasks.sync_connection, "apply_async",
                        lambda args, countdown: sent.append((args, countdown)))
    assert connector_tasks.refresh_connected_accounts() == 1
    assert connector_tasks.refresh_connected_accounts() == 0  # already claimed
    [(args, countdown)] = sent
    assert args == (connection.pk,) and 1000 < countdown <= 1200
    connection.refresh_from_db()
    assert connection.next_sync_at > now + dt.timedelta(hours=12)
