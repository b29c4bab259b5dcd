"""Realistic KPI documents (the engine's shape) and campaigns with snapshots for page tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from metrics.models import KpiScope
from tests import factories

f: Any = factories

HEADLINES = {
    "TOFU": ["awareness", "engagement", "ctr", "emv", "sentiment"],
    "MOFU": ["audience_growth", "traffic", "ctr", "roi"],
    "BOFU": ["conversion", "roi", "ctr", "traffic"],
}


def kpi_document(stage: str = "BOFU", scale: float = 1.0, **groups: Any) -> dict[str, Any]:
    """A KPI document as the engine stores it; ``scale`` grows every count (for day series)."""

    def n(value: float) -> int:
        return int(value * scale)

    revenue = f"{4200 * scale:.2f}"
    doc: dict[str, Any] = {
        "campaign": 1,
        "stage": stage,
        "currency": "USD",
        "as_of": "2026-03-20T12:00:00+00:00",
        "computed_at": "2026-03-20T12:00:00+00:00",
        "headline": HEADLINES[stage],
        "targets": [
            {"metric": "conversion.conversions", "target": "100", "actual": n(84), "progress": 84.0},
            {"metric": "awareness.impressions", "target": "500000", "actual": n(250000),
             "progress": 50.0},
        ],
        "coverage": {
            "posts": 8, "impressions": 5, "reach": 8, "views": 3, "likes": 8, "comments": 8,
            "shares": 6, "saves": 6, "mentions": 0, "link_clicks": 2, "impressions_from_views": 3,
        },
        "awareness": {"impressions": n(250000), "reach": n(180000), "video_views": n(90000)},
        "engagement": {
            "likes": n(9000), "comments": n(450), "shares": n(300), "saves": n(250),
            "engagements": n(10000), "mentions": None, "engagement_rate": 5.5555,
            "engagement_rate_followers": 3.21,
        },
        "conversion": {
            "conversions": n(84), "revenue": revenue, "conversion_rate": 3.4,
            "by_source": {"promo_code": n(40), "link": n(30), "utm": n(14), "manual": 0},
            "excluded_other_currency": 0,
        },
        "audience_growth": {
            "followers_start": 50000, "followers_end": 50000 + n(2500),
            "followers_gained": n(2500), "growth_rate": 5.0 * scale, "leads": n(120),
        },
        "ctr": {"clicks": n(2400), "unique_clicks": n(2100), "impressions": n(250000), "ctr": 0.96},
        "traffic": {"visits": n(1900), "unique_visitors": n(1700), "visit_conversion_rate": 2.3},
        "emv": {
            "total": f"{3100 * scale:.2f}",
            "by_platform": {"instagram": f"{2000 * scale:.2f}", "tiktok": f"{1100 * scale:.2f}"},
            "rates_used": [
                {"platform": "instagram", "metric": "likes", "value": "0.3000", "source": "Later"},
                {"platform": "tiktok", "metric": "views", "value": "0.0500", "source": "Later"},
            ],
        },
        "roi": {
            "revenue": revenue, "total_cost": "3000.00",
            "cost_breakdown": {"fees": "2000.00", "product": "0.00", "commission": "420.00",
                               "ad_spend": "580.00", "production": "0.00",
                               "platform_fee": "0.00", "other": "0.00"},
            "roi": 40.0, "roas": 1.4, "cpm": "12.00", "cpe": "0.30", "cpc": "1.25", "cpa": "35.71",
        },
        "sentiment": {"positive": n(60), "neutral": n(30), "negative": n(10), "total": n(100),
                      "net_sentiment": 50.0},
    }
    for group, values in groups.items():
        doc[group] = {**doc.get(group, {}), **values} if isinstance(values, dict) else values
    return doc


def campaign_with_report(
    brand: Any = None, partnerships: int = 3, days: int = 14, stage: str = "BOFU", **campaign: Any
) -> Any:
    """A campaign with partnerships and a full set of KPI snapshots (total, day, partnership,
    platform), as the engine would leave them."""
    kwargs = {"brand": brand} if brand is not None else {}
    c = f.CampaignFactory(stage=stage, **kwargs, **campaign)
    now = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
    f.KpiSnapshotFactory(campaign=c, scope=KpiScope.TOTAL, key="", data=kpi_document(stage),
                         computed_at=now, as_of=now)
    for i in range(days):
        day = c.start_date + dt.timedelta(days=i)
        f.KpiSnapshotFactory(
            campaign=c, scope=KpiScope.DAY, key=day.isoformat(),
            data=kpi_document(stage, scale=(i + 1) / days), computed_at=now, as_of=now,
        )
    for i in range(partnerships):
        p = f.PartnershipFactory(campaign=c)
        f.SocialAccountFactory(influencer=p.influencer)
        f.KpiSnapshotFactory(
            campaign=c, scope=KpiScope.PARTNERSHIP, key=str(p.pk),
            data=kpi_document(stage, scale=(i + 1) / (partnerships + 1)), computed_at=now, as_of=now,
        )
    for platform in ("instagram", "tiktok"):
        f.KpiSnapshotFactory(
            campaign=c, scope=KpiScope.PLATFORM, key=platform, data=kpi_document(stage, 0.5),
            computed_at=now, as_of=now,
        )
    return c
