"""connection_sync and the tasks: rows written through the ingestion services, idempotent
re-sync, token refresh before expiry, backoff on 429, one failing account never stops others."""

from __future__ import annotations

import datetime as dt

import pytest
import responses
from django.utils import timezone

from campaigns.models import CampaignStatus
from metrics.connectors import tasks as connector_tasks
from metrics.connectors.base import backoff_seconds, retry_after_seconds
from metrics.connectors.crypto import token_decrypt
from metrics.connectors.instagram import GRAPH_URL
from metrics.connectors.services import daily_slot, slot_after
from metrics.connectors.sync import connection_sync
from metrics.connectors.youtube import API_URL
from metrics.models import (
    Comment,
    ConnectionStatus,
    FollowerSnapshot,
    PlatformConnection,
    PostMetrics,
    Source,
)
from tests.metrics.connector_helpers import ACCESS_TOKEN, connected_account, fixture

MEDIA = "17918195224117851"
ACCOUNT = "17841400000000001"


def record_instagram(*, followers: int = 48211) -> None:
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", json=fixture("instagram-media-insights.json"))
    responses.get(f"{GRAPH_URL}/{MEDIA}/comments",
                  json=fixture("instagram-media-comments-page2.json"))
    responses.get(f"{GRAPH_URL}/{ACCOUNT}", json={"followers_count": followers})


@responses.activate
def test_a_sync_writes_metrics_comments_and_followers_from_the_connector(org) -> None:
    connection, account, [post] = connected_account(org)
    record_instagram()
    result = connection_sync(connection=connection)
    snapshot = PostMetrics.objects.get(post=post)
    assert snapshot.source == Source.CONNECTOR
    assert (snapshot.reach, snapshot.views, snapshot.saves) == (15486, 23120, 312)
    assert snapshot.impressions is None and snapshot.mentions is None
    assert snapshot.captured_at.minute == 0
    assert Comment.objects.get(post=post).text == "Meh, not for me"
    followers = FollowerSnapshot.objects.get(social_account=account)
    assert followers.followers == 48211 and followers.organization == org
    connection.refresh_from_db()
    assert connection.last_synced_at is not None and connection.last_error == ""
    assert result.metrics_created == 1 and result.comments_created == 1


@responses.activate
def test_syncing_twice_leaves_the_same_rows(org) -> None:
    connection, account, [post] = connected_account(org)
    record_instagram()
    now = timezone.now()
    connection_sync(connection=connection, now=now)
    second = connection_sync(connection=connection, now=now + dt.timedelta(minutes=1))
    if now.minute == 59:  # the second run crossed into the next hour: a new hourly snapshot
        pytest.skip("ran across an hour boundary")
    assert PostMetrics.objects.filter(post=post).count() == 1
    assert Comment.objects.filter(post=post).count() == 1
    assert FollowerSnapshot.objects.filter(social_account=account).count() == 1
    assert (second.metrics_created, second.metrics_updated) == (0, 1)


@responses.activate
def test_posts_of_other_accounts_and_archived_campaigns_are_not_asked_for(org) -> None:
    connection, _account, [post] = connected_account(org)
    post.partnership.campaign.status = CampaignStatus.ARCHIVED
    post.partnership.campaign.save()
    responses.get(f"{GRAPH_URL}/{ACCOUNT}", json={"followers_count": 10})
    connection_sync(connection=connection)
    assert not PostMetrics.objects.exists()
    assert [str(c.request.url).split("?")[0] for c in responses.calls] == [f"{GRAPH_URL}/{ACCOUNT}"]


@responses.activate
def test_an_expiring_token_is_refreshed_first_and_stored_encrypted(org) -> None:
    connection, _, _ = connected_account(org, expires_in=dt.timedelta(days=2))
    responses.get(
        "https://graph.instagram.com/refresh_access_token",
        json={"access_token": "IGQVJ-new-token", "token_type": "bearer", "expires_in": 5184000},
    )
    record_instagram()
    connection_sync(connection=connection)
    connection.refresh_from_db()
    assert token_decrypt(connection.encrypted_access_token) == "IGQVJ-new-token"
    assert "IGQVJ-new-token" not in connection.encrypted_access_token
    assert connection.token_expires_at is not None
    assert connection.token_expires_at > timezone.now() + dt.timedelta(days=59)
    insights_url = next(str(c.request.url) for c in responses.calls
                        if "/insights" in str(c.request.url))
    assert "access_token=IGQVJ-new-token" in insights_url


