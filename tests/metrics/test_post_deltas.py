"""metrics/post_deltas.py — one post's deltas in Python, held to the campaign-wide SQL of
``post_metric_deltas`` (the oracle) over random histories: counters left out, several
snapshots a day, snapshots either side of local midnight, any arrival order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.kpis import COUNTERS
from metrics.models import PostMetrics
from metrics.post_deltas import (
    EMPTY_STATE,
    NO_CARRY,
    carry_forward,
    day_deltas,
    delta,
    state_of,
)
from metrics.selectors.frame import frame_for
from metrics.selectors.post_aggregates import POST_QUANTITIES, POST_VECTOR, post_metric_deltas
from tests import factories as f

V = {name: i for i, name in enumerate(POST_VECTOR)}


def counters(**values: int | None) -> dict[str, int | None]:
    return {c: values.get(c) for c in COUNTERS}


def test_a_reported_counter_replaces_the_carried_one_and_a_missing_one_keeps_it() -> None:
    carry = carry_forward(NO_CARRY, counters(likes=5, reach=100))
    carry = carry_forward(carry, counters(likes=7))
    assert dict(zip(COUNTERS, carry, strict=True)) == counters(likes=7, reach=100)


@pytest.mark.parametrize(
    ("values", "followers", "expected"),
    [
        # impressions missing: views stand in for them, and the state says so
        (counters(views=900), None, {"imp_eff": 900, "from_views": 1}),
        (counters(impressions=1000, views=900), None, {"imp_eff": 1000, "from_views": 0}),
        # engagements beside reach only where reach is reported
        (counters(likes=10, saves=2), None, {"eng_reach": None, "eng_followers": None}),
        (counters(likes=10, saves=2, reach=50), 400,
         {"eng_reach": 12, "eng_followers": 12, "followers": 400}),
        # no engagement reported: the follower basis is not counted either
        (counters(reach=50), 400, {"eng_reach": None, "followers": None}),
    ],
)
def test_derived_quantities_follow_what_was_reported(
    values: dict[str, int | None], followers: int | None, expected: dict[str, Any]
) -> None:
    state = state_of(carry_forward(NO_CARRY, values), followers)
    named = dict(zip((*POST_QUANTITIES, "from_views"), state, strict=True))
    assert {k: named[k] for k in expected} == expected


def test_a_first_report_counts_once_in_reporting_and_a_later_one_only_in_value() -> None:
    first = state_of(carry_forward(NO_CARRY, counters(likes=5)), None)
    second = state_of(carry_forward(NO_CARRY, counters(likes=8)), None)
    opening, change = delta(EMPTY_STATE, first), delta(first, second)
    assert len(opening) == len(POST_VECTOR)
    assert (opening[V["v_likes"]], opening[V["n_likes"]]) == (5, 1)
    assert (change[V["v_likes"]], change[V["n_likes"]]) == (3, 0)


def test_a_history_sums_to_its_latest_state_per_local_day() -> None:
    import zoneinfo

    tz = zoneinfo.ZoneInfo("America/New_York")
    at = dt.datetime(2026, 3, 4, 3, tzinfo=dt.UTC)  # 22:00 the day before in New York
    days = day_deltas(
        [(at + dt.timedelta(hours=1), counters(likes=9)), (at, counters(likes=4, reach=10))],
        None, tz,
    )
    assert sorted(days) == [dt.date(2026, 3, 3)]  # both before local midnight, in any order
    assert days[dt.date(2026, 3, 3)][V["v_likes"]] == 9
    assert days[dt.date(2026, 3, 3)][V["v_eng_reach"]] == 9  # reach carried from the first
    later = day_deltas([(at, counters(likes=4)), (at + dt.timedelta(hours=6), counters(likes=9))],
                       None, tz)
    assert {d: v[V["v_likes"]] for d, v in later.items()} == {
        dt.date(2026, 3, 3): 4, dt.date(2026, 3, 4): 5,
    }


# --- Against the SQL ----------------------------------------------------------------------------
START = dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC)
snapshot_values = st.fixed_dictionaries(
    {c: st.none() | st.integers(0, 10**6) for c in COUNTERS}
)
histories = st.lists(
    st.lists(
        st.tuples(st.integers(0, 72 * 60), snapshot_values), max_size=6,
        unique_by=lambda item: item[0],
    ),
    min_size=3, max_size=3,
)


@pytest.fixture
def posts(db) -> list[Any]:
    campaign = f.CampaignFactory(brand__organization__time_zone="America/Los_Angeles")
    one = f.PartnershipFactory(campaign=campaign)
    two = f.PartnershipFactory(campaign=campaign)
    with_account = f.PostFactory(partnership=one, social_account__followers=5_000)
    without_account = f.PostFactory(partnership=one, social_account=None, platform="tiktok")
    other = f.PostFactory(partnership=two, social_account__followers=70)
    return [with_account, without_account, other]


def test_python_deltas_equal_the_sql_of_the_whole_campaign(posts: list[Any]) -> None:
    campaign = posts[0].partnership.campaign
    tz = campaign.brand.organization.tzinfo

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(histories)
    def check(history: list[list[tuple[int, dict[str, int | None]]]]) -> None:
        PostMetrics.objects.all().delete()
        expected: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(POST_VECTOR))
        for post, snapshots in zip(posts, history, strict=True):
            timed = [(START + dt.timedelta(minutes=m), values) for m, values in snapshots]
            for captured_at, values in timed:
                PostMetrics.objects.create(post=post, captured_at=captured_at, **values)
            followers = post.social_account.followers if post.social_account else None
            for day, vector in day_deltas(timed, followers, tz).items():
                key = (day, post.partnership_id, post.platform)
                expected[key] = [a + b for a, b in zip(expected[key], vector, strict=True)]
        frame = frame_for(campaign, START + dt.timedelta(days=30))
        actual = {(day, p, pl): [int(v) for v in rest]
                  for day, p, pl, *rest in post_metric_deltas(campaign, frame)}
        assert actual == dict(expected)

    check()
