"""Reads of the creator pages that involve metrics: the directory with each creator's
engagement rate, and the profile with follower history, post metrics, audience-quality flags
and past campaigns' KPI documents (through ``snapshots``, the one reader of stored KPIs).

Engagement figures read each post's most recent PostMetrics snapshot (one grouped query), so
a directory or profile runs a fixed number of queries whatever the number of posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import Access, visible
from campaigns.models import Partnership
from campaigns.selectors import kpi_document_for
from influencers import quality
from influencers.models import Influencer, SocialAccount
from influencers.selectors import DirectoryFilters, creators_matching, influencer_for
from metrics.models import FollowerSnapshot, PostMetrics
from metrics.selectors import snapshots


def latest_metrics(organization: Organization) -> QuerySet[PostMetrics]:
    """Each post's most recent metrics snapshot, within the organization."""
    latest = (
        PostMetrics.objects.filter(post=OuterRef("post"))
        .order_by("-captured_at")
        .values("captured_at")[:1]
    )
    return PostMetrics.objects.filter(
        post__partnership__campaign__brand__organization=organization,
        captured_at=Subquery(latest),
    )


def follower_histories(account_ids: Iterable[int]) -> dict[int, list[tuple[date, int]]]:
    """``{account: [(date, followers), ...]}`` in date order (one query)."""
    histories: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for account_id, day, followers in (
        FollowerSnapshot.objects.filter(social_account_id__in=list(account_ids))
        .order_by("date")
        .values_list("social_account_id", "date", "followers")
    ):
        histories[account_id].append((day, followers))
    return histories


def engagement_by_influencer(organization: Organization) -> dict[int, float | None]:
    """Each creator's engagement rate by followers, defined once
    (``quality.engagement_rate_by_followers``, the KPI engine's ``engagement_rate_followers``):
    their posts' engagements ÷ the posting account's followers when each post was published,
    the same number the profile shows (two queries)."""
    rows = list(
        latest_metrics(organization).values(
            "post__partnership__influencer_id", "post__social_account_id",
            "post__social_account__followers", "post__published_at",
            "likes", "comments", "shares", "saves",
        )
    )
    histories = follower_histories(
        {r["post__social_account_id"] for r in rows if r["post__social_account_id"]}
    )
    posts: dict[int, list[quality.PostEngagement]] = defaultdict(list)
    for row in rows:
        account_id = row["post__social_account_id"]
        published = row["post__published_at"]
        posts[row["post__partnership__influencer_id"]].append(
            quality.PostEngagement(
                quality.engagements(row["likes"], row["comments"], row["shares"], row["saves"]),
                _followers_at(
                    histories.get(account_id, []), published.date() if published else None,
                    row["post__social_account__followers"],
                ) if account_id else None,
            )
        )
    return {
        influencer_id: quality.engagement_rate_by_followers(items)
        for influencer_id, items in posts.items()
    }

def directory(access: Access, filters: DirectoryFilters) -> list[dict[str, Any]]:
    """Creators matching the filters, biggest audience first, with their engagement rate."""
    creators = creators_matching(access, filters)
    rates = engagement_by_influencer(access.organization)
    rows = []
    for creator in creators:
        rate = rates.get(creator.pk)
        if filters.min_engagement is not None and (rate is None or rate < filters.min_engagement):
            continue
        rows.append({"influencer": creator, "engagement_rate": rate})
    return rows


