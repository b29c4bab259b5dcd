"""Instagram API with Instagram Login (``graph.instagram.com``): media insights, comments and
the account's follower count.

Metric names follow the 2025 changes (Graph API v22): ``views`` replaced ``impressions``,
``plays`` and ``video_views``; ``saved`` is our ``saves``. Stories report only for 24 hours and
answer error #10 ("Not enough viewers") when a value is under 5 — both leave the counters NULL
with the reason. A metric missing from the answer ("an empty data set instead of 0") is NULL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

import requests

from metrics.connectors.base import (
    AccountStats,
    AuthError,
    Connector,
    ConnectorError,
    FetchedComment,
    PermanentError,
    PostCounters,
    PostRef,
    RateLimited,
    TransientError,
    default_classification,
    fetched_comment,
    retry_after_seconds,
    to_count,
)

logger = logging.getLogger(__name__)

GRAPH_VERSION = "v22.0"
GRAPH_URL = f"https://graph.instagram.com/{GRAPH_VERSION}"

# What we ask for, per post type. Stories have no likes, comments or saves.
FEED_METRICS = ("reach", "views", "likes", "comments", "saved", "shares", "total_interactions")
STORY_METRICS = ("reach", "views", "shares", "total_interactions")
STORY_LIFETIME = dt.timedelta(hours=24)

# Platform metric → our counter. The deprecated names are still mapped so an answer from an
# older API version, or for older media, is not lost; ``views`` wins when both are present.
METRIC_MAP = {
    "reach": "reach",
    "views": "views",
    "likes": "likes",
    "comments": "comments",
    "saved": "saves",
    "shares": "shares",
    "impressions": "impressions",
}
DEPRECATED_VIEW_METRICS = ("plays", "video_views", "ig_reels_aggregated_all_plays_count")

NOT_REPORTED = {
    "impressions": "Instagram deprecated impressions in 2025 (API v22); views replaces it",
    "mentions": "Instagram media insights do not report mentions",
    "link_clicks": "Instagram media insights do not report link clicks",
}

# Graph API error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling).
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}
TRANSIENT_CODES = {1, 2}
AUTH_CODES = {102, 190}
NOT_ENOUGH_VIEWERS = 10
UNSUPPORTED_METRIC = 100


class InstagramConnector(Connector):
    platform = "instagram"

    def auth_headers(self) -> dict[str, str]:
        # Instagram Login documents the token as a query parameter (see ``_params``); it is
        # never logged, and error messages are built from the error body, not the URL.
        return {}

    def _params(self, **params: Any) -> dict[str, Any]:
        return {**params, "access_token": self._token}

    def classify_error(self, response: requests.Response, body: Any) -> ConnectorError:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return default_classification(response, self.platform)
        code = error.get("code")
        message = str(error.get("message", ""))[:300]
        text = f"instagram: {message} (code {code})"
        if code in RATE_LIMIT_CODES or response.status_code == 429:
            return RateLimited(text, retry_after=_usage_retry_after(response))
        if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
            return TransientError(text, retry_after=retry_after_seconds(
                response.headers.get("Retry-After")))
        if code in AUTH_CODES or response.status_code == 401:
            return AuthError(text)
        return InstagramApiError(text, code=code, message=message)

    # -- metrics ------------------------------------------------------------------------------

    def fetch_post_metrics(self, posts: Sequence[PostRef]) -> list[PostCounters]:
        results = []
        now = dt.datetime.now(dt.UTC)
        for post in posts:
            counters = self._post_counters(post, now=now)
            if counters is not None:
                results.append(counters)
        return results

    def _post_counters(self, post: PostRef, *, now: dt.datetime) -> PostCounters | None:
        counters = PostCounters(external_id=post.external_id)
        is_story = post.post_type == "story"
        if is_story:
            counters.mark_missing(
                ("likes", "comments", "saves"), "Instagram stories have no likes, comments or saves"
            )
            if post.published_at is not None and now - post.published_at > STORY_LIFETIME:
                counters.finalize("Instagram story insights are only available for 24 hours")
                logger.info("instagram: story %s is older than 24 h; no insights", post.external_id)
                return counters
        wanted = list(STORY_METRICS if is_story else FEED_METRICS)
        # A metric this media type does not support fails the whole call (#100): drop it, say
        # why, and ask again for the rest.
        while wanted:
            try:
                body = self.request_json(
                    "GET",
                    f"{GRAPH_URL}/{post.external_id}/insights",
                    params=self._params(metric=",".join(wanted)),
                )
                break
            except InstagramApiError as exc:
                if exc.code == NOT_ENOUGH_VIEWERS:
                    reason = "Instagram withholds story metrics under 5 (not enough viewers)"
                    counters.finalize(reason)
                    logger.info("instagram: media %s: %s", post.external_id, reason)
                    return counters
                rejected = None
                if exc.code == UNSUPPORTED_METRIC:
                    rejected = _rejected_metric(exc.message, wanted)
                if rejected is None:
                    # The media is gone or not this account's: nothing to store for it.
                    logger.warning("instagram: media %s skipped: %s", post.external_id, exc)
                    return None
                wanted.remove(rejected)
                target = _counter_of(rejected)
                if target is not None:
                    counters.mark_missing(
                        [target], f"Instagram does not report {rejected} for this media type"
                    )
        else:
            body = {"data": []}
        self._apply_insights(counters, body)
        for name in ("reach", "views", "likes", "comments", "shares", "saves"):
            counters.mark_missing([name], "Instagram returned no value for it (not available yet)")
        for name, reason in NOT_REPORTED.items():
            counters.mark_missing([name], reason)
        counters.finalize("not reported by Instagram")
        return counters

    @staticmethod
    def _apply_insights(counters: PostCounters, body: Any) -> None:
        fallback_views: int | None = None
        for item in (body or {}).get("data", []) if isinstance(body, dict) else []:
            name = item.get("name")
            value = _insight_value(item)
            if value is None:
                continue
            if name in DEPRECATED_VIEW_METRICS:
                fallback_views = value if fallback_views is None else fallback_views
                continue
            target = _counter_of(name)
            if target is None:
                continue  # total_interactions and others we don't store
            setattr(counters, target, value)
        if counters.views is None and fallback_views is not None:
            counters.views = fallback_views

    # -- comments -----------------------------------------------------------------------------

    def fetch_comments(self, post: PostRef) -> list[FetchedComment]:
        comments: list[FetchedComment] = []
        after: str | None = None
        for _page in range(200):
            params = self._params(fields="id,text,timestamp", limit=50)
            if after:
                params["after"] = after
            try:
                body = self.request_json(
                    "GET", f"{GRAPH_URL}/{post.external_id}/comments", params=params
                )
            except InstagramApiError as exc:
                logger.warning("instagram: comments of %s skipped: %s", post.external_id, exc)
                return comments
            for item in body.get("data", []):
                comment = fetched_comment(item.get("id"), item.get("text"), item.get("timestamp"))
                if comment is not None:
                    comments.append(comment)
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            # Following our own cursor (not ``paging.next``) keeps the token out of any URL
            # the platform hands back.
            if not paging.get("next") or not after:
                return comments
        logger.warning("instagram: comments of %s truncated after 200 pages", post.external_id)
        return comments

    # -- account ------------------------------------------------------------------------------

    def fetch_account(self) -> AccountStats:
        body = self.request_json(
            "GET", f"{GRAPH_URL}/{self.account_id or 'me'}",
            params=self._params(fields="followers_count"),
        )
        followers = to_count(body.get("followers_count"))
        if followers is None:
            return AccountStats(None, "Instagram returned no followers_count")
        return AccountStats(followers)


class InstagramApiError(PermanentError):
    def __init__(self, text: str, *, code: Any, message: str) -> None:
        super().__init__(text)
        self.code = code
        self.message = message


def _counter_of(metric: str | None) -> str | None:
    return METRIC_MAP.get(metric or "")


def _insight_value(item: dict[str, Any]) -> int | None:
    values = item.get("values")
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return to_count(values[0].get("value"))
    total = item.get("total_value")
    if isinstance(total, dict):
        return to_count(total.get("value"))
    return None


def _rejected_metric(message: str, wanted: list[str]) -> str | None:
    for name in wanted:
        if re.search(rf"\b{re.escape(name)}\b", message):
            return name
    return None


def _usage_retry_after(response: requests.Response) -> float | None:
    """Seconds until the quota is back: ``Retry-After``, else the business use-case header's
    ``estimated_time_to_regain_access`` (minutes)."""
    explicit = retry_after_seconds(response.headers.get("Retry-After"))
    if explicit is not None:
        return explicit
    raw = response.headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access", 0)
        for entries in usage.values() if isinstance(entries, list)
        for entry in entries if isinstance(entry, dict)
    ]
    longest = max((m for m in minutes if isinstance(m, int | float)), default=0)
    return float(longest) * 60 if longest else None
