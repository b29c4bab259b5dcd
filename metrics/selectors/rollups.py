"""The KPI engine's reads of the daily rollups (``metrics.models.rollups``), in the shapes of
the raw-row aggregates they stand in for (``post_aggregates``, ``funnel_aggregates``): a
recompute as of now reads a few rows per partnership and day, whatever the raw volume."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum

from campaigns.models import Campaign
from metrics.kpis import POST_VECTOR
from metrics.models import (
    ClickDayRollup,
    CommentDayRollup,
    ConversionDayRollup,
    NewVisitorDayRollup,
    PostDayRollup,
    VisitDayRollup,
)
from metrics.selectors.frame import Frame
from metrics.selectors.funnel_aggregates import ConversionRow


def rollup_post_deltas(campaign: Campaign, frame: Frame) -> list[tuple[Any, ...]]:
    """As ``post_metric_deltas``: ``(day, partnership_id, platform, *POST_VECTOR)``."""
    return list(
        PostDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .order_by().values_list("day", "partnership_id", "platform", *POST_VECTOR)
    )


def rollup_sentiment_counts(campaign: Campaign, frame: Frame
                            ) -> list[tuple[dt.date, int, str, str, int]]:
    """As ``sentiment_counts``: ``(day, partnership_id, platform, label, comments)``."""
    return list(
        CommentDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .exclude(comments=0).order_by()
        .values_list("day", "partnership_id", "platform", "sentiment", "comments")
    )


def rollup_click_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int, int, int]]:
    """As ``click_counts``: ``(day, partnership_id, counted clicks, unique clicks)``."""
    return list(
        ClickDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .exclude(clicks=0).order_by()
        .values_list("day", "partnership_id", "clicks", "unique_clicks")
    )


def rollup_conversion_rows(campaign: Campaign, frame: Frame) -> list[ConversionRow]:
    """As ``conversion_rows``."""
    return list(
        ConversionDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .order_by().values_list("day", "partnership_id", "source", "kind", "currency",
                                "rate_day", "conversions", "amount")
    )


def rollup_visit_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int, int]]:
    """As ``visit_counts``."""
    return list(
        VisitDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .order_by().values_list("day", "partnership_id", "visits")
    )


def rollup_first_visit_days(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int]]:
    """As ``first_visit_days``."""
    return list(
        NewVisitorDayRollup.objects.filter(
            campaign=campaign, partnership__isnull=True, day__lte=frame.as_of_date
        ).order_by().values_list("day", "visitors")
    )


def rollup_unique_visitors(campaign: Campaign, frame: Frame) -> dict[int, int]:
    """As ``unique_visitors_by_partnership``."""
    return dict(
        NewVisitorDayRollup.objects.filter(
            campaign=campaign, partnership__isnull=False, day__lte=frame.as_of_date
        ).order_by().values("partnership_id").annotate(n=Sum("visitors"))
        .values_list("partnership_id", "n")
    )
