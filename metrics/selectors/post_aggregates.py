"""SQL aggregates of a campaign's posts: counter deltas, post counts and comment sentiment,
per organization-local day, partnership and platform, in a fixed number of queries whatever
the campaign's size, on PostgreSQL and SQLite alike.

Post counters are cumulative snapshots: SQL turns them into per-snapshot *deltas* of each
post's latest non-NULL value, so summing the deltas up to a day gives Σ over posts of their
value as of that day, and Python receives one row per (day, partnership, platform).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from campaigns.models import Campaign, Partnership, Post
from influencers.models import SocialAccount
from metrics.kpis import COUNTERS, POST_QUANTITIES, POST_VECTOR
from metrics.models import Comment, FollowerSnapshot, PostMetrics
from metrics.selectors.frame import Frame, local_date

__all__ = ["POST_QUANTITIES", "POST_VECTOR", "post_counts", "post_metric_deltas",
           "sentiment_counts"]

_ENCODE = 1 << 40  # counters up to 1.1 trillion; see the carry-forward trick below


def _sql_local_date(column: str, frame: Frame) -> tuple[str, list[Any]]:
    sql, params = connection.ops.datetime_cast_date_sql(column, (), frame.tzname)
    return sql, list(params)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _carried_ctes(campaign: Campaign, frame: Frame) -> tuple[str, list[Any]]:
    """``WITH posts, numbered, filled``: the campaign's snapshots up to T, each with its post's
    partnership, platform and follower basis and every counter carried forward.

    The latest non-NULL value of a counter at each snapshot ("carry forward") uses one sort per
    post: a running MAX over ``row_number × 2^40 + value`` picks the last reported value, since
    a later row always has the larger prefix."""
    published_sql, published_params = _sql_local_date("p.published_at", frame)
    carry = ",\n".join(
        f"(MAX(CASE WHEN {c} IS NOT NULL THEN rn * {_ENCODE} + {c} END) OVER w) %% {_ENCODE}"
        f" AS {c}"
        for c in COUNTERS
    )
    # Computed once per post (its correlated follower lookup too), not once per snapshot.
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
    WITH posts AS {materialized} (
        SELECT p.id, p.partnership_id, p.platform,
               CASE WHEN p.social_account_id IS NULL THEN NULL ELSE COALESCE(
                   (SELECT fs.followers FROM {_table(FollowerSnapshot)} fs
                     WHERE fs.social_account_id = p.social_account_id
                       AND p.published_at IS NOT NULL AND fs.date <= {published_sql}
                     ORDER BY fs.date DESC LIMIT 1),
                   sa.followers) END AS followers
          FROM {_table(Post)} p
          JOIN {_table(Partnership)} pa ON pa.id = p.partnership_id
          LEFT JOIN {_table(SocialAccount)} sa ON sa.id = p.social_account_id
         WHERE pa.campaign_id = %s
    ),
    numbered AS (
        SELECT pm.post_id, pm.captured_at, {", ".join(f"pm.{c}" for c in COUNTERS)},
               posts.partnership_id, posts.platform, posts.followers,
               ROW_NUMBER() OVER (PARTITION BY pm.post_id ORDER BY pm.captured_at) AS rn
          FROM {_table(PostMetrics)} pm
          JOIN posts ON posts.id = pm.post_id
         WHERE pm.captured_at <= %s
    ),
    filled AS (
        SELECT post_id, captured_at, partnership_id, platform, followers, {carry}
          FROM numbered
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )"""
    params = [
        *published_params,
        campaign.pk,
        connection.ops.adapt_datetimefield_value(frame.as_of),
    ]
    return sql, params


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room for the window sorts and the grouping in memory (this transaction only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def post_metric_deltas(campaign: Campaign, frame: Frame) -> list[tuple[Any, ...]]:
    """Rows ``(day, partnership_id, platform, *POST_VECTOR)``: per local day of capture, the sum
    of the changes of each post's latest-non-NULL counter values (and derived quantities):
    the carried counters of ``_carried_ctes``, then LAG over the same window gives deltas.
    """
    day_sql, day_params = _sql_local_date("captured_at", frame)
    derived = ",\n".join(
        [
            *(f"f.{c} AS q_{c}" for c in COUNTERS),
            "COALESCE(f.impressions, f.views) AS q_imp_eff",
            "CASE WHEN f.reach IS NOT NULL THEN f.eng END AS q_eng_reach",
            "CASE WHEN f.followers IS NOT NULL THEN f.eng END AS q_eng_followers",
            "CASE WHEN f.eng IS NOT NULL THEN f.followers END AS q_followers",
            "CASE WHEN f.impressions IS NULL AND f.views IS NOT NULL THEN 1 ELSE 0 END"
            " AS q_from_views",
        ]
    )
    if connection.vendor == "postgresql":
        # One LAG of an array instead of one LAG per quantity: each LAG is a tuplestore fetch,
        # and 27 of them per row dominated the query.
        current = ", ".join(f"q_{q}" for q in POST_QUANTITIES)
        deltas = f"""
        SELECT partnership_id, platform, day, cur, from_views,
               LAG(cur) OVER w AS prev, LAG(from_views) OVER w AS prev_from_views
          FROM (SELECT post_id, captured_at, partnership_id, platform, {day_sql} AS day,
                       ARRAY[{current}]::bigint[] AS cur, q_from_views AS from_views
                  FROM derived) d
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at)"""
        sums = ", ".join(
            [f"SUM(COALESCE(cur[{i}], 0) - COALESCE(prev[{i}], 0))"
             for i in range(1, len(POST_QUANTITIES) + 1)]
            + [f"SUM((cur[{i}] IS NOT NULL)::int - (prev[{i}] IS NOT NULL)::int)"
               for i in range(1, len(POST_QUANTITIES) + 1)]
            + ["SUM(from_views - COALESCE(prev_from_views, 0))"]
        )
    else:
        delta_cols = []
        for q in POST_QUANTITIES:
            delta_cols.append(f"COALESCE(q_{q}, 0) - COALESCE(LAG(q_{q}) OVER w, 0) AS v_{q}")
        for q in POST_QUANTITIES:
            flag = f"CASE WHEN q_{q} IS NOT NULL THEN 1 ELSE 0 END"
            delta_cols.append(f"{flag} - COALESCE(LAG({flag}) OVER w, 0) AS n_{q}")
        delta_cols.append("q_from_views - COALESCE(LAG(q_from_views) OVER w, 0) AS from_views")
        deltas = f"""
        SELECT partnership_id, platform, {day_sql} AS day, {", ".join(delta_cols)}
          FROM derived
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at)"""
        sums = ", ".join(f"SUM({name})" for name in POST_VECTOR)
    ctes, params = _carried_ctes(campaign, frame)
    sql = f"""{ctes},
    engaged AS (
        SELECT f.*,
               CASE WHEN COALESCE(f.likes, f.comments, f.shares, f.saves) IS NOT NULL
                    THEN COALESCE(f.likes, 0) + COALESCE(f.comments, 0)
                         + COALESCE(f.shares, 0) + COALESCE(f.saves, 0) END AS eng
          FROM filled f
    ),
    derived AS (
        SELECT f.post_id, f.captured_at, f.partnership_id, f.platform, {derived}
          FROM engaged f
    ),
    deltas AS ({deltas}
    )
    SELECT day, partnership_id, platform, {sums}
      FROM deltas
     GROUP BY day, partnership_id, platform
    """
    rows = _run(sql, [*params, *day_params])
    return [(local_date(r[0]), *r[1:]) for r in rows]


def post_carried_states(campaign: Campaign, frame: Frame) -> list[tuple[Any, ...]]:
    """Rows ``(post_id, captured_at, *COUNTERS)``: each post's latest snapshot up to T with
    its counters carried forward to it (where a new snapshot's delta starts from)."""
    if connection.vendor == "postgresql":
        # One grouping per post, no window: the last non-NULL value of each counter.
        latest = ", ".join(
            f"(ARRAY_AGG(pm.{c} ORDER BY pm.captured_at DESC) FILTER (WHERE pm.{c} IS NOT NULL))[1]"
            for c in COUNTERS
        )
        sql = f"""
        SELECT pm.post_id, MAX(pm.captured_at), {latest}
          FROM {_table(PostMetrics)} pm
          JOIN {_table(Post)} p ON p.id = pm.post_id
          JOIN {_table(Partnership)} pa ON pa.id = p.partnership_id
         WHERE pa.campaign_id = %s AND pm.captured_at <= %s
         GROUP BY pm.post_id"""
        rows = _run(sql, [campaign.pk, frame.as_of])
        return [(r[0], _aware(r[1]), *r[2:]) for r in rows]
    ctes, params = _carried_ctes(campaign, frame)
    sql = f"""{ctes},
    latest AS (SELECT post_id, MAX(captured_at) AS captured_at FROM numbered GROUP BY post_id)
    SELECT f.post_id, f.captured_at, {", ".join(f"f.{c}" for c in COUNTERS)}
      FROM filled f JOIN latest l ON l.post_id = f.post_id AND l.captured_at = f.captured_at
    """
    return [(r[0], _aware(r[1]), *r[2:]) for r in _run(sql, params)]


def _aware(value: Any) -> dt.datetime:
    """A timestamp coming back from raw SQL: aware on PostgreSQL, an ISO string on SQLite."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return _aware(dt.datetime.fromisoformat(str(value)))


def post_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date | None, int, str, int]]:
    """Posts per local publish day (None: not published yet), partnership and platform."""
    rows = (
        Post.objects.filter(partnership__campaign=campaign)
        .filter(Q(published_at__isnull=True) | Q(published_at__lte=frame.as_of))
        .annotate(day=TruncDate("published_at", tzinfo=frame.tz))
        .values("day", "partnership_id", "platform")
        .annotate(n=Count("pk"))
        .values_list("day", "partnership_id", "platform", "n")
    )
    return [(local_date(d), p, pl, n) for d, p, pl, n in rows]


def sentiment_counts(campaign: Campaign, frame: Frame
                     ) -> list[tuple[dt.date, int, str, str, int]]:
    rows = (
        Comment.objects.filter(post__partnership__campaign=campaign, posted_at__lte=frame.as_of)
        .annotate(day=TruncDate("posted_at", tzinfo=frame.tz))
        .values("day", "post__partnership_id", "post__platform", "sentiment")
        .annotate(n=Count("pk"))
        .values_list("day", "post__partnership_id", "post__platform", "sentiment", "n")
    )
    return [(local_date(d), p, pl, s, n) for d, p, pl, s, n in rows]  # type: ignore[misc]
