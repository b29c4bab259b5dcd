"""What each social platform looks like in the demo: its URLs, the posts creators make there and
the counters it reports. Pure functions: no database, randomness only from the given generator."""

from __future__ import annotations

import random

from campaigns.models import PostType
from influencers.models import Platform as P

Counters = dict[str, int | None]


def profile_url(platform: str, handle: str) -> str:
    urls: dict[str, str] = {
        P.INSTAGRAM: f"https://www.instagram.com/{handle}/",
        P.TIKTOK: f"https://www.tiktok.com/@{handle}",
        P.YOUTUBE: f"https://www.youtube.com/@{handle}",
        P.X: f"https://x.com/{handle}",
        P.PINTEREST: f"https://www.pinterest.com/{handle}/",
        P.TWITCH: f"https://www.twitch.tv/{handle}",
    }
    return urls.get(platform, f"https://{handle}")


def post_url(platform: str, handle: str, external_id: str) -> str:
    urls: dict[str, str] = {
        P.INSTAGRAM: f"https://www.instagram.com/reel/{external_id}/",
        P.TIKTOK: f"https://www.tiktok.com/@{handle}/video/{external_id}",
        P.YOUTUBE: f"https://www.youtube.com/watch?v={external_id}",
    }
    return urls.get(platform, profile_url(platform, handle) + f"#{external_id}")


def post_types(platform: str) -> list[str]:
    """The posts a creator makes on ``platform``, most important first."""
    types: dict[str, list[str]] = {
        P.INSTAGRAM: [PostType.REEL, PostType.STORY],
        P.TIKTOK: [PostType.VIDEO, PostType.VIDEO],
        P.YOUTUBE: [PostType.VIDEO, PostType.SHORT],
        P.TWITCH: [PostType.LIVE],
    }
    return types.get(platform, [PostType.POST])


def final_counters(rng: random.Random, platform: str, followers: int | None,
                   post_type: str) -> Counters:
    """Where a post's cumulative counters end up. A counter the platform does not report stays
    None: Instagram reports views instead of impressions since 2025, YouTube no reach, …"""
    audience = followers or 10_000
    counters: Counters = dict.fromkeys(
        ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
         "link_clicks"))

    def part(base: int, low: float, high: float) -> int:
        return max(1, int(base * rng.uniform(low, high)))

    if platform == P.INSTAGRAM and post_type == PostType.STORY:
        views = part(audience, 0.06, 0.14)
        counters.update(views=views, reach=part(views, 0.8, 0.95), shares=part(views, .002, .006),
                        link_clicks=part(views, 0.01, 0.03))
    elif platform in (P.INSTAGRAM, P.TIKTOK):
        views = part(audience, 0.4, 1.6) if platform == P.INSTAGRAM else part(audience, .6, 2.5)
        likes = part(views, 0.035, 0.085)
        counters.update(views=views, reach=part(views, 0.6, 0.85), likes=likes,
                        comments=part(likes, 0.015, 0.05), shares=part(likes, 0.05, 0.15),
                        saves=part(likes, 0.08, 0.2))
    elif platform == P.YOUTUBE:
        views = part(audience, 0.15, 0.5) if post_type == PostType.VIDEO else part(
            audience, 0.3, 1.2)
        likes = part(views, 0.03, 0.06)
        counters.update(views=views, likes=likes, comments=part(likes, 0.04, 0.1))
    elif platform == P.X:
        impressions = part(audience, 0.5, 1.5)
        likes = part(impressions, 0.01, 0.03)
        counters.update(impressions=impressions, likes=likes, comments=part(likes, .05, .2),
                        shares=part(likes, 0.1, 0.3), mentions=part(likes, 0.01, 0.05),
                        link_clicks=part(impressions, 0.004, 0.01))
    elif platform == P.PINTEREST:
        impressions = part(audience, 0.8, 2.5)
        counters.update(impressions=impressions, saves=part(impressions, 0.01, 0.03),
                        link_clicks=part(impressions, 0.005, 0.015))
    else:  # Twitch lives, blog posts: views and comments (chat) only
        views = part(audience, 0.2, 0.6)
        counters.update(views=views, comments=part(views, 0.01, 0.05))
    return counters
