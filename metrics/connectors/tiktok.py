"""TikTok: the Business API (``business-api.tiktok.com``, TikTok Accounts) when the creator
granted video insights, else the Display API (``open.tiktokapis.com/v2``) video counts.

Display API: views, likes, comments and shares only; no comments text, no reach. Business API:
adds reach and comment listing. Whatever a mode does not report stays NULL with the reason.
"""

from __future__ import annotations

import json
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

DISPLAY_URL = "https://open.tiktokapis.com/v2"
BUSINESS_URL = "https://business-api.tiktok.com/open_api/v1.3"
DISPLAY_IDS_PER_CALL = 20
BUSINESS_IDS_PER_CALL = 20
MAX_COMMENT_PAGES = 200
BUSINESS_SCOPE = "video.insights"  # granted → the Business API is available

DISPLAY_FIELDS = "id,view_count,like_count,comment_count,share_count"
DISPLAY_MAP = {
    "view_count": "views", "like_count": "likes", "comment_count": "comments",
    "share_count": "shares",
}
BUSINESS_FIELDS = ["item_id", "video_views", "reach", "likes", "comments", "shares"]
BUSINESS_MAP = {
    "video_views": "views", "reach": "reach", "likes": "likes", "comments": "comments",
    "shares": "shares",
}

DISPLAY_RATE_LIMIT = {"rate_limit_exceeded"}
DISPLAY_AUTH = {"access_token_invalid", "scope_not_authorized", "invalid_token"}
BUSINESS_RATE_LIMIT = {40100, 40016}
BUSINESS_AUTH = {40101, 40102, 40104, 40105}


