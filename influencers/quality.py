"""Audience-quality signals and the engagement-rate calculator (pure: no Django, no ORM).

Each flag carries its reason in plain words, with the numbers that raised it, so a marketer can
judge it rather than trust a score. The thresholds are rules of thumb, not proof of fraud:

- **Sudden follower jump**: an account gaining more than ``JUMP_DAILY_RATE`` (10 %) of its
  followers per day between two snapshots, and at least ``JUMP_MIN_GAIN`` followers — organic
  growth rarely does that outside a viral moment; bought followers arrive exactly like that.
- **Engagement far below the size band**: the engagement rate by followers under a third of
  what accounts of that size typically get (``SIZE_BANDS``, common industry ranges for
  Instagram-style feeds) — many inactive or fake followers dilute engagement.
- **Comment/like ratio outlier**: posts whose comments ÷ likes is far outside the account's
  own norm or the usual 0.5 %–10 % range — bought likes (no comments) or comment pods and
  giveaways (comments without likes).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

JUMP_DAILY_RATE = 0.10
JUMP_MIN_GAIN = 1_000
BELOW_BAND_SHARE = 1 / 3
RATIO_LOW = 0.005
RATIO_HIGH = 0.10
RATIO_OUTLIER_FACTOR = 4.0
MIN_POSTS_FOR_RATIO = 3

# (name, lower bound of followers, typical engagement rate by followers in percent)
SIZE_BANDS: tuple[tuple[str, int, float], ...] = (
    ("nano (under 10k followers)", 0, 4.0),
    ("micro (10k–100k followers)", 10_000, 2.5),
    ("mid-tier (100k–500k followers)", 100_000, 1.8),
    ("macro (500k–1M followers)", 500_000, 1.5),
    ("mega (over 1M followers)", 1_000_000, 1.2),
)


@dataclass(frozen=True)
class Flag:
    kind: str  # "follower_jump" | "low_engagement" | "comment_ratio"
    severity: str  # "high" | "medium"
    title: str
    reason: str


@dataclass(frozen=True)
class PostStats:
    likes: int | None
    comments: int | None
    label: str = ""


@dataclass(frozen=True)
class PostEngagement:
    """One post for the engagement rate: its engagements and the posting account's followers
    when it was published (``None`` when unknown)."""

    engagements: int | None
    followers: int | None


def engagements(*counters: int | None) -> int | None:
    """Σ of the reported counters (likes, comments, shares, saves); ``None`` when none is."""
    reported = [n for n in counters if n is not None]
    return sum(reported) if reported else None


def engagement_rate_by_followers(posts: Iterable[PostEngagement]) -> float | None:
    """The registry's ``engagement.engagement_rate_followers``, as the KPI engine computes it:
    Σ engagements ÷ Σ followers × 100 over the posts with both known. The creators list, the
    profile and the calculator all use this one function."""
    counted = [p for p in posts if p.engagements is not None and p.followers is not None]
    followers = sum(p.followers or 0 for p in counted)
    if not counted or not followers:
        return None
    return sum(p.engagements or 0 for p in counted) / followers * 100


def engagement_rate(followers: int | None, posts: Sequence[PostStats]) -> float | None:
    """The calculator: every post counted at today's ``followers``, so the rate by followers
    reads as the average (likes + comments) per post ÷ followers × 100; None when followers are
    unknown or zero or no post reports anything."""
    if not followers:
        return None
    return engagement_rate_by_followers(
        PostEngagement(engagements(p.likes, p.comments), followers) for p in posts
    )


def size_band(followers: int) -> tuple[str, float]:
    """The band's name and typical engagement rate for an account of ``followers``."""
    name, typical = SIZE_BANDS[0][0], SIZE_BANDS[0][2]
    for band_name, lower, band_typical in SIZE_BANDS:
        if followers >= lower:
            name, typical = band_name, band_typical
    return name, typical


