"""Instagram connector: recorded Graph API answers → counters, NULLs with reasons, comments."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import responses
from responses import matchers

from metrics.connectors.base import AuthError, PostRef, RateLimited, TransientError
from metrics.connectors.instagram import GRAPH_URL, InstagramConnector
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN, fixture

MEDIA = "17918195224117851"
INSIGHTS = f"{GRAPH_URL}/{MEDIA}/insights"


def connector() -> InstagramConnector:
    return InstagramConnector(access_token=ACCESS_TOKEN, account_id="17841400000000001")


@responses.activate
def test_it_maps_the_documented_insights_onto_our_counters() -> None:
    responses.get(
        INSIGHTS,
        json=fixture("instagram-media-insights.json"),
        match=[matchers.query_param_matcher(
            {"metric": "reach,views,likes,comments,saved,shares,total_interactions",
             "access_token": ACCESS_TOKEN}
        )],
    )
    [counters] = connector().fetch_post_metrics([PostRef(MEDIA, "reel")])
    assert counters.values() == {
        "impressions": None, "reach": 15486, "views": 23120, "likes": 1204, "comments": 87,
        "shares": 45, "saves": 312, "mentions": None, "link_clicks": None,
    }
    assert "2025" in counters.missing["impressions"]
    assert set(counters.missing) == {"impressions", "mentions", "link_clicks"}


@responses.activate
def test_a_metric_missing_from_the_answer_is_null_not_zero() -> None:
    body = fixture("instagram-media-insights.json")
    body["data"] = [item for item in body["data"] if item["name"] not in {"shares", "saved"}]
    responses.get(INSIGHTS, json=body)
    [counters] = connector().fetch_post_metrics([PostRef(MEDIA, "post")])
    assert counters.shares is None and counters.saves is None
    assert counters.likes == 1204
    assert "no value" in counters.missing["shares"]


@responses.activate
def test_deprecated_plays_fill_views_only_when_views_is_absent() -> None:
    responses.get(INSIGHTS, json={"data": [
        {"name": "plays", "period": "lifetime", "values": [{"value": 900}]},
        {"name": "reach", "period": "lifetime", "values": [{"value": 700}]},
    ]})
    [counters] = connector().fetch_post_metrics([PostRef(MEDIA, "reel")])
    assert counters.views == 900 and counters.reach == 700


@responses.activate
def test_total_value_shape_is_read_too() -> None:
    responses.get(INSIGHTS, json={"data": [{"name": "views", "total_value": {"value": 42}}]})
    [counters] = connector().fetch_post_metrics([PostRef(MEDIA, "reel")])
    assert counters.views == 42


@responses.activate
def test_a_story_asks_only_for_story_metrics_and_has_no_likes() -> None:
    responses.get(
        INSIGHTS,
        json={"data": [
            {"name": "reach", "period": "lifetime", "values": [{"value": 310}]},
            {"name": "views", "period": "lifetime", "values": [{"value": 402}]},
            {"name": "shares", "period": "lifetime", "values": [{"value": 7}]},
        ]},
        match=[matchers.query_param_matcher(
            {"metric": "reach,views,shares,total_interactions", "access_token": ACCESS_TOKEN}
        )],
    )
    now = dt.datetime.now(dt.UTC)
    [counters] = connector().fetch_post_metrics(
        [PostRef(MEDIA, "story", published_at=now - dt.timedelta(hours=3))]
    )
    assert counters.reach == 310 and counters.views == 402 and counters.shares == 7
    assert counters.likes is None and "stories" in counters.missing["likes"]


@responses.activate
def test_a_story_under_five_viewers_is_null_with_the_reason(caplog) -> None:
    responses.get(INSIGHTS, status=400, json=fixture("instagram-story-not-enough-viewers.json"))
    now = dt.datetime.now(dt.UTC)
    with caplog.at_level(logging.INFO, logger="metrics.connectors.instagram"):
        [counters] = connector().fetch_post_metrics(
            [PostRef(MEDIA, "story", published_at=now - dt.timedelta(hours=1))]
        )
    assert not counters.has_any()
    assert "under 5" in counters.missing["reach"]
    assert "under 5" in caplog.text
    assert ACCESS_TOKEN not in caplog.text


@responses.activate
def test_a_story_older_than_a_day_is_not_asked_for() -> None:
    now = dt.datetime.now(dt.UTC)
    [counters] = connector().fetch_post_metrics(
        [PostRef(MEDIA, "story", published_at=now - dt.timedelta(hours=30))]
    )
    assert not counters.has_any()
    assert "24 hours" in counters.missing["views"]
    assert len(responses.calls) == 0


@responses.activate
def test_an_unsupported_metric_is_dropped_and_the_rest_asked_again() -> None:
    responses.get(
        INSIGHTS, status=400,
        json={"error": {"message": "(#100) The Media Insights API does not support the saved "
                        "metric for this media product type.", "code": 100}},
        match=[matchers.query_param_matcher(
            {"metric": "reach,views,likes,comments,saved,shares,total_interactions",
             "access_token": ACCESS_TOKEN})],
    )
    responses.get(
        INSIGHTS,
        json={"data": [{"name": "reach", "values": [{"value": 5}]}]},
        match=[matchers.query_param_matcher(
            {"metric": "reach,views,likes,comments,shares,total_interactions",
             "access_token": ACCESS_TOKEN})],
    )
    [counters] = connector().fetch_post_metrics([PostRef(MEDIA, "post")])
    assert counters.reach == 5 and counters.saves is None
    assert "does not report saved" in counters.missing["saves"]


@responses.activate
def test_a_deleted_media_is_left_out() -> None:
    responses.get(INSIGHTS, status=400, json={"error": {
        "message": "Unsupported get request. Object with ID does not exist", "code": 100,
        "error_subcode": 33}})
    assert connector().fetch_post_metrics([PostRef(MEDIA, "post")]) == []


@responses.activate
def test_rate_limit_codes_are_transient_with_the_regain_time() -> None:
    responses.get(
        INSIGHTS, status=400,
        json={"error": {"message": "(#4) Application request limit reached", "code": 4}},
        headers={"X-Business-Use-Case-Usage":
                 '{"1784": [{"type": "instagram", "estimated_time_to_regain_access": 12}]}'},
    )
    with pytest.raises(RateLimited) as caught:
        connector().fetch_post_metrics([PostRef(MEDIA, "post")])
    assert caught.value.retry_after == 720
    assert ACCESS_TOKEN not in str(caught.value)


@responses.activate
def test_an_expired_token_is_an_auth_error() -> None:
    responses.get(INSIGHTS, status=400, json={"error": {
        "message": "Error validating access token", "type": "OAuthException", "code": 190}})
    with pytest.raises(AuthError):
        connector().fetch_post_metrics([PostRef(MEDIA, "post")])


@responses.activate
def test_a_server_error_is_transient() -> None:
    responses.get(INSIGHTS, status=503, body="upstream down")
    with pytest.raises(TransientError):
        connector().fetch_post_metrics([PostRef(MEDIA, "post")])


@responses.activate
def test_comments_follow_the_cursor_across_pages() -> None:
    url = f"{GRAPH_URL}/{MEDIA}/comments"
    responses.get(url, json=fixture("instagram-media-comments-page1.json"), match=[
        matchers.query_param_matcher({"fields": "id,text,timestamp", "limit": "50",
                                      "access_token": ACCESS_TOKEN})])
    responses.get(url, json=fixture("instagram-media-comments-page2.json"), match=[
        matchers.query_param_matcher({"fields": "id,text,timestamp", "limit": "50",
                                      "after": "QVFIUmFmdGVy", "access_token": ACCESS_TOKEN})])
    comments = connector().fetch_comments(PostRef(MEDIA))
    assert [c.external_id for c in comments] == [
        "17858893269000001", "17858893269000002", "17858893269000003"]
    assert comments[0].posted_at == dt.datetime(2026, 3, 2, 13, 5, tzinfo=dt.UTC)
    assert comments[2].text == "Meh, not for me"


@responses.activate
def test_followers_come_from_followers_count() -> None:
    responses.get(f"{GRAPH_URL}/17841400000000001", json={"followers_count": 48211,
                                                          "id": "17841400000000001"})
    assert connector().fetch_account().followers == 48211


def test_the_connector_repr_never_shows_the_token() -> None:
    assert ACCESS_TOKEN not in repr(connector())


def test_urllib3_debug_lines_never_carry_the_token(caplog) -> None:
    import metrics.connectors.base  # noqa: F401 (installs the filter)

    http_logger = logging.getLogger("urllib3.connectionpool")
    with caplog.at_level(logging.DEBUG, logger="urllib3.connectionpool"):
        http_logger.debug('%s://%s:%s "%s %s %s" %s', "https", "graph.instagram.com", 443, "GET",
                          f"/v22.0/1/insights?metric=reach&access_token={ACCESS_TOKEN}",
                          "HTTP/1.1", 200)
    assert ACCESS_TOKEN not in caplog.text and "access_token=[redacted]" in caplog.text
