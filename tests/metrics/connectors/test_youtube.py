"""YouTube connector: string counts, hidden likes, paginated comment threads, quota errors."""

from __future__ import annotations

import datetime as dt

import pytest
import responses
from responses import matchers

from metrics.connectors.base import PostRef, RateLimited
from metrics.connectors.youtube import API_URL, YouTubeConnector
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN, fixture

VIDEO = "Ks-_Mh1QhMc"


def connector() -> YouTubeConnector:
    return YouTubeConnector(access_token=ACCESS_TOKEN, account_id="UC_x5XG1OV2P6uZZ5FSM9Ttw")


@responses.activate
def test_string_counts_become_numbers_and_the_rest_stays_null() -> None:
    responses.get(
        f"{API_URL}/videos", json=fixture("youtube-videos-list.json"),
        match=[matchers.query_param_matcher({"part": "statistics,paidProductPlacementDetails", "id": VIDEO,
                                              "maxResults": "50"}),
               matchers.header_matcher({"Authorization": f"Bearer {ACCESS_TOKEN}"})],
    )
    [counters] = connector().fetch_post_metrics([PostRef(VIDEO, "video")])
    assert counters.values() == {
        "impressions": None, "reach": None, "views": 184523, "likes": 9120, "comments": 641,
        "shares": None, "saves": None, "mentions": None, "link_clicks": None,
    }
    assert "YouTube Analytics" in counters.missing["reach"]


@responses.activate
def test_hidden_likes_are_null_with_the_reason() -> None:
    body = fixture("youtube-videos-list.json")
    del body["items"][0]["statistics"]["likeCount"]
    responses.get(f"{API_URL}/videos", json=body)
    [counters] = connector().fetch_post_metrics([PostRef(VIDEO)])
    assert counters.likes is None and "hides" in counters.missing["likes"]
    assert counters.views == 184523


@responses.activate
def test_ids_are_batched_fifty_per_call_and_unknown_videos_left_out() -> None:
    ids = [f"vid{n:03d}" for n in range(51)]
    responses.get(f"{API_URL}/videos", json={"items": [
        {"id": "vid000", "statistics": {"viewCount": "1"}}]})
    responses.get(f"{API_URL}/videos", json={"items": [
        {"id": "vid050", "statistics": {"viewCount": "2"}}]})
    results = connector().fetch_post_metrics([PostRef(i) for i in ids])
    assert [(c.external_id, c.views) for c in results] == [("vid000", 1), ("vid050", 2)]
    assert len(responses.calls) == 2
    first_url = str(responses.calls[0].request.url)
    assert "vid049" in first_url and "vid050" not in first_url


@responses.activate
def test_comment_threads_are_read_page_by_page() -> None:
    base = {"part": "snippet", "videoId": VIDEO, "maxResults": "100", "textFormat": "plainText"}
    responses.get(f"{API_URL}/commentThreads", json=fixture("youtube-comment-threads-page1.json"),
                  match=[matchers.query_param_matcher(base)])
    responses.get(f"{API_URL}/commentThreads", json=fixture("youtube-comment-threads-page2.json"),
                  match=[matchers.query_param_matcher({**base, "pageToken": "QURTSl9pMk"})])
    comments = connector().fetch_comments(PostRef(VIDEO))
    assert [c.external_id for c in comments] == ["UgzThread1", "UgzThread2", "UgzThread3"]
    assert comments[2].posted_at == dt.datetime(2026, 3, 5, 9, 15, tzinfo=dt.UTC)


@responses.activate
def test_disabled_comments_give_no_comments_and_no_error() -> None:
    responses.get(f"{API_URL}/commentThreads", status=403, json={"error": {
        "code": 403, "message": "The video has disabled comments.",
        "errors": [{"reason": "commentsDisabled", "domain": "youtube.commentThread"}]}})
    assert connector().fetch_comments(PostRef(VIDEO)) == []


@responses.activate
def test_subscribers_come_from_channels_list() -> None:
    responses.get(f"{API_URL}/channels", json=fixture("youtube-channels-list.json"), match=[
        matchers.query_param_matcher({"part": "statistics", "id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"})])
    assert connector().fetch_account().followers == 48200


@responses.activate
def test_a_hidden_subscriber_count_is_unknown_not_zero() -> None:
    body = fixture("youtube-channels-list.json")
    body["items"][0]["statistics"].update(hiddenSubscriberCount=True, subscriberCount="0")
    responses.get(f"{API_URL}/channels", json=body)
    stats = connector().fetch_account()
    assert stats.followers is None and "hides" in stats.reason


@responses.activate
def test_quota_exceeded_is_a_rate_limit_that_waits_at_least_an_hour() -> None:
    responses.get(f"{API_URL}/videos", status=403, json=fixture("youtube-quota-exceeded.json"))
    with pytest.raises(RateLimited) as caught:
        connector().fetch_post_metrics([PostRef(VIDEO)])
    assert caught.value.retry_after is not None and caught.value.retry_after >= 3600


@responses.activate
def test_http_429_honours_retry_after() -> None:
    responses.get(f"{API_URL}/videos", status=429, json={}, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited) as caught:
        connector().fetch_post_metrics([PostRef(VIDEO)])
    assert caught.value.retry_after == 120


@responses.activate
def test_the_paid_promotion_label_is_read_and_unknown_when_absent() -> None:
    body = fixture("youtube-videos-list.json")
    labelled = {**body["items"][0], "id": "labelled",
                "paidProductPlacementDetails": {"hasPaidProductPlacement": True}}
    unlabelled = {**body["items"][0], "id": "unlabelled",
                  "paidProductPlacementDetails": {"hasPaidProductPlacement": False}}
    responses.get(f"{API_URL}/videos", json={"items": [body["items"][0], labelled, unlabelled]})
    results = connector().fetch_post_metrics(
        [PostRef(VIDEO), PostRef("labelled"), PostRef("unlabelled")]
    )
    assert [(c.external_id, c.paid_partnership) for c in results] == [
        (VIDEO, None), ("labelled", True), ("unlabelled", False),
    ]