def follower_jumps(history: Sequence[tuple[date, int]], handle: str = "") -> list[Flag]:
    """Flags for each step of the follower history that grows faster than organic growth."""
    flags = []
    points = sorted(history)
    who = f"@{handle} " if handle else ""
    for (day_a, count_a), (day_b, count_b) in zip(points, points[1:], strict=False):
        days = (day_b - day_a).days
        gain = count_b - count_a
        if days <= 0 or count_a <= 0 or gain < JUMP_MIN_GAIN:
            continue
        daily = (gain / count_a) / days
        if daily > JUMP_DAILY_RATE:
            flags.append(
                Flag(
                    kind="follower_jump",
                    severity="high" if daily > 3 * JUMP_DAILY_RATE else "medium",
                    title="Sudden follower jump",
                    reason=(
                        f"{who}went from {count_a:,} to {count_b:,} followers "
                        f"(+{gain:,}, +{gain / count_a * 100:.0f}%) between {day_a:%Y-%m-%d} "
                        f"and {day_b:%Y-%m-%d} — {daily * 100:.0f}% a day, where organic growth "
                        f"rarely passes {JUMP_DAILY_RATE * 100:.0f}% a day. Bought followers "
                        "often arrive in such bursts."
                    ),
                )
            )
    return flags


def low_engagement(followers: int | None, rate: float | None, handle: str = "") -> list[Flag]:
    """A flag when the engagement rate by followers is far below the account's size band."""
    if not followers or rate is None:
        return []
    band, typical = size_band(followers)
    floor = typical * BELOW_BAND_SHARE
    if rate >= floor:
        return []
    who = f"@{handle}" if handle else "This account"
    return [
        Flag(
            kind="low_engagement",
            severity="high" if rate < floor / 2 else "medium",
            title="Engagement far below accounts of this size",
            reason=(
                f"{who} engages {rate:.2f}% of its {followers:,} followers per post; "
                f"{band} accounts typically get about {typical:.1f}%, and under "
                f"{floor:.2f}% suggests many inactive or fake followers."
            ),
        )
    ]


def comment_ratio_outliers(posts: Sequence[PostStats], handle: str = "") -> list[Flag]:
    """Flags for posts whose comments ÷ likes is far from the norm (bought likes or comments)."""
    ratios = [
        (p, p.comments / p.likes)
        for p in posts
        if p.likes and p.comments is not None and p.likes > 0
    ]
    if len(ratios) < MIN_POSTS_FOR_RATIO:
        return []
    median = statistics.median(r for _, r in ratios)
    who = f"@{handle}'s " if handle else ""
    flags = []
    for post, ratio in ratios:
        label = post.label or "A post"
        if median > 0 and ratio > median * RATIO_OUTLIER_FACTOR and ratio > RATIO_HIGH:
            flags.append(
                Flag(
                    kind="comment_ratio",
                    severity="medium",
                    title="Unusually many comments for its likes",
                    reason=(
                        f"{label}: {post.comments:,} comments on {post.likes:,} likes "
                        f"({ratio * 100:.1f}%), over {RATIO_OUTLIER_FACTOR:.0f}× {who}usual "
                        f"{median * 100:.1f}% and above {RATIO_HIGH * 100:.0f}% — typical of "
                        "comment pods, giveaways or bought comments."
                    ),
                )
            )
        elif ratio < median / RATIO_OUTLIER_FACTOR and ratio < RATIO_LOW:
            flags.append(
                Flag(
                    kind="comment_ratio",
                    severity="medium",
                    title="Likes without conversation",
                    reason=(
                        f"{label}: {post.comments:,} comments on {post.likes:,} likes "
                        f"({ratio * 100:.2f}%), under a {RATIO_OUTLIER_FACTOR:.0f}th of "
                        f"{who}usual {median * 100:.1f}% and below {RATIO_LOW * 100:.1f}% — "
                        "typical of bought likes."
                    ),
                )
            )
    return flags


def audience_flags(
    *,
    handle: str,
    followers: int | None,
    history: Sequence[tuple[date, int]],
    posts: Sequence[PostStats],
) -> list[Flag]:
    """Every audience-quality flag of one account, most severe first."""
    flags = [
        *follower_jumps(history, handle),
        *low_engagement(followers, engagement_rate(followers, posts), handle),
        *comment_ratio_outliers(posts, handle),
    ]
    return sorted(flags, key=lambda f: f.severity != "high")
