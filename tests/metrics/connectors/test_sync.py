"""connection_sync (metrics/connectors/sync.py): rows written through the ingestion services,
idempotent re-sync, token refresh before expiry, nothing stored when a fetch fails."""

from __future__ import annotations

import datetime as dt

import pytest
import responses
from django.utils import timezone

from campaigns.models import CampaignStatus
from metrics.connectors.crypto import token_decrypt
from metrics.connectors.instagram import GRAPH_URL
from metrics.connectors.sync import connection_sync
from metrics.connectors.youtube import API_URL
from metrics.models import Comment, FollowerSnapshot, PlatformConnection, PostMetrics, Source
from tests.metrics.connectors.connector_helpers import (
    ACCESS_TOKEN,
    ACCOUNT,
    MEDIA,
    connected_account,
    fixture,
    record_instagram,
)


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
def test_a_youtube_paid_promotion_label_lands_on_the_post_and_counts_as_disclosure(org) -> None:
    """The caption has no #ad, but YouTube shows its own paid-promotion label on the video:
    the live post passes the disclosure rule once the sync has stored the label."""
    from content.checks import Rules, check_caption

    connection, _, [post] = connected_account(
        org, platform="youtube", post_external_ids=("Ks-_Mh1QhMc",), post_type="video",
    )
    body = fixture("youtube-videos-list.json")
    body["items"][0]["paidProductPlacementDetails"] = {"hasPaidProductPlacement": True}
    responses.get(f"{API_URL}/videos", json=body)
    responses.get(f"{API_URL}/commentThreads", json=fixture("youtube-comment-threads-page2.json"))
    responses.get(f"{API_URL}/channels", json=fixture("youtube-channels-list.json"))
    assert post.paid_partnership is None
    connection_sync(connection=connection)
    post.refresh_from_db()
    assert post.paid_partnership is True
    rules = Rules(disclosures=("#ad",))
    assert check_caption("New video, link below", rules, paid_partnership=post.paid_partnership
                         ) == []


@responses.activate
def test_a_failing_fetch_stores_nothing(org) -> None:
    connection, _, [post] = connected_account(org)
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", json=fixture("instagram-media-insights.json"))
    responses.get(f"{GRAPH_URL}/{MEDIA}/comments", status=500, json={})
    with pytest.raises(Exception):  # noqa: B017 (the type is tested in the task tests)
        connection_sync(connection=connection)
    assert not PostMetrics.objects.exists()


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
