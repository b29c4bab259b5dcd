"""The KPI engine's reads of the daily rollups (``metrics.models.rollups``), in the shapes of
the raw-row aggregates they stand in for (``post_aggregates``, ``funnel_aggregates``): a
recompute as of now reads a few rows per partnership and day, whatever the raw volume."""

from __future__ import annotations

import datetime as dt

from django.db import connection
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
from metrics.post_vectors import PostVectors, post_vectors_split
from metrics.selectors.frame import Frame
from metrics.selectors.funnel_aggregates import ConversionRow


def rollup_post_vectors(campaign: Campaign, frame: Frame) -> PostVectors:
    """The rollup's post deltas up to T, summed per (partnership, platform) and per (day,
    platform). PostgreSQL sums both in one scan (GROUPING SETS); elsewhere Python sums the
    day rows. Rows of zeros are left out, as ``post_vectors_split`` leaves them out."""
    rows = (
        PostDayRollup.objects.filter(campaign=campaign, day__lte=frame.as_of_date)
        .exclude(**{name: 0 for name in POST_VECTOR})
        .order_by().values_list("day", "partnership_id", "platform", *POST_VECTOR)
    )
    if connection.vendor != "postgresql":
        return post_vectors_split(rows)
    inner, params = rows.query.sql_with_params()
    sums = ", ".join(f"SUM(r.{connection.ops.quote_name(name)})::bigint" for name in POST_VECTOR)
    sql = (
        f"SELECT GROUPING(r.day), r.day, r.partnership_id, r.platform, {sums} "  # noqa: S608
        f"FROM ({inner}) r "
        "GROUP BY GROUPING SETS ((r.partnership_id, r.platform), (r.day, r.platform))"
    )
    vectors = PostVectors(totals={}, days=[])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by_partnership, day, partnership, platform, *vector in cursor.fetchall():
            if by_partnership:
                vectors.totals[(partnership, platform)] = vector
            else:
                vectors.days.append((day, platform, vector))
    return vectors


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
