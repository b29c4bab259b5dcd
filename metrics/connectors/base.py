"""The connector interface: what every platform module fetches and the plain records it returns.

A connector is built from a connection's platform account id and its decrypted access token.
It fetches, per post, the cumulative counters of PostMetrics, the post's comments (all pages) and
the account's follower count. A counter the platform did not report is ``None`` — never 0 — and
``missing`` says why; the reasons are logged by the sync. No Django import here: connectors are
plain HTTP clients, tested with recorded responses.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

logger = logging.getLogger(__name__)

_TOKEN_IN_URL = re.compile(r"((?:access_token|client_secret|refresh_token|code)=)[^&\s\"']+")


class RedactTokensFilter(logging.Filter):
    """urllib3 logs request URLs at DEBUG; Instagram's token travels in the query string. This
    filter rewrites such records so a DEBUG log level never writes a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN_IN_URL.sub(r"\1[redacted]", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_urllib3_logger = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, RedactTokensFilter) for f in _urllib3_logger.filters):
    _urllib3_logger.addFilter(RedactTokensFilter())

COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
MAX_COMMENT_PAGES = 50  # a runaway cursor must not spin forever


@dataclass(frozen=True)
class PostRef:
    """What a connector needs to know of one of our posts."""

    external_id: str
    post_type: str = "post"
    published_at: dt.datetime | None = None


@dataclass
class PostCounters:
    """One post's counters as the platform reported them now; ``None`` = not reported."""

    external_id: str
    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    mentions: int | None = None
    link_clicks: int | None = None
    # Not a counter: the platform's paid-partnership label, when it reports one.
    paid_partnership: bool | None = None
    missing: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in COUNTERS}

    def has_any(self) -> bool:
        return any(value is not None for value in self.values().values())

    def mark_missing(self, names: Sequence[str], reason: str) -> None:
        """Record why counters are NULL (only those still unset; a value always wins)."""
        for name in names:
            if getattr(self, name) is None:
                self.missing.setdefault(name, reason)

    def finalize(self, default_reason: str) -> PostCounters:
        """Every still-unset counter gets a reason, so nothing is NULL without one."""
        self.mark_missing(COUNTERS, default_reason)
        return self


@dataclass(frozen=True)
class FetchedComment:
    external_id: str
    text: str
    posted_at: dt.datetime


@dataclass(frozen=True)
class AccountStats:
    followers: int | None
    reason: str = ""


# --- errors ---------------------------------------------------------------------------------


class ConnectorError(Exception):
    """A platform call failed. ``str(exc)`` is safe to show and store: it never holds a token."""


class TransientError(ConnectorError):
    """Worth retrying later: 5xx, timeouts, connection resets, rate limits and quotas."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TransientError):
    """429 or a platform's rate-limit/quota error."""


class AuthError(ConnectorError):
    """The token was rejected, expired or revoked: the account must be reconnected."""


class PermanentError(ConnectorError):
    """A request the platform will never answer (bad id, missing permission): do not retry."""


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_seconds(
    attempt: int, *, retry_after: float | None = None, base: float = 60.0, cap: float = 6 * 3600
) -> float:
    """Exponential backoff with jitter for retry ``attempt`` (0-based), never sooner than the
    platform's ``Retry-After``. Jitter keeps many throttled accounts from retrying in lockstep."""
    ceiling = min(cap, base * (2**attempt))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not security)
    if retry_after is not None:
        delay = max(delay, retry_after + random.uniform(0, min(60.0, ceiling / 4)))
    return delay


def to_count(value: Any) -> int | None:
    """A platform count as an int (YouTube sends strings); anything else unusable is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value >= 0 and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.isdigit():
            return int(text)
    return None


def parse_timestamp(value: Any) -> dt.datetime | None:
    """ISO 8601 (``2025-03-02T12:00:00+0000``, ``…Z``) or Unix seconds → aware UTC datetime."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def fetched_comment(comment_id: Any, text: Any, timestamp: Any) -> FetchedComment | None:
    """One platform comment as our record; ``None`` (skip it) without an id or a usable time."""
    posted_at = parse_timestamp(timestamp)
    if not comment_id or posted_at is None:
        return None
    return FetchedComment(external_id=str(comment_id), text=str(text or ""), posted_at=posted_at)


# --- batched post lookups -------------------------------------------------------------------


def unique_external_ids(posts: Sequence[PostRef]) -> list[str]:
    """The posts' platform ids, each once, in order."""
    return list(dict.fromkeys(post.external_id for post in posts))


def in_chunks(ids: list[str], size: int) -> Iterator[list[str]]:
    """``ids`` in slices of at most ``size``: one platform call each."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def returned_items(
    requested: Iterable[str],
    items: Iterable[dict[str, Any]],
    *,
    id_field: str,
    log: logging.Logger,
    platform: str,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, item)`` for each requested video the platform answered for, in request order;
    one it left out (deleted or private) is logged and skipped."""
    found = {str(item.get(id_field)): item for item in items}
    for video_id in requested:
        item = found.get(video_id)
        if item is None:
            log.warning("%s: video %s not returned (deleted or private)", platform, video_id)
            continue
        yield video_id, item


# --- the interface --------------------------------------------------------------------------


class Connector(ABC):
    """One platform's client. Subclasses set ``platform`` and implement the three fetches and
    ``classify_error`` (which turns a platform error body into the right exception)."""

    platform: str = ""

    def __init__(
        self,
        *,
        access_token: str,
        account_id: str,
        scopes: str = "",
        session: requests.Session | None = None,
    ) -> None:
        self._token = access_token
        self.account_id = account_id
        self.scopes = {s.strip() for s in scopes.replace(",", " ").split() if s.strip()}
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never the token
        return f"<{type(self).__name__} account={self.account_id}>"

    @abstractmethod
    def fetch_post_metrics(self, posts: Sequence[PostRef]) -> list[PostCounters]:
        """Counters of each post that the platform still knows; unknown posts are left out
        (and logged)."""

    @abstractmethod
    def fetch_comments(self, post: PostRef) -> list[FetchedComment]:
        """Every comment of the post, following the platform's pagination."""

    @abstractmethod
    def fetch_account(self) -> AccountStats:
        """The account's follower (subscriber) count."""

    # -- HTTP ---------------------------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def classify_error(self, response: requests.Response, body: Any) -> ConnectorError:
        """The exception for a failed response; platform modules refine it."""
        return default_classification(response, self.platform)

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """JSON body of a successful call, else the classified ``ConnectorError``."""
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json,
                data=data,
                headers={**self.auth_headers(), **(headers or {})},
                timeout=DEFAULT_TIMEOUT,
            )
        except requests.Timeout:
            raise TransientError(f"{self.platform}: the request timed out") from None
        except requests.ConnectionError:
            raise TransientError(f"{self.platform}: could not reach the platform") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.ok and not self.body_is_error(body):
            return body
        raise self.classify_error(response, body)

    def body_is_error(self, body: Any) -> bool:
        """Some APIs answer 200 with an error inside (TikTok); overridden there."""
        return False


def default_classification(response: requests.Response, platform: str) -> ConnectorError:
    status = response.status_code
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if status == 429:
        return RateLimited(f"{platform}: rate limited (HTTP 429)", retry_after=retry_after)
    if status >= 500:
        return TransientError(f"{platform}: platform error (HTTP {status})", retry_after=retry_after)
    if status == 401:
        return AuthError(f"{platform}: the access token was rejected (HTTP 401)")
    return PermanentError(f"{platform}: request refused (HTTP {status})")


def redact(text: str, *secrets: str) -> str:
    """``text`` with every secret replaced, for anything stored or logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text
