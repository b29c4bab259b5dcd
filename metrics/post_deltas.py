"""One post's counter deltas in Python: the arithmetic of
``metrics.selectors.post_aggregates.post_metric_deltas`` (which does it in SQL for a whole
campaign at once) for a single post, step by step.

A post's snapshots are cumulative and may leave counters out (NULL: not reported). Each counter
is *carried forward* — its latest reported value — and the derived quantities (effective
impressions, engagements beside reach or followers, the follower basis) are taken from the
carried values. A snapshot's *delta* is the change of that state, in the layout of
``metrics.selectors.post_aggregates.POST_VECTOR``: a value change and a "reporting" change (0 → 1 when a quantity is first
reported) per quantity, then the change of "impressions came from views". Summing a post's
deltas up to a day gives its state on that day; summing over posts gives the campaign's sums.

This is what lets a KPI rollup take a new snapshot by adding only its delta to its day: the
state after the post's latest snapshot (``carry``) is all it needs. ``day_deltas`` replays a
whole history (a late or corrected snapshot, a rebuild).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

from metrics.kpis import COUNTERS, ENGAGEMENT_COUNTERS, POST_QUANTITIES

# Counter values carried forward, in ``COUNTERS`` order (None: never reported yet).
Carry = tuple[int | None, ...]
# The derived state of a post: one value per ``POST_QUANTITIES`` (None: not reported), then
# 1 when its impressions are its views.
State = tuple[Any, ...]

NO_CARRY: Carry = (None,) * len(COUNTERS)
_INDEX = {name: i for i, name in enumerate(COUNTERS)}
_ENGAGEMENT = tuple(_INDEX[c] for c in ENGAGEMENT_COUNTERS)


def carry_forward(carry: Carry, values: Mapping[str, int | None]) -> Carry:
    """The carried counters after a snapshot: each reported value replaces the carried one."""
    return tuple(
        carried if (value := values.get(counter)) is None else value
        for counter, carried in zip(COUNTERS, carry, strict=True)
    )


def state_of(carry: Carry, followers: int | None) -> State:
    """The derived quantities of carried counters, as the SQL's ``engaged`` and ``derived``
    steps compute them; ``followers`` is the post's follower basis (its account's count at
    publication)."""
    engagement_parts = [carry[i] for i in _ENGAGEMENT]
    engagements = (
        None if all(v is None for v in engagement_parts)
        else sum(v or 0 for v in engagement_parts)
    )
    impressions, reach, views = (carry[_INDEX[c]] for c in ("impressions", "reach", "views"))
    derived = {
        "imp_eff": impressions if impressions is not None else views,
        "eng_reach": engagements if reach is not None else None,
        "eng_followers": engagements if followers is not None else None,
        "followers": followers if engagements is not None else None,
    }
    values = (*carry, *(derived[q] for q in POST_QUANTITIES[len(COUNTERS):]))
    from_views = 1 if impressions is None and views is not None else 0
    return (*values, from_views)


EMPTY_STATE: State = (*(None,) * len(POST_QUANTITIES), 0)


def delta(before: State, after: State) -> list[int]:
    """The change from ``before`` to ``after`` in ``POST_VECTOR`` layout."""
    size = len(POST_QUANTITIES)
    values = [(after[i] or 0) - (before[i] or 0) for i in range(size)]
    reporting = [(after[i] is not None) - (before[i] is not None) for i in range(size)]
    return [*values, *reporting, after[size] - before[size]]


def day_deltas(
    snapshots: Iterable[tuple[dt.datetime, Mapping[str, int | None]]],
    followers: int | None,
    tz: zoneinfo.ZoneInfo,
) -> dict[dt.date, list[int]]:
    """A post's deltas summed per local day of capture, from its whole history (any order;
    one snapshot per instant, as the database's unique key keeps it)."""
    days: dict[dt.date, list[int]] = {}
    carry, state = NO_CARRY, EMPTY_STATE
    for captured_at, values in sorted(snapshots, key=lambda snapshot: snapshot[0]):
        carry = carry_forward(carry, values)
        after = state_of(carry, followers)
        change = delta(state, after)
        day = captured_at.astimezone(tz).date()
        if day in days:
            days[day] = [a + b for a, b in zip(days[day], change, strict=True)]
        else:
            days[day] = change
        state = after
    return days



def final_carry(snapshots: Iterable[tuple[dt.datetime, Mapping[str, int | None]]]) -> Carry:
    """The counters carried forward to a history's latest snapshot."""
    carry = NO_CARRY
    for _captured_at, values in sorted(snapshots, key=lambda snapshot: snapshot[0]):
        carry = carry_forward(carry, values)
    return carry
