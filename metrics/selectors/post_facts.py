"""The facts a post's KPI contributions are keyed and valued by: its campaign, partnership,
platform, organization time zone and follower basis (``metrics.services.post_rollups``)."""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from campaigns.models import Post
from metrics.models import FollowerSnapshot


@dataclass(frozen=True)
class PostFacts:
    """What a post's contributions are keyed and valued by."""

    campaign_id: int
    partnership_id: int
    platform: str
    followers: int | None
    tz: zoneinfo.ZoneInfo

    @property
    def key(self) -> tuple[int, str, int | None]:
        return self.partnership_id, self.platform, self.followers


def post_facts(post_ids: Iterable[int]) -> dict[int, PostFacts]:
    """Each post's campaign, partnership, platform, time zone and follower basis (its account's
    count on the local day of publication: the latest snapshot on or before it, else the
    account's count; none without an account) — as the SQL of a full recompute takes it."""
    rows = list(
        Post.objects.filter(pk__in=set(post_ids)).values_list(
            "pk", "partnership__campaign_id", "partnership_id", "platform", "social_account_id",
            "social_account__followers", "published_at",
            "partnership__campaign__brand__organization__time_zone",
        )
    )
    history: dict[int, tuple[list[dt.date], list[int]]] = {}
    accounts = {row[4] for row in rows if row[4] is not None}
    for account, day, count in (
        FollowerSnapshot.objects.filter(social_account_id__in=accounts)
        .order_by("social_account_id", "date").values_list("social_account_id", "date", "followers")
    ):
        days, counts = history.setdefault(account, ([], []))
        days.append(day)
        counts.append(count)
    facts = {}
    for pk, campaign, partnership, platform, account, current, published, tzname in rows:
        tz = zoneinfo.ZoneInfo(tzname)
        followers = None
        if account is not None:
            followers = current
            if published is not None and account in history:
                days, counts = history[account]
                index = bisect.bisect_right(days, published.astimezone(tz).date())
                if index:
                    followers = counts[index - 1]
        facts[pk] = PostFacts(campaign, partnership, platform, followers, tz)
    return facts
