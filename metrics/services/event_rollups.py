"""Comments and clicks into their daily rollups, as they are written.

A comment counts once under its post's rollup key (partnership, platform) on the local day it
was posted, with its current label; a change (relabelled, re-sent with a new time, deleted) is
the old row taken out and the new one put in. A post moved to another partnership or platform
takes its comments along (``comment_rollups_move``).

A click counts once under its link's partnership on its local day — as counted (not a bot),
unique, or bot. Clicks are only ever added: stored ones are never edited, and a link deleted
keeps its clicks (``link_delete`` only disables a link with clicks).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import TruncDate

from campaigns.models import TrackingLink
from metrics.models import ClickDayRollup, Comment, CommentDayRollup, PostRollupState
from metrics.selectors.frame import local_date
from metrics.selectors.post_facts import post_facts
from metrics.services.rollup_store import rollup_add, rows_upsert

# A comment as the rollups see it: (post, posted at, label).
CommentFact = tuple[int, dt.datetime, str]
# A stored click as the rollups see it: (link, occurred at, is bot, is unique).
ClickFact = tuple[int, dt.datetime, bool, bool]
COMMENT_KEY = ["partnership", "platform", "day", "sentiment"]


def _comment_keys(post_ids: set[int]) -> dict[int, tuple[int, int, str, zoneinfo.ZoneInfo]]:
    """(campaign, partnership, platform, time zone) each post's comments count under: its
    rollup state's key, or — a post counted for the first time — its facts, stored as a state
    without snapshots so a later move knows where its comments are."""
    facts = post_facts(post_ids)
    states = dict(
        (pk, (partnership, platform))
        for pk, partnership, platform in PostRollupState.objects.filter(pk__in=post_ids)
        .values_list("pk", "partnership_id", "platform")
    )
    new_states = []
    keys = {}
    for post_id, fact in facts.items():
        if post_id not in states:
            states[post_id] = (fact.partnership_id, fact.platform)
            new_states.append((post_id, fact.campaign_id, fact.partnership_id, fact.platform,
                               fact.followers))
        partnership, platform = states[post_id]
        keys[post_id] = (fact.campaign_id, partnership, platform, fact.tz)
    rows_upsert(PostRollupState, ["post"],
                ["campaign", "partnership_id", "platform", "followers"], new_states)
    return keys


def comment_rollups_change(*, removed: Iterable[CommentFact] = (),
                           added: Iterable[CommentFact] = ()) -> None:
    """Take ``removed`` comments out of the rollups and put ``added`` ones in."""
    changes = [(fact, -1) for fact in removed] + [(fact, 1) for fact in added]
    if not changes:
        return
    keys = _comment_keys({fact[0] for fact, _ in changes})
    amounts: dict[tuple, list[int]] = defaultdict(lambda: [0])
    campaign_of = {}
    for (post_id, posted_at, sentiment), sign in changes:
        if post_id not in keys:  # the post is gone: its comments went with it
            continue
        campaign, partnership, platform, tz = keys[post_id]
        amounts[(partnership, platform, posted_at.astimezone(tz).date(), sentiment)][0] += sign
        campaign_of[partnership] = campaign
    rollup_add(CommentDayRollup, COMMENT_KEY, ["comments"], amounts, campaign_of=campaign_of)


def comment_rollups_move(post_id: int, tz: zoneinfo.ZoneInfo,
                         old: tuple[int, int, str], new: tuple[int, int, str] | None) -> None:
    """Move a post's comment counts from the ``old`` (campaign, partnership, platform) key to
    the ``new`` one (None: the post is being deleted)."""
    counts = (
        Comment.objects.filter(post_id=post_id)
        .annotate(day=TruncDate("posted_at", tzinfo=tz))
        .values("day", "sentiment").annotate(n=Count("pk")).values_list("day", "sentiment", "n")
    )
    amounts: dict[tuple, list[int]] = defaultdict(lambda: [0])
    campaign_of = {}
    for day, sentiment, n in counts:
        for key, sign in ((old, -1), (new, 1)):
            if key is None:
                continue
            campaign, partnership, platform = key
            amounts[(partnership, platform, local_date(day), sentiment)][0] += sign * n
            campaign_of[partnership] = campaign
    rollup_add(CommentDayRollup, COMMENT_KEY, ["comments"], amounts, campaign_of=campaign_of)


def _link_keys(link_ids: set[int]) -> dict[int, tuple[int, int, zoneinfo.ZoneInfo]]:
    return {
        pk: (campaign, partnership, zoneinfo.ZoneInfo(tzname))
        for pk, campaign, partnership, tzname in TrackingLink.objects.filter(pk__in=link_ids)
        .values_list("pk", "partnership__campaign_id", "partnership_id",
                     "partnership__campaign__brand__organization__time_zone")
    }


def click_rollups_add(clicks: Iterable[ClickFact]) -> None:
    """Count newly stored clicks (one query for their links, one upsert)."""
    clicks = list(clicks)
    if not clicks:
        return
    links = _link_keys({link for link, *_ in clicks})
    amounts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    campaign_of = {}
    for link, occurred_at, is_bot, is_unique in clicks:
        if link not in links:
            continue
        campaign, partnership, tz = links[link]
        row = amounts[(partnership, occurred_at.astimezone(tz).date())]
        if is_bot:
            row[2] += 1
        else:
            row[0] += 1
            row[1] += int(is_unique)
        campaign_of[partnership] = campaign
    rollup_add(ClickDayRollup, ["partnership", "day"], ["clicks", "unique_clicks", "bot_clicks"],
               amounts, campaign_of=campaign_of)