@responses.activate
def test_a_youtube_sync_refreshes_with_the_refresh_token(org, settings) -> None:
    settings.YOUTUBE_CLIENT_ID, settings.YOUTUBE_CLIENT_SECRET = "cid", "csecret"
    connection, account, [post] = connected_account(
        org, platform="youtube", post_external_ids=("Ks-_Mh1QhMc",), post_type="video",
        expires_in=dt.timedelta(minutes=-5),
    )
    connection.external_account_id = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
    connection.save()
    responses.post("https://oauth2.googleapis.com/token",
                   json={"access_token": "ya29.fresh", "expires_in": 3599, "token_type": "Bearer"})
    responses.get(f"{API_URL}/videos", json=fixture("youtube-videos-list.json"))
    responses.get(f"{API_URL}/commentThreads", json=fixture("youtube-comment-threads-page2.json"))
    responses.get(f"{API_URL}/channels", json=fixture("youtube-channels-list.json"))
    connection_sync(connection=connection)
    assert PostMetrics.objects.get(post=post).views == 184523
    assert FollowerSnapshot.objects.get(social_account=account).followers == 48200
    connection.refresh_from_db()
    # Google keeps the refresh token; we must not lose it.
    assert token_decrypt(connection.encrypted_refresh_token) != ""
    assert responses.calls[1].request.headers["Authorization"] == "Bearer ya29.fresh"


@responses.activate
def test_a_failing_fetch_stores_nothing(org) -> None:
    connection, _, [post] = connected_account(org)
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", json=fixture("instagram-media-insights.json"))
    responses.get(f"{GRAPH_URL}/{MEDIA}/comments", status=500, json={})
    with pytest.raises(Exception):  # noqa: B017 (the type is tested in the task tests)
        connection_sync(connection=connection)
    assert not PostMetrics.objects.exists()


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


def test_slots_spread_connections_over_the_day() -> None:
    hours = {int(daily_slot(pk).total_seconds() // 3600) for pk in range(1, 400)}
    assert len(hours) == 24
    moment = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    first = slot_after(7, moment)
    assert moment < first <= moment + dt.timedelta(days=1)
    assert slot_after(7, first) == first + dt.timedelta(days=1)


def test_backoff_grows_with_jitter_and_respects_retry_after() -> None:
    delays = [backoff_seconds(attempt) for attempt in range(5)]
    assert all(30 <= d <= 60 for d in [delays[0]]) and 480 <= delays[4] <= 960
    assert backoff_seconds(0, retry_after=3600) >= 3600
    assert len({backoff_seconds(3) for _ in range(20)}) > 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Tue, 03 Mar 2026 12:05:00 GMT", now=now) == 300
    assert retry_after_seconds("soon") is None


@responses.activate
def test_a_brand_account_syncs_its_followers_only(org) -> None:
    from metrics.connectors.crypto import token_encrypt
    from tests import factories as f

    brand_account = f.BrandAccountFactory(brand=f.BrandFactory(organization=org),
                                          platform="youtube")
    connection = PlatformConnection.objects.create(
        organization=org, brand_account=brand_account, platform="youtube",
        external_account_id="UC_x5XG1OV2P6uZZ5FSM9Ttw",
        encrypted_access_token=token_encrypt(ACCESS_TOKEN),
        token_expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    responses.get(f"{API_URL}/channels", json=fixture("youtube-channels-list.json"))
    connection_sync(connection=connection)
    snapshot = FollowerSnapshot.objects.get(brand_account=brand_account)
    assert snapshot.followers == 48200 and snapshot.source == Source.CONNECTOR
    assert len(responses.calls) == 1
