"""``connection_sync``: fetch a connected account's posts, comments and followers and write them
through the same ingestion services as the API (idempotent on their natural keys).

Network first, outside any transaction; then one transaction writes everything and stamps the
connection. Snapshots are taken at the start of the hour, so a retry or a "sync now" within the
hour rewrites the same rows instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone

from campaigns.models import CampaignStatus, Post
from metrics.connectors.base import (
    AccountStats,
    AuthError,
    Connector,
    PermanentError,
    PostCounters,
    PostRef,
)
from metrics.connectors.crypto import token_decrypt
from metrics.connectors.instagram import InstagramConnector
from metrics.connectors.oauth import needs_refresh, token_refresh
from metrics.connectors.services import connection_mark_synced, connection_store_tokens
from metrics.connectors.tiktok import TikTokConnector
from metrics.connectors.youtube import YouTubeConnector
from metrics.models import COUNTERS, ConnectionStatus, PlatformConnection, Source
from metrics.services.ingestion import (
    comments_ingest,
    follower_snapshots_ingest,
    post_metrics_ingest,
)
from metrics.validation import comment_errors, has_counters

logger = logging.getLogger(__name__)

CONNECTORS: dict[str, type[Connector]] = {
    "instagram": InstagramConnector,
    "youtube": YouTubeConnector,
    "tiktok": TikTokConnector,
}
# Posts keep earning views after a campaign ends; keep refreshing them this long afterwards.
AFTER_CAMPAIGN = dt.timedelta(days=60)


@dataclass
class SyncResult:
    posts: int = 0
    metrics_created: int = 0
    metrics_updated: int = 0
    comments_created: int = 0
    comments_updated: int = 0
    followers: int | None = None
    notes: list[str] = field(default_factory=list)


def snapshot_time(now: dt.datetime) -> dt.datetime:
    return now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def connector_for(
    connection: PlatformConnection, access_token: str, *, session: requests.Session | None = None
) -> Connector:
    try:
        connector_class = CONNECTORS[connection.platform]
    except KeyError:
        raise PermanentError(f"{connection.platform}: no connector for this platform") from None
    return connector_class(
        access_token=access_token,
        account_id=connection.external_account_id,
        scopes=connection.scopes,
        session=session,
    )


def connection_access_token(
    *, connection: PlatformConnection, now: dt.datetime, session: requests.Session | None = None
) -> str:
    """The decrypted access token, refreshed first when it expires within the platform's
    margin (the new tokens are stored before anything else happens)."""
    access = token_decrypt(connection.encrypted_access_token)
    if not access:
        raise AuthError(f"{connection.platform}: no token stored; connect the account again")
    if needs_refresh(platform=connection.platform, expires_at=connection.token_expires_at, now=now):
        tokens = token_refresh(
            platform=connection.platform,
            access_token=access,
            refresh_token=token_decrypt(connection.encrypted_refresh_token),
            now=now,
            session=session,
        )
        connection_store_tokens(connection=connection, tokens=tokens)
        access = tokens.access_token
    return access


def posts_to_sync(connection: PlatformConnection, *, today: dt.date) -> list[Post]:
    """The account's posts in campaigns still worth refreshing. Brand accounts have no posts of
    their own in Funnelboard (creators publish them), so they sync followers only."""
    if connection.social_account_id is None:
        return []
    return list(
        Post.objects.filter(
            social_account_id=connection.social_account_id,
            platform=connection.platform,
            partnership__campaign__brand__organization_id=connection.organization_id,
            partnership__campaign__end_date__gte=today - AFTER_CAMPAIGN,
        )
        .exclude(external_id="")
        .exclude(partnership__campaign__status=CampaignStatus.ARCHIVED)
        .order_by("pk")
    )


def connection_sync(
    *,
    connection: PlatformConnection,
    now: dt.datetime | None = None,
    session: requests.Session | None = None,
) -> SyncResult:
    """Fetch and store one account's data. Raises ``ConnectorError`` subclasses (transient ones
    are retried by the task); stores nothing unless every fetch succeeded."""
    if connection.status == ConnectionStatus.REVOKED:
        raise PermanentError("the account was disconnected")
    now = now or timezone.now()
    organization = connection.organization
    access = connection_access_token(connection=connection, now=now, session=session)
    connector = connector_for(connection, access, session=session)

    posts = posts_to_sync(connection, today=now.astimezone(organization.tzinfo).date())
    by_external: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_external[post.external_id].append(post)
    refs = [
        PostRef(external_id=external_id, post_type=group[0].post_type,
                published_at=group[0].published_at)
        for external_id, group in by_external.items()
    ]

    counters = connector.fetch_post_metrics(refs) if refs else []
    comments = {ref.external_id: connector.fetch_comments(ref) for ref in refs}
    account = connector.fetch_account()

    captured_at = snapshot_time(now)
    metric_items: list[dict[str, Any]] = []
    for post_counters in counters:
        _log_missing(connection, post_counters)
        if not has_counters(post_counters.values()):
            continue  # the rules refuse a snapshot of nothing; skip it, keep the rest
        for post in by_external.get(post_counters.external_id, []):
            metric_items.append({"post": post, "captured_at": captured_at,
                                 **{name: getattr(post_counters, name) for name in COUNTERS}})
    comment_items = _valid_comments(connection, [
        {"post": post, "external_id": c.external_id, "text": c.text, "posted_at": c.posted_at}
        for external_id, fetched in comments.items()
        for post in by_external[external_id]
        for c in fetched
    ])
    follower_items = _follower_items(connection, account, now)

    result = SyncResult(posts=len(posts), followers=account.followers)
    with transaction.atomic():
        if metric_items:
            result.metrics_created, result.metrics_updated = post_metrics_ingest(
                organization=organization, items=metric_items, source=Source.CONNECTOR
            )
        if comment_items:
            result.comments_created, result.comments_updated = comments_ingest(
                organization=organization, items=comment_items, source=Source.CONNECTOR
            )
        if follower_items:
            follower_snapshots_ingest(
                organization=organization, items=follower_items, source=Source.CONNECTOR
            )
        _store_paid_partnership(counters, by_external)
        connection_mark_synced(connection=connection, now=now)
    if account.followers is None:
        result.notes.append(f"followers not stored: {account.reason}")
        logger.info("connection %s: followers not stored: %s", connection.pk, account.reason)
    logger.info(
        "connection %s synced: %d posts, %d+%d metrics, %d+%d comments",
        connection.pk, result.posts, result.metrics_created, result.metrics_updated,
        result.comments_created, result.comments_updated,
    )
    return result


def _store_paid_partnership(
    counters: list[PostCounters], by_external: dict[str, list[Any]]
) -> None:
    """The platform's paid-partnership label on each post it reported one for (the caption
    check counts it as a disclosure); a post it said nothing about keeps what it had."""
    for flag in (True, False):
        ids = [post.pk for c in counters if c.paid_partnership is flag
               for post in by_external.get(c.external_id, [])]
        if ids:
            Post.objects.filter(pk__in=ids).exclude(paid_partnership=flag).update(
                paid_partnership=flag
            )


def _valid_comments(
    connection: PlatformConnection, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The comments the rules accept. One a platform sends without text (a sticker, a
    deleted comment) is left out and logged rather than failing the whole sync."""
    valid = []
    for item in items:
        if errors := comment_errors(item):
            logger.info(
                "connection %s comment %s left out: %s", connection.pk, item["external_id"],
                errors,
            )
        else:
            valid.append(item)
    return valid


def _follower_items(
    connection: PlatformConnection, account: AccountStats, now: dt.datetime
) -> list[dict[str, Any]]:
    if account.followers is None:
        return []
    day = now.astimezone(connection.organization.tzinfo).date()
    if connection.social_account_id is not None:
        return [{"social_account": connection.social_account, "date": day,
                 "followers": account.followers}]
    return [{"brand_account": connection.brand_account, "date": day,
             "followers": account.followers}]


def _log_missing(connection: PlatformConnection, counters: PostCounters) -> None:
    if counters.missing:
        reasons = "; ".join(f"{name}: {why}" for name, why in sorted(counters.missing.items()))
        logger.info(
            "connection %s post %s: NULL counters (%s)", connection.pk, counters.external_id,
            reasons,
        )
