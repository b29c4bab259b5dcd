"""Post snapshots into the daily rollups (``PostDayRollup``), as they are written.

Two ways in, both exact:

- **append** — every new snapshot of a post is later than the post's latest counted one
  (the common case: a connector or the API sending today's counters). The post's
  ``PostRollupState`` holds the counters carried to that snapshot, so each new snapshot adds
  only its delta (``metrics.post_deltas``) to its day: no history is read.
- **re-derive** — anything else: a late or out-of-order snapshot, a resent one with new
  values, a deletion, a post moved to another partnership or platform, a new follower basis.
  The post's contributions are recomputed from its history before and after the change
  (``day_deltas``), and the difference is added to the rollups — days before the change are
  left as they were, since their deltas do not change.

Callers: the ingestion service (``PostSnapshotWrite`` around its bulk upsert) and the model
signals (``metrics.rollup_signals``) for one-row saves and deletes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.db import transaction

from metrics.kpis import COUNTERS, POST_VECTOR
from metrics.models import PostDayRollup, PostMetrics, PostRollupState
from metrics.post_deltas import (
    NO_CARRY,
    Carry,
    carry_forward,
    day_deltas,
    delta,
    final_carry,
    state_of,
)
from metrics.selectors.post_facts import PostFacts, post_facts
from metrics.services.event_rollups import comment_rollups_move
from metrics.services.rollup_store import rollup_add, rows_upsert

History = list[tuple[dt.datetime, dict[str, int | None]]]
RollupKey = tuple[int, str, dt.date]
STATE_FIELDS = ("campaign", "partnership_id", "platform", "followers", "captured_at", *COUNTERS)


def post_histories(post_ids: Iterable[int]) -> dict[int, History]:
    """Each post's snapshots (time, counters), in one query."""
    histories: dict[int, History] = defaultdict(list)
    for post_id, captured_at, *values in PostMetrics.objects.filter(
        post_id__in=set(post_ids)
    ).order_by().values_list("post", "captured_at", *COUNTERS):
        histories[post_id].append((captured_at, dict(zip(COUNTERS, values, strict=True))))
    return histories


class StateRow(NamedTuple):
    """A post's ``PostRollupState`` as the upkeep reads it: a tuple, not a model instance (a
    batch of 10,000 snapshots reads 10,000 states)."""

    pk: int
    campaign_id: int
    partnership_id: int
    platform: str
    followers: int | None
    captured_at: dt.datetime | None
    counters: tuple[int | None, ...]


def _locked_states(post_ids: Iterable[int]) -> dict[int, StateRow]:
    rows = (
        PostRollupState.objects.select_for_update().filter(pk__in=set(post_ids))
        .values_list("pk", "campaign_id", "partnership_id", "platform", "followers",
                     "captured_at", *COUNTERS)
    )
    return {
        pk: StateRow(pk, campaign, partnership, platform, followers, captured_at, tuple(counters))
        for pk, campaign, partnership, platform, followers, captured_at, *counters in rows
    }


class _Amounts:
    """Rollup amounts being gathered, per (partnership, platform, day)."""

    def __init__(self) -> None:
        self.by_key: dict[RollupKey, list[int]] = defaultdict(lambda: [0] * len(POST_VECTOR))
        self.campaign_of: dict[int, int] = {}

    def add(self, key: RollupKey, vector: Iterable[int], campaign: int, sign: int = 1) -> None:
        into = self.by_key[key]
        for i, value in enumerate(vector):
            into[i] += sign * value
        self.campaign_of[key[0]] = campaign

    def add_history(self, history: History, partnership: int, platform: str,
                    followers: int | None, tz: zoneinfo.ZoneInfo, campaign: int,
                    sign: int) -> None:
        for day, vector in day_deltas(history, followers, tz).items():
            self.add((partnership, platform, day), vector, campaign, sign)

    def save(self) -> None:
        rollup_add(PostDayRollup, ["partnership", "platform", "day"], POST_VECTOR,
                   self.by_key, campaign_of=self.campaign_of)


def _state_row(post_id: int, facts: PostFacts, captured_at: dt.datetime | None,
               carry: Carry) -> tuple[Any, ...]:
    return (post_id, facts.campaign_id, facts.partnership_id, facts.platform, facts.followers,
            captured_at, *carry)


def _states_save(rows: list[tuple[Any, ...]]) -> None:
    rows_upsert(PostRollupState, ["post"], STATE_FIELDS, rows)


