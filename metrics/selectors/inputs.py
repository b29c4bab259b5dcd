"""What a KPI recompute loads besides the day-bucketed sums: the campaign, its rate card,
partnerships, targets, costs and overlapping campaigns, the comments still to label and the
brand's follower series. Each is one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum

from accounts.models import Organization
from campaigns.models import Campaign, Cost, KpiTarget, Partnership
from metrics.models import Comment, EmvRate, FollowerSnapshot
from metrics.selectors.frame import Frame


def campaign_for_kpis(campaign_id: int) -> Campaign:
    return Campaign.objects.select_related("brand__organization").get(pk=campaign_id)


def emv_rates(organization: Organization) -> list[tuple[str, str, Decimal, str]]:
    return list(
        EmvRate.objects.filter(organization=organization).values_list(
            "platform", "metric", "value", "source"
        )
    )


def partnerships_of(campaign: Campaign) -> list[dict[str, Any]]:
    rows = (
        Partnership.objects.filter(campaign=campaign)
        .order_by("pk")
        .values("pk", "status", "fee", "product_value", "commission_rate", "influencer__name")
    )
    return [dict(row) for row in rows]


def targets_of(campaign: Campaign) -> list[tuple[str, Decimal]]:
    return list(KpiTarget.objects.filter(campaign=campaign).values_list("metric", "value"))


def overlapping_campaigns(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {"id": pk, "name": name}
        for pk, name in Campaign.objects.filter(
            brand_id=campaign.brand_id,
            start_date__lte=campaign.end_date,
            end_date__gte=campaign.start_date,
        )
        .exclude(pk=campaign.pk)
        .order_by("start_date", "pk")
        .values_list("pk", "name")
    ]


def costs_of(campaign: Campaign) -> list[tuple[int | None, str, dt.date, Decimal]]:
    return list(
        Cost.objects.filter(campaign=campaign)
        .values("partnership_id", "category", "incurred_on")
        .annotate(total=Sum("amount"))
        .values_list("partnership_id", "category", "incurred_on", "total")
    )


def unlabelled_comments(campaign: Campaign) -> QuerySet[Comment]:
    return Comment.objects.filter(post__partnership__campaign=campaign, sentiment="")


@dataclass
class BrandFollowers:
    """Snapshots of the brand accounts eligible for audience growth (a snapshot at or before
    the start date), as ``{account: [(date, followers), ...]}`` sorted by date."""

    series: dict[int, list[tuple[dt.date, int]]] = field(default_factory=dict)

    def total_on(self, day: dt.date) -> int | None:
        if not self.series:
            return None
        total = 0
        for points in self.series.values():
            value = None
            for date, followers in points:
                if date > day:
                    break
                value = followers
            total += value or 0
        return total


def brand_followers(campaign: Campaign, frame: Frame) -> BrandFollowers:
    last = min(frame.end, frame.as_of_date)
    eligible = FollowerSnapshot.objects.filter(
        brand_account=OuterRef("brand_account"), date__lte=frame.start
    )
    rows = (
        FollowerSnapshot.objects.filter(
            brand_account__brand_id=campaign.brand_id, date__lte=max(last, frame.start)
        )
        .filter(Exists(eligible))
        .order_by("brand_account_id", "date")
        .values_list("brand_account_id", "date", "followers")
    )
    series: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for account_id, date, followers in rows:
        series[account_id].append((date, followers))
    return BrandFollowers(dict(series))
