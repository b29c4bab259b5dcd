"""TikTok connector: Display API counts (no reach, no comments), Business API insights."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from responses import matchers

from metrics.connectors.base import AuthError, PostRef, RateLimited
from metrics.connectors.tiktok import BUSINESS_URL, DISPLAY_URL, TikTokConnector
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN, fixture

VIDEO = "7291234567890123456"


def display() -> TikTokConnector:
    return TikTokConnector(access_token=ACCESS_TOKEN, account_id="-000abcDEF",
                           scopes="user.info.basic,user.info.stats,video.list")


def business() -> TikTokConnector:
    return TikTokConnector(access_token=ACCESS_TOKEN, account_id="-000abcDEF",
                           scopes="user.info.basic,video.list,video.insights,comment.list")


@responses.activate
def test_display_api_counts_map_and_fields_it_lacks_stay_null() -> None:
    responses.post(
        f"{DISPLAY_URL}/video/query/", json=fixture("tiktok-video-query.json"),
        match=[
            matchers.query_param_matcher(
                {"fields": "id,view_count,like_count,comment_count,share_count"}),
            matchers.json_params_matcher({"filters": {"video_ids": [VIDEO]}}),
            matchers.header_matcher({"Authorization": f"Bearer {ACCESS_TOKEN}"}),
        ],
    )
    [counters] = display().fetch_post_metrics([PostRef(VIDEO, "video")])
    assert counters.values() == {
        "impressions": None, "reach": None, "views": 50231, "likes": 4120, "comments": 233,
        "shares": 98, "saves": None, "mentions": None, "link_clicks": None,
    }
    assert "Business API only" in counters.missing["reach"]


@responses.activate
def test_business_api_adds_reach() -> None:
    responses.get(
        f"{BUSINESS_URL}/business/video/list/", json=fixture("tiktok-business-video-list.json"),
        match=[matchers.header_matcher({"Access-Token": ACCESS_TOKEN})],
    )
    [counters] = business().fetch_post_metrics([PostRef(VIDEO)])
    assert counters.reach == 41002 and counters.views == 50231 and counters.saves is None
    sent = parse_qs(urlparse(str(responses.calls[0].request.url)).query)
    assert json.loads(sent["filters"][0]) == {"video_ids": [VIDEO]}
    assert sent["business_id"] == ["-000abcDEF"]


@responses.activate
def test_display_api_has_no_comments_to_list() -> None:
    assert display().fetch_comments(PostRef(VIDEO)) == []
    assert len(responses.calls) == 0


@responses.activate
def test_business_comments_follow_the_cursor() -> None:
    url = f"{BUSINESS_URL}/business/comment/list/"
    responses.get(url, json=fixture("tiktok-business-comment-list-page1.json"),
                  match=[matchers.query_param_matcher(
                      {"business_id": "-000abcDEF", "video_id": VIDEO, "max_count": "30"})])
    responses.get(url, json=fixture("tiktok-business-comment-list-page2.json"),
                  match=[matchers.query_param_matcher(
                      {"business_id": "-000abcDEF", "video_id": VIDEO, "max_count": "30",
                       "cursor": "2"})])
    comments = business().fetch_comments(PostRef(VIDEO))
    assert [c.text for c in comments] == ["So good", "Not convinced", "Need this"]
    assert comments[0].posted_at == dt.datetime.fromtimestamp(1772539200, tz=dt.UTC)


@responses.activate
def test_display_followers_come_from_user_info() -> None:
    responses.get(f"{DISPLAY_URL}/user/info/", json=fixture("tiktok-user-info.json"))
    assert display().fetch_account().followers == 120400


@responses.activate
def test_a_200_with_a_rate_limit_error_inside_is_a_rate_limit() -> None:
    responses.post(f"{DISPLAY_URL}/video/query/", status=429,
                   json=fixture("tiktok-rate-limited.json"), headers={"Retry-After": "30"})
    with pytest.raises(RateLimited) as caught:
        display().fetch_post_metrics([PostRef(VIDEO)])
    assert caught.value.retry_after == 30


@responses.activate
def test_an_invalid_token_is_an_auth_error() -> None:
    responses.post(f"{DISPLAY_URL}/video/query/", status=401, json={"data": {}, "error": {
        "code": "access_token_invalid", "message": "The access token is invalid", "log_id": "1"}})
    with pytest.raises(AuthError):
        display().fetch_post_metrics([PostRef(VIDEO)])


@responses.activate
def test_business_error_codes_inside_a_200_are_errors() -> None:
    responses.get(f"{BUSINESS_URL}/business/video/list/",
                  json={"code": 40100, "message": "Too many requests", "data": {}})
    with pytest.raises(RateLimited):
        business().fetch_post_metrics([PostRef(VIDEO)])
