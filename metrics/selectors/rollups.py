"""The KPI engine's reads of the daily rollups (``metrics.models.rollups``), in the shapes of
the raw-row aggregates they stand in for (``post_aggregates``, ``funnel_aggregates``): a
recompute as of now reads a few rows per partnership and day, whatever the raw volume."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campaigns.models import Campaign
from metrics.kpis import POST_VECTOR
from metrics.models import ClickDayRollup, CommentDayRollup, PostDayRollup
from metrics.selectors.frame import Frame


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