# --- Profile ----------------------------------------------------------------------------------
@dataclass
class AccountView:
    account: SocialAccount
    history: list[tuple[date, int]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    flags: list[quality.Flag] = field(default_factory=list)
    rate_followers: float | None = None
    rate_reach: float | None = None


@dataclass
class Profile:
    influencer: Influencer
    accounts: list[AccountView]
    rate_followers: float | None
    rate_reach: float | None
    posts_measured: int
    campaigns: list[dict[str, Any]]


def _followers_at(history: list[tuple[date, int]], day: date | None, fallback: int | None) -> int | None:
    if day is not None:
        before = [count for snapshot_day, count in history if snapshot_day <= day]
        if before:
            return before[-1]
    return fallback


def _rates(posts: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """(rate by followers, rate by reach) with the KPI engine's definitions."""
    by_followers = quality.engagement_rate_by_followers(
        quality.PostEngagement(p["engagements"], p["followers_at"]) for p in posts
    )
    with_reach = [p for p in posts if p["reach"] is not None]
    reach = sum(p["reach"] for p in with_reach)
    engaged = [p["engagements"] for p in with_reach if p["engagements"] is not None]
    by_reach = sum(engaged) / reach * 100 if engaged and reach else None
    return by_followers, by_reach


def influencer_profile(access: Access, pk: Any) -> Profile:
    """The creator, their accounts with follower history and quality flags, engagement rates
    and past campaigns with results (six queries)."""
    influencer = influencer_for(access, pk)
    accounts = list(SocialAccount.objects.filter(influencer=influencer).order_by("platform", "handle"))
    histories = follower_histories(a.pk for a in accounts)
    metrics = (
        latest_metrics(access.organization)
        .filter(post__partnership__influencer=influencer)
        .values(
            "post_id", "post__social_account_id", "post__platform", "post__published_at",
            "post__url", "likes", "comments", "shares", "saves", "reach",
        )
        .order_by("post__published_at")
    )
    followers_now = {a.pk: a.followers for a in accounts}
    posts_by_account: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    all_posts = []
    for row in metrics:
        account_id = row["post__social_account_id"]
        published = row["post__published_at"]
        post = {
            "id": row["post_id"],
            "platform": row["post__platform"],
            "published_at": published,
            "url": row["post__url"],
            "likes": row["likes"],
            "comments": row["comments"],
            "reach": row["reach"],
            "engagements": quality.engagements(
                row["likes"], row["comments"], row["shares"], row["saves"]
            ),
            "followers_at": _followers_at(
                histories.get(account_id, []) if account_id else [],
                published.date() if published else None,
                followers_now.get(account_id) if account_id else None,
            ),
        }
        posts_by_account[account_id].append(post)
        all_posts.append(post)
    views = []
    for account in accounts:
        posts = posts_by_account.get(account.pk, [])
        history = histories.get(account.pk, [])
        stats = [
            quality.PostStats(
                likes=p["likes"], comments=p["comments"],
                label=(
                    _("Post of %(date)s") % {"date": f"{p['published_at']:%Y-%m-%d}"}
                    if p["published_at"] else _("Post #%(id)s") % {"id": p["id"]}
                ),
            )
            for p in posts
        ]
        rate_followers, rate_reach = _rates(posts)
        views.append(
            AccountView(
                account=account, history=history, posts=posts,
                flags=quality.audience_flags(
                    handle=account.handle, followers=account.followers, history=history, posts=stats
                ),
                rate_followers=rate_followers, rate_reach=rate_reach,
            )
        )
    rate_followers, rate_reach = _rates(all_posts)
    return Profile(
        influencer=influencer,
        accounts=views,
        rate_followers=rate_followers,
        rate_reach=rate_reach,
        posts_measured=len(all_posts),
        campaigns=past_campaigns(access, influencer),
    )


def past_campaigns(access: Access, influencer: Influencer) -> list[dict[str, Any]]:
    """The creator's partnerships with their campaign and KPI results (two queries)."""
    partnerships = list(
        visible(access, Partnership)
        .filter(influencer=influencer)
        .select_related("campaign__brand")
        .order_by("-campaign__start_date")
    )
    documents = snapshots.partnership_documents((p.campaign_id, p.pk) for p in partnerships)
    return [
        {
            "partnership": p,
            "doc": kpi_document_for(
                access, documents.get((p.campaign_id, str(p.pk))) or {}, partnership=True
            ),
        }
        for p in partnerships
    ]
