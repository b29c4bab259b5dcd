"""The KPI document's groups, target progress and key order, from the sums of ``metrics.kpis``
(pure: no Django).

One function per group of the document (``awareness``, ``engagement``, … ``sentiment``, and
``coverage``), named as in ``metrics.registry``; ``all_groups`` fills a campaign's or a
partnership's document, ``post_groups`` a platform's (only the post-based groups).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from metrics import registry
from metrics.kpis import (
    COST_KEYS,
    COUNTERS,
    GROUPS,
    CostSums,
    FunnelSums,
    PostSums,
    RateCard,
    SentimentSums,
    click_through_rate,
    conversion_rate,
    cpa,
    cpc,
    cpe,
    cpl,
    cpm,
    emv,
    engagement_rate,
    engagement_rate_followers,
    growth_rate,
    money,
    net_sentiment,
    progress,
    roas,
    roi,
    visit_conversion_rate,
)


def awareness_group(posts: PostSums) -> dict[str, Any]:
    return {
        "impressions": posts.impressions,
        "reach": posts.values["reach"],
        "video_views": posts.values["views"],
    }


def engagement_group(posts: PostSums) -> dict[str, Any]:
    v = posts.values
    return {
        "likes": v["likes"],
        "comments": v["comments"],
        "shares": v["shares"],
        "saves": v["saves"],
        "engagements": posts.engagements,
        "mentions": v["mentions"],
        "engagement_rate": engagement_rate(posts.engagements_with_reach, v["reach"]),
        "engagement_rate_followers": engagement_rate_followers(
            posts.engagements_with_followers, posts.followers
        ),
    }


def coverage_group(posts: PostSums) -> dict[str, Any]:
    return {
        "posts": posts.posts,
        **{c: posts.reporting[c] for c in COUNTERS},
        "impressions_from_views": posts.impressions_from_views,
    }


def ctr_group(funnel: FunnelSums, posts: PostSums) -> dict[str, Any]:
    return {
        "clicks": funnel.clicks,
        "unique_clicks": funnel.unique_clicks,
        "impressions": posts.impressions,
        "ctr": click_through_rate(funnel.clicks, posts.impressions),
    }


def conversion_group(funnel: FunnelSums) -> dict[str, Any]:
    return {
        "conversions": funnel.conversions,
        "revenue": money(funnel.revenue),
        "click_conversions": funnel.link_and_utm,
        "conversion_rate": conversion_rate(funnel.link_and_utm, funnel.unique_clicks),
        "by_source": dict(funnel.by_source),
        "excluded_other_currency": funnel.excluded_other_currency,
    }


def audience_growth_group(followers_start: int | None, followers_end: int | None, leads: int,
                          overlapping: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    gained = (
        followers_end - followers_start
        if followers_start is not None and followers_end is not None
        else None
    )
    group: dict[str, Any] = {
        "followers_start": followers_start,
        "followers_end": followers_end,
        "followers_gained": gained,
        "growth_rate": growth_rate(followers_start, followers_end),
        "leads": leads,
    }
    if overlapping is not None:
        group["overlapping_campaigns"] = overlapping
    return group


def traffic_group(funnel: FunnelSums) -> dict[str, Any]:
    return {
        "visits": funnel.visits,
        "unique_visitors": funnel.unique_visitors,
        "visit_conversion_rate": visit_conversion_rate(funnel.link_and_utm, funnel.visits),
    }


def emv_group(posts_by_platform: Mapping[str, PostSums], card: RateCard) -> dict[str, Any]:
    by_platform: dict[str, Decimal] = {}
    rates_used: list[dict[str, Any]] = []
    for platform in sorted(posts_by_platform):
        sums = posts_by_platform[platform]
        by_platform[platform] = emv(sums.values, card.for_platform(platform))
        for metric, (value, source) in sorted(card.rates.get(platform, {}).items()):
            rates_used.append(
                {"platform": platform, "metric": metric, "value": str(value), "source": source}
            )
    total = sum(by_platform.values(), Decimal("0"))
    return {
        "total": money(total),
        "by_platform": {p: money(v) for p, v in by_platform.items()},
        "rates_used": rates_used,
    }


def roi_group(revenue: Decimal, costs: CostSums, posts: PostSums, funnel: FunnelSums
              ) -> dict[str, Any]:
    total_cost = costs.total
    return {
        "revenue": money(revenue),
        "total_cost": money(total_cost),
        "cost_breakdown": {k: money(getattr(costs, k)) for k in COST_KEYS},
        "roi": roi(revenue, total_cost),
        "roas": roas(revenue, total_cost),
        "cpm": money(cpm(total_cost, posts.impressions)),
        "cpe": money(cpe(total_cost, posts.engagements)),
        "cpc": money(cpc(total_cost, funnel.clicks)),
        "cpa": money(cpa(total_cost, funnel.conversions)),
        "cpl": money(cpl(total_cost, funnel.leads)),
    }


def sentiment_group(sums: SentimentSums) -> dict[str, Any]:
    return {
        "positive": sums.positive,
        "neutral": sums.neutral,
        "negative": sums.negative,
        "total": sums.total,
        "unread": sums.unread,
        "net_sentiment": net_sentiment(sums.positive, sums.negative, sums.total),
    }


def post_groups(posts: PostSums, posts_by_platform: Mapping[str, PostSums], card: RateCard,
                sentiment: SentimentSums) -> dict[str, Any]:
    """The post-based groups: what ``?by=platform`` fills (the rest stay ``None``)."""
    return {
        "coverage": coverage_group(posts),
        "awareness": awareness_group(posts),
        "engagement": engagement_group(posts),
        "conversion": None,
        "audience_growth": None,
        "ctr": None,
        "traffic": None,
        "emv": emv_group(posts_by_platform, card),
        "roi": None,
        "sentiment": sentiment_group(sentiment),
    }


def all_groups(*, posts: PostSums, posts_by_platform: Mapping[str, PostSums], card: RateCard,
               sentiment: SentimentSums, funnel: FunnelSums, costs: CostSums,
               followers_start: int | None, followers_end: int | None,
               overlapping: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    groups = post_groups(posts, posts_by_platform, card, sentiment)
    groups.update(
        conversion=conversion_group(funnel),
        audience_growth=audience_growth_group(
            followers_start, followers_end, funnel.leads, overlapping
        ),
        ctr=ctr_group(funnel, posts),
        traffic=traffic_group(funnel),
        roi=roi_group(funnel.revenue, costs, posts, funnel),
    )
    return groups

def targets_progress(document: Mapping[str, Any], targets: Iterable[tuple[str, Decimal]]
                     ) -> list[dict[str, Any]]:
    result = []
    for metric, target in targets:
        actual = registry.value_at(document, metric)
        result.append(
            {
                "metric": metric,
                "target": format(Decimal(str(target)).normalize(), "f"),
                "actual": actual,
                "progress": progress(actual, target),
            }
        )
    return result


TOP_LEVEL = ("campaign", "stage", "currency", "as_of", "computed_at", "headline", "targets")
BREAKDOWN_KEYS = ("key", "label", "partnership")


def ordered(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with its keys in the documented order (jsonb does not keep it)."""
    order = [*BREAKDOWN_KEYS, *TOP_LEVEL, "coverage", *GROUPS]
    result = {k: document[k] for k in order if k in document}
    result.update({k: v for k, v in document.items() if k not in result})
    return result
