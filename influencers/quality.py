"""Audience-quality signals and the engagement-rate calculator (pure: no ORM; the flags' words
in the active language).

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
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

JUMP_DAILY_RATE = 0.10
JUMP_MIN_GAIN = 1_000
BELOW_BAND_SHARE = 1 / 3
RATIO_LOW = 0.005
RATIO_HIGH = 0.10
RATIO_OUTLIER_FACTOR = 4.0
MIN_POSTS_FOR_RATIO = 3

# (name, lower bound of followers, typical engagement rate by followers in percent)
# The names are lazy: ``size_band`` reads them in the active language.
SIZE_BANDS: tuple[tuple[Any, int, float], ...] = (
    (gettext_lazy("nano (under 10k followers)"), 0, 4.0),
    (gettext_lazy("micro (10k–100k followers)"), 10_000, 2.5),
    (gettext_lazy("mid-tier (100k–500k followers)"), 100_000, 1.8),
    (gettext_lazy("macro (500k–1M followers)"), 500_000, 1.5),
    (gettext_lazy("mega (over 1M followers)"), 1_000_000, 1.2),
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
    return str(name), typical


def follower_jumps(history: Sequence[tuple[date, int]], handle: str = "") -> list[Flag]:
    """Flags for each step of the follower history that grows faster than organic growth."""
    flags = []
    points = sorted(history)
    for (day_a, count_a), (day_b, count_b) in zip(points, points[1:], strict=False):
        days = (day_b - day_a).days
        gain = count_b - count_a
        if days <= 0 or count_a <= 0 or gain < JUMP_MIN_GAIN:
            continue
        daily = (gain / count_a) / days
        if daily > JUMP_DAILY_RATE:
            numbers = {
                "handle": handle, "before": f"{count_a:,}", "after": f"{count_b:,}",
                "gain": f"{gain:,}", "share": f"{gain / count_a * 100:.0f}",
                "start": f"{day_a:%Y-%m-%d}", "end": f"{day_b:%Y-%m-%d}",
                "daily": f"{daily * 100:.0f}", "limit": f"{JUMP_DAILY_RATE * 100:.0f}",
            }
            reason = _(
                "@%(handle)s went from %(before)s to %(after)s followers (+%(gain)s, "
                "+%(share)s%%) between %(start)s and %(end)s — %(daily)s%% a day, where organic "
                "growth rarely passes %(limit)s%% a day. Bought followers often arrive in such "
                "bursts."
            ) if handle else _(
                "went from %(before)s to %(after)s followers (+%(gain)s, +%(share)s%%) between "
                "%(start)s and %(end)s — %(daily)s%% a day, where organic growth rarely passes "
                "%(limit)s%% a day. Bought followers often arrive in such bursts."
            )
            flags.append(
                Flag(
                    kind="follower_jump",
                    severity="high" if daily > 3 * JUMP_DAILY_RATE else "medium",
                    title=_("Sudden follower jump"),
                    reason=reason % numbers,
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
    numbers = {
        "handle": handle, "rate": f"{rate:.2f}", "followers": f"{followers:,}", "band": band,
        "typical": f"{typical:.1f}", "floor": f"{floor:.2f}",
    }
    reason = _(
        "@%(handle)s engages %(rate)s%% of its %(followers)s followers per post; %(band)s "
        "accounts typically get about %(typical)s%%, and under %(floor)s%% suggests many "
        "inactive or fake followers."
    ) if handle else _(
        "This account engages %(rate)s%% of its %(followers)s followers per post; %(band)s "
        "accounts typically get about %(typical)s%%, and under %(floor)s%% suggests many "
        "inactive or fake followers."
    )
    return [
        Flag(
            kind="low_engagement",
            severity="high" if rate < floor / 2 else "medium",
            title=_("Engagement far below accounts of this size"),
            reason=reason % numbers,
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
    median = statistics.median(ratio for _post, ratio in ratios)
    flags = []
    for post, ratio in ratios:
        numbers = {
            "post": post.label or _("A post"), "comments": f"{post.comments:,}",
            "likes": f"{post.likes:,}", "factor": f"{RATIO_OUTLIER_FACTOR:.0f}",
            "handle": handle, "median": f"{median * 100:.1f}",
        }
        if median > 0 and ratio > median * RATIO_OUTLIER_FACTOR and ratio > RATIO_HIGH:
            numbers.update(ratio=f"{ratio * 100:.1f}", limit=f"{RATIO_HIGH * 100:.0f}")
            reason = _(
                "%(post)s: %(comments)s comments on %(likes)s likes (%(ratio)s%%), over "
                "%(factor)s× @%(handle)s's usual %(median)s%% and above %(limit)s%% — typical "
                "of comment pods, giveaways or bought comments."
            ) if handle else _(
                "%(post)s: %(comments)s comments on %(likes)s likes (%(ratio)s%%), over "
                "%(factor)s× usual %(median)s%% and above %(limit)s%% — typical of comment "
                "pods, giveaways or bought comments."
            )
            title = _("Unusually many comments for its likes")
        elif ratio < median / RATIO_OUTLIER_FACTOR and ratio < RATIO_LOW:
            numbers.update(ratio=f"{ratio * 100:.2f}", limit=f"{RATIO_LOW * 100:.1f}")
            reason = _(
                "%(post)s: %(comments)s comments on %(likes)s likes (%(ratio)s%%), under a "
                "%(factor)sth of @%(handle)s's usual %(median)s%% and below %(limit)s%% — "
                "typical of bought likes."
            ) if handle else _(
                "%(post)s: %(comments)s comments on %(likes)s likes (%(ratio)s%%), under a "
                "%(factor)sth of usual %(median)s%% and below %(limit)s%% — typical of bought "
                "likes."
            )
            title = _("Likes without conversation")
        else:
            continue
        flags.append(Flag(kind="comment_ratio", severity="medium", title=title,
                          reason=reason % numbers))
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
