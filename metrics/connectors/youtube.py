"""YouTube Data API v3: ``videos.list?part=statistics,paidProductPlacementDetails``,
``commentThreads.list`` and ``channels.list?part=statistics``.

Counts arrive as strings. The Data API reports views, likes and comments only: impressions,
reach, shares, saves, mentions and link clicks stay NULL (they live in the YouTube Analytics
API/Studio). ``likeCount`` is absent when the creator hides likes, ``commentCount`` when comments
are off — NULL with the reason, not 0. ``dislikeCount`` is gone since 2021-12; ``favoriteCount``
is a deprecated constant 0 and is ignored. ``paidProductPlacementDetails.hasPaidProductPlacement``
(told only to the video's owner) is the video's paid-promotion label: the caption check counts it
as a disclosure.
"""

from __future__ import annotations

import logging
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
    in_chunks,
    retry_after_seconds,
    returned_items,
    to_count,
    unique_external_ids,
)

logger = logging.getLogger(__name__)

API_URL = "https://www.googleapis.com/youtube/v3"
IDS_PER_CALL = 50  # videos.list accepts up to 50 ids
COMMENTS_PER_PAGE = 100
MAX_COMMENT_PAGES = 200

NOT_IN_DATA_API = ("impressions", "reach", "shares", "saves", "mentions", "link_clicks")
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
AUTH_REASONS = {"authError", "expired", "invalid_grant", "unauthorized"}
QUOTA_RESET_WAIT = 3600.0  # the daily quota resets at midnight Pacific; retry hourly until then


class YouTubeConnector(Connector):
    platform = "youtube"

    def classify_error(self, response: requests.Response, body: Any) -> ConnectorError:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return default_classification(response, self.platform)
        reasons = {
            str(item.get("reason"))
            for item in error.get("errors", []) if isinstance(item, dict)
        }
        message = str(error.get("message", ""))[:300]
        text = f"youtube: {message} ({', '.join(sorted(reasons)) or response.status_code})"
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if reasons & QUOTA_REASONS or response.status_code == 429:
            if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
                retry_after = max(retry_after or 0.0, QUOTA_RESET_WAIT)
            return RateLimited(text, retry_after=retry_after)
        if response.status_code >= 500 or reasons & {"backendError", "internalError"}:
            return TransientError(text, retry_after=retry_after)
        if response.status_code == 401 or reasons & AUTH_REASONS:
            return AuthError(text)
        return YouTubeApiError(text, reasons=reasons)

    def fetch_post_metrics(self, posts: Sequence[PostRef]) -> list[PostCounters]:
        results: list[PostCounters] = []
        for chunk in in_chunks(unique_external_ids(posts), IDS_PER_CALL):
            body = self.request_json(
                "GET", f"{API_URL}/videos",
                params={"part": "statistics,paidProductPlacementDetails", "id": ",".join(chunk),
                        "maxResults": IDS_PER_CALL},
            )
            for video_id, item in returned_items(
                chunk, body.get("items", []), id_field="id", log=logger, platform=self.platform
            ):
                counters = _counters(video_id, item.get("statistics") or {})
                # Only the video's owner (the connected creator) is told; None when absent.
                placement = (item.get("paidProductPlacementDetails") or {}).get(
                    "hasPaidProductPlacement"
                )
                counters.paid_partnership = placement if isinstance(placement, bool) else None
                results.append(counters)
        return results

    def fetch_comments(self, post: PostRef) -> list[FetchedComment]:
        comments: list[FetchedComment] = []
        page_token: str | None = None
        for _page in range(MAX_COMMENT_PAGES):
            params: dict[str, Any] = {
                "part": "snippet", "videoId": post.external_id,
                "maxResults": COMMENTS_PER_PAGE, "textFormat": "plainText",
            }
            if page_token:
                params["pageToken"] = page_token
            try:
                body = self.request_json("GET", f"{API_URL}/commentThreads", params=params)
            except YouTubeApiError as exc:
                if "commentsDisabled" in exc.reasons:
                    logger.info("youtube: comments are disabled on %s", post.external_id)
                else:
                    logger.warning("youtube: comments of %s skipped: %s", post.external_id, exc)
                return comments
            for thread in body.get("items", []):
                top = (thread.get("snippet") or {}).get("topLevelComment") or {}
                snippet = top.get("snippet") or {}
                comment = fetched_comment(
                    top.get("id") or thread.get("id"),
                    snippet.get("textOriginal") or snippet.get("textDisplay"),
                    snippet.get("publishedAt"),
                )
                if comment is not None:
                    comments.append(comment)
            page_token = body.get("nextPageToken")
            if not page_token:
                return comments
        logger.warning("youtube: comments of %s truncated", post.external_id)
        return comments

    def fetch_account(self) -> AccountStats:
        params: dict[str, Any] = {"part": "statistics"}
        if self.account_id:
            params["id"] = self.account_id
        else:
            params["mine"] = "true"
        body = self.request_json("GET", f"{API_URL}/channels", params=params)
        items = body.get("items") or []
        if not items:
            return AccountStats(None, "YouTube returned no channel for this account")
        statistics = items[0].get("statistics") or {}
        if statistics.get("hiddenSubscriberCount"):
            return AccountStats(None, "the channel hides its subscriber count")
        subscribers = to_count(statistics.get("subscriberCount"))
        if subscribers is None:
            return AccountStats(None, "YouTube returned no subscriberCount")
        return AccountStats(subscribers)


class YouTubeApiError(PermanentError):
    def __init__(self, text: str, *, reasons: set[str]) -> None:
        super().__init__(text)
        self.reasons = reasons


def _counters(video_id: str, statistics: dict[str, Any]) -> PostCounters:
    counters = PostCounters(
        external_id=video_id,
        views=to_count(statistics.get("viewCount")),
        likes=to_count(statistics.get("likeCount")),
        comments=to_count(statistics.get("commentCount")),
    )
    counters.mark_missing(["likes"], "the creator hides the like count")
    counters.mark_missing(["comments"], "comments are turned off on this video")
    counters.mark_missing(["views"], "YouTube returned no view count")
    counters.mark_missing(
        NOT_IN_DATA_API, "not in the YouTube Data API (only in YouTube Analytics/Studio)"
    )
    return counters