@transaction.atomic
def post_rollups_rederive(
    post_ids: Iterable[int],
    *,
    old_histories: Mapping[int, History] | None = None,
    removed: bool = False,
    loaded: tuple[dict[int, StateRow], dict[int, PostFacts]] | None = None,
) -> None:
    """Bring the posts' rollup contributions to their current history and facts.
    ``old_histories``: what each post's history was when its contributions were last counted
    (default: unchanged, as when only its facts changed); ``removed``: the posts are being
    deleted, so their contributions are taken out and their states dropped; ``loaded``: their
    states (locked) and facts, when the caller has them already."""
    post_ids = set(post_ids)
    if not post_ids:
        return
    states, facts = loaded or (_locked_states(post_ids), post_facts(post_ids))
    current = post_histories(post_ids)
    old_histories = old_histories or {}
    amounts = _Amounts()
    state_rows = []
    for post_id in post_ids:
        fact = facts.get(post_id)
        state = states.get(post_id)
        history = current.get(post_id, [])
        if fact is None:  # already gone: its rollup rows went with its partnership
            continue
        if state is not None and state.captured_at is not None:
            old = old_histories.get(post_id, history)
            amounts.add_history(old, state.partnership_id, state.platform, state.followers,
                                fact.tz, state.campaign_id, -1)
        if state is not None and (
            removed or (state.partnership_id, state.platform) != fact.key[:2]
        ):
            comment_rollups_move(
                post_id, fact.tz, (state.campaign_id, state.partnership_id, state.platform),
                None if removed else (fact.campaign_id, fact.partnership_id, fact.platform),
            )
        if removed:
            continue
        amounts.add_history(history, fact.partnership_id, fact.platform, fact.followers,
                            fact.tz, fact.campaign_id, 1)
        latest = max((captured_at for captured_at, _ in history), default=None)
        state_rows.append(_state_row(post_id, fact, latest, final_carry(history)))
    amounts.save()
    if removed:
        PostRollupState.objects.filter(pk__in=post_ids).delete()
    _states_save(state_rows)


def post_rollups_refresh_facts(post_ids: Iterable[int]) -> None:
    """Re-derive the posts whose partnership, platform or follower basis changed since their
    contributions were counted (a post edited, a creator's follower count corrected)."""
    post_ids = set(post_ids)
    if not post_ids:
        return
    facts = post_facts(post_ids)
    changed = [
        pk for pk, partnership, platform, followers in PostRollupState.objects.filter(
            pk__in=post_ids).values_list("pk", "partnership_id", "platform", "followers")
        if pk in facts and facts[pk].key != (partnership, platform, followers)
    ]
    post_rollups_rederive(changed)


class PostSnapshotWrite:
    """Rollup upkeep around a bulk write of snapshots: build it before the write (it locks the
    posts' states and keeps the histories a re-derive needs), call ``finish`` after."""

    def __init__(self, snapshots: Iterable[tuple[int, dt.datetime, Mapping[str, int | None]]]):
        self.by_post: dict[int, list[tuple[dt.datetime, Mapping[str, int | None]]]] = (
            defaultdict(list)
        )
        for post_id, captured_at, values in snapshots:
            self.by_post[post_id].append((captured_at, values))
        self.states = _locked_states(self.by_post)
        self.facts = post_facts(self.by_post)
        later = {
            post_id for post_id, items in self.by_post.items()
            if self._later(post_id, min(captured_at for captured_at, _ in items))
        }
        found = post_histories(set(self.by_post) - later)
        # A post's first snapshots append too, from nothing carried.
        self.appends = later | {
            post_id for post_id in set(self.by_post) - later
            if not found.get(post_id) and self._keyed_alike(post_id)
        }
        self.old_histories = {
            post_id: found.get(post_id, []) for post_id in set(self.by_post) - self.appends
        }

    def _later(self, post_id: int, first: dt.datetime) -> bool:
        """Every new snapshot is after the latest counted one, under unchanged facts."""
        state, fact = self.states.get(post_id), self.facts.get(post_id)
        return (
            state is not None and fact is not None and state.captured_at is not None
            and first > state.captured_at
            and fact.key == (state.partnership_id, state.platform, state.followers)
        )

    def _keyed_alike(self, post_id: int) -> bool:
        """Nothing counted yet, and any comments counted under the post's current key."""
        state, fact = self.states.get(post_id), self.facts.get(post_id)
        return fact is not None and (
            state is None or (state.captured_at is None
                              and (state.partnership_id, state.platform) == fact.key[:2])
        )

    def finish(self) -> None:
        amounts = _Amounts()
        state_rows = []
        for post_id in self.appends:
            state, fact = self.states.get(post_id), self.facts[post_id]
            carry: Carry = NO_CARRY if state is None else state.counters
            before = state_of(carry, fact.followers)
            items = sorted(self.by_post[post_id], key=lambda item: item[0])
            for captured_at, values in items:
                carry = carry_forward(carry, values)
                after = state_of(carry, fact.followers)
                day = captured_at.astimezone(fact.tz).date()
                amounts.add((fact.partnership_id, fact.platform, day), delta(before, after),
                            fact.campaign_id)
                before = after
            state_rows.append(_state_row(post_id, fact, items[-1][0], carry))
        amounts.save()
        _states_save(state_rows)
        post_rollups_rederive(self.old_histories, old_histories=self.old_histories,
                              loaded=(self.states, self.facts))

    def campaign_ids(self) -> set[int]:
        """The campaigns of the written posts (their KPIs to recompute)."""
        return {self.facts[post_id].campaign_id for post_id in self.by_post
                if post_id in self.facts}