class TikTokConnector(Connector):
    platform = "tiktok"

    @property
    def uses_business_api(self) -> bool:
        return BUSINESS_SCOPE in self.scopes

    def auth_headers(self) -> dict[str, str]:
        if self.uses_business_api:
            return {"Access-Token": self._token}
        return {"Authorization": f"Bearer {self._token}"}

    def body_is_error(self, body: Any) -> bool:
        if not isinstance(body, dict):
            return False
        if self.uses_business_api:
            return body.get("code") not in (0, None)
        error = body.get("error")
        return isinstance(error, dict) and error.get("code") not in ("ok", "", None)

    def classify_error(self, response: requests.Response, body: Any) -> ConnectorError:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if not isinstance(body, dict):
            return default_classification(response, self.platform)
        if self.uses_business_api:
            code = body.get("code")
            text = f"tiktok: {str(body.get('message', ''))[:300]} (code {code})"
            if code in BUSINESS_RATE_LIMIT or response.status_code == 429:
                return RateLimited(text, retry_after=retry_after)
            if isinstance(code, int) and code >= 50000 or response.status_code >= 500:
                return TransientError(text, retry_after=retry_after)
            if code in BUSINESS_AUTH or response.status_code == 401:
                return AuthError(text)
            return PermanentError(text)
        raw_error = body.get("error")
        error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
        code = str(error.get("code", ""))
        text = f"tiktok: {str(error.get('message', ''))[:300]} ({code or response.status_code})"
        if code in DISPLAY_RATE_LIMIT or response.status_code == 429:
            return RateLimited(text, retry_after=retry_after)
        if response.status_code >= 500 or code == "internal_error":
            return TransientError(text, retry_after=retry_after)
        if code in DISPLAY_AUTH or response.status_code == 401:
            return AuthError(text)
        return PermanentError(text)

    # -- metrics ------------------------------------------------------------------------------

    def fetch_post_metrics(self, posts: Sequence[PostRef]) -> list[PostCounters]:
        ids = unique_external_ids(posts)
        if self.uses_business_api:
            return self._business_metrics(ids)
        return self._display_metrics(ids)

    def _display_metrics(self, ids: list[str]) -> list[PostCounters]:
        results: list[PostCounters] = []
        for chunk in in_chunks(ids, DISPLAY_IDS_PER_CALL):
            body = self.request_json(
                "POST", f"{DISPLAY_URL}/video/query/",
                params={"fields": DISPLAY_FIELDS},
                json={"filters": {"video_ids": chunk}},
            )
            for video_id, video in returned_items(
                chunk, _videos(body), id_field="id", log=logger, platform=self.platform
            ):
                counters = _map(video_id, video, DISPLAY_MAP)
                counters.mark_missing(
                    ["reach"], "the TikTok Display API does not report reach (Business API only)"
                )
                results.append(counters.finalize("not reported by the TikTok Display API"))
        return results

    def _business_metrics(self, ids: list[str]) -> list[PostCounters]:
        results: list[PostCounters] = []
        for chunk in in_chunks(ids, BUSINESS_IDS_PER_CALL):
            body = self.request_json(
                "GET", f"{BUSINESS_URL}/business/video/list/",
                params={
                    "business_id": self.account_id,
                    "fields": json.dumps(BUSINESS_FIELDS),
                    "filters": json.dumps({"video_ids": chunk}),
                },
            )
            for video_id, video in returned_items(
                chunk, _videos(body), id_field="item_id", log=logger, platform=self.platform
            ):
                counters = _map(video_id, video, BUSINESS_MAP)
                results.append(counters.finalize("not reported by the TikTok Business API"))
        return results

    # -- comments -----------------------------------------------------------------------------

    def fetch_comments(self, post: PostRef) -> list[FetchedComment]:
        if not self.uses_business_api:
            logger.info(
                "tiktok: comments of %s not fetched: the Display API does not list comments",
                post.external_id,
            )
            return []
        comments: list[FetchedComment] = []
        cursor: int | str | None = None
        for _page in range(MAX_COMMENT_PAGES):
            params: dict[str, Any] = {
                "business_id": self.account_id, "video_id": post.external_id, "max_count": 30,
            }
            if cursor is not None:
                params["cursor"] = cursor
            try:
                body = self.request_json(
                    "GET", f"{BUSINESS_URL}/business/comment/list/", params=params
                )
            except PermanentError as exc:
                logger.warning("tiktok: comments of %s skipped: %s", post.external_id, exc)
                return comments
            data = (body or {}).get("data") or {}
            for item in data.get("comments") or []:
                comment = fetched_comment(
                    item.get("comment_id"), item.get("text"), item.get("create_time")
                )
                if comment is not None:
                    comments.append(comment)
            next_cursor = data.get("cursor")
            if not data.get("has_more") or next_cursor is None or next_cursor == cursor:
                return comments
            cursor = next_cursor
        logger.warning("tiktok: comments of %s truncated", post.external_id)
        return comments

    # -- account ------------------------------------------------------------------------------

    def fetch_account(self) -> AccountStats:
        if self.uses_business_api:
            body = self.request_json(
                "GET", f"{BUSINESS_URL}/business/get/",
                params={"business_id": self.account_id, "fields": json.dumps(["followers_count"])},
            )
            followers = to_count(((body or {}).get("data") or {}).get("followers_count"))
        else:
            body = self.request_json(
                "GET", f"{DISPLAY_URL}/user/info/", params={"fields": "open_id,follower_count"}
            )
            user = ((body or {}).get("data") or {}).get("user") or {}
            followers = to_count(user.get("follower_count"))
        if followers is None:
            return AccountStats(
                None, "TikTok returned no follower count (is user.info.stats granted?)"
            )
        return AccountStats(followers)


def _videos(body: Any) -> list[dict[str, Any]]:
    return ((body or {}).get("data") or {}).get("videos") or []


def _map(video_id: str, video: dict[str, Any], mapping: dict[str, str]) -> PostCounters:
    counters = PostCounters(external_id=video_id)
    for field_name, counter in mapping.items():
        setattr(counters, counter, to_count(video.get(field_name)))
        counters.mark_missing([counter], f"TikTok returned no {field_name}")
    return counters
