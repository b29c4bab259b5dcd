"""Audience-quality flags and the engagement-rate calculator (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from influencers import quality
from influencers.quality import PostStats


def test_engagement_rate_averages_likes_and_comments_per_post_over_followers() -> None:
    posts = [PostStats(likes=900, comments=100), PostStats(likes=1900, comments=100)]
    assert quality.engagement_rate(50_000, posts) == 3.0


def test_engagement_rate_is_none_without_followers_or_reported_posts() -> None:
    assert quality.engagement_rate(0, [PostStats(10, 1)]) is None
    assert quality.engagement_rate(None, [PostStats(10, 1)]) is None
    assert quality.engagement_rate(1000, [PostStats(None, None)]) is None


def test_a_sudden_follower_jump_is_flagged_with_its_numbers() -> None:
    history = [(dt.date(2026, 3, 1), 10_000), (dt.date(2026, 3, 2), 10_150),
               (dt.date(2026, 3, 3), 18_900)]
    flags = quality.follower_jumps(history, "priya")
    assert len(flags) == 1
    assert flags[0].kind == "follower_jump" and flags[0].severity == "high"
    assert "10,150 to 18,900" in flags[0].reason and "2026-03-02" in flags[0].reason


def test_steady_growth_is_not_flagged() -> None:
    history = [(dt.date(2026, 3, d), 10_000 + 200 * d) for d in range(1, 20)]
    assert quality.follower_jumps(history) == []


def test_a_jump_spread_over_many_days_is_judged_per_day() -> None:
    # +30% over 10 days is 3% a day: organic.
    assert quality.follower_jumps([(dt.date(2026, 3, 1), 10_000), (dt.date(2026, 3, 11), 13_000)]) == []


def test_engagement_far_below_the_size_band_is_flagged() -> None:
    flags = quality.low_engagement(50_000, 0.4, "priya")
    assert flags and flags[0].kind == "low_engagement"
    assert "micro (10k–100k followers)" in flags[0].reason and "2.5%" in flags[0].reason


def test_normal_engagement_for_the_band_is_not_flagged() -> None:
    assert quality.low_engagement(50_000, 2.0) == []
    assert quality.low_engagement(2_000_000, 0.9) == []  # mega accounts engage less


def test_comment_like_ratio_outliers_are_flagged_both_ways() -> None:
    posts = [PostStats(1000, 20, "P1"), PostStats(1100, 25, "P2"), PostStats(900, 18, "P3"),
             PostStats(1000, 400, "Giveaway"), PostStats(5000, 1, "Boosted")]
    flags = quality.comment_ratio_outliers(posts)
    reasons = " ".join(f.reason for f in flags)
    assert "Giveaway: 400 comments on 1,000 likes" in reasons
    assert "Boosted: 1 comments on 5,000 likes" in reasons
    assert len(flags) == 2


def test_too_few_posts_give_no_ratio_verdict() -> None:
    assert quality.comment_ratio_outliers([PostStats(1000, 400), PostStats(1000, 1)]) == []


def test_audience_flags_put_high_severity_first() -> None:
    flags = quality.audience_flags(
        handle="x", followers=50_000,
        history=[(dt.date(2026, 3, 1), 10_000), (dt.date(2026, 3, 2), 50_000)],
        posts=[PostStats(100, 2)] * 3,
    )
    assert flags[0].severity == "high"
    assert {f.kind for f in flags} == {"follower_jump", "low_engagement"}


def test_the_calculator_uses_the_engines_engagement_rate_by_followers() -> None:
    """One definition (issue 12, item 2): the calculator's rate is the registry's
    ``engagement.engagement_rate_followers`` with every post at today's followers."""
    from metrics import kpis

    posts = [PostStats(1200, 300), PostStats(900, None), PostStats(None, None)]
    expected = kpis.engagement_rate_followers(1200 + 300 + 900, 2 * 50_000)
    assert quality.engagement_rate(50_000, posts) == pytest.approx(expected)
    assert quality.engagement_rate_by_followers(
        [quality.PostEngagement(1500, 50_000), quality.PostEngagement(900, 49_000),
         quality.PostEngagement(None, 48_000), quality.PostEngagement(10, None)]
    ) == pytest.approx(kpis.engagement_rate_followers(2400, 99_000))
