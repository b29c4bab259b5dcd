"""The KPI benchmark's floor (bench/kpi.py): the engine's aggregates hand-written as bare SQL
(the same carry-forward/delta strategy, no ORM, no document building), timed."""

from __future__ import annotations

import time
from typing import Any

from bench._kpi_data import escape_modulo


def floor_queries(campaign_id: int) -> float:
    """The same aggregates as hand-written SQL, timed (no ORM, no document building)."""
    from django.db import connection, transaction

    from metrics.kpis import COUNTERS

    k = 1 << 40
    carry = ", ".join(
        f"(max(CASE WHEN {c} IS NOT NULL THEN rn * {k} + {c} END) OVER w) % {k} AS {c}"
        for c in COUNTERS
    )
    quantities = [*COUNTERS, "imp_eff", "eng_r", "eng_f", "fol"]
    n_q = len(quantities)
    current = ", ".join(quantities)
    sums = ", ".join(
        [f"sum(coalesce(cur[{i}], 0) - coalesce(prev[{i}], 0))" for i in range(1, n_q + 1)]
        + [f"sum((cur[{i}] IS NOT NULL)::int - (prev[{i}] IS NOT NULL)::int)"
           for i in range(1, n_q + 1)]
        + ["sum(fv - coalesce(prev_fv, 0))"]
    )
    posts_sql = f"""
    WITH posts AS MATERIALIZED (
      SELECT p.id, p.partnership_id, p.platform,
             coalesce((SELECT fs.followers FROM metrics_followersnapshot fs
                        WHERE fs.social_account_id = p.social_account_id
                          AND fs.date <= (p.published_at AT TIME ZONE 'UTC')::date
                        ORDER BY fs.date DESC LIMIT 1), sa.followers) AS followers
        FROM campaigns_post p JOIN campaigns_partnership pa ON pa.id = p.partnership_id
        LEFT JOIN influencers_socialaccount sa ON sa.id = p.social_account_id
       WHERE pa.campaign_id = %(c)s),
    n AS (SELECT pm.*, posts.partnership_id, posts.platform, posts.followers,
                 row_number() OVER (PARTITION BY pm.post_id ORDER BY pm.captured_at) rn
            FROM metrics_postmetrics pm JOIN posts ON posts.id = pm.post_id
           WHERE pm.captured_at <= now()),
    f AS (SELECT post_id, captured_at, partnership_id, platform, followers, {carry} FROM n
          WINDOW w AS (PARTITION BY post_id ORDER BY captured_at)),
    e AS (SELECT f.*,
                 CASE WHEN coalesce(likes, comments, shares, saves) IS NOT NULL
                      THEN coalesce(likes,0)+coalesce(comments,0)+coalesce(shares,0)
                           +coalesce(saves,0) END AS eng
            FROM f),
    q AS (SELECT *, coalesce(impressions, views) AS imp_eff,
                 CASE WHEN reach IS NOT NULL THEN eng END AS eng_r,
                 CASE WHEN followers IS NOT NULL THEN eng END AS eng_f,
                 CASE WHEN eng IS NOT NULL THEN followers END AS fol,
                 (impressions IS NULL AND views IS NOT NULL)::int AS fv FROM e),
    d AS (SELECT partnership_id, platform, (captured_at AT TIME ZONE 'UTC')::date AS day,
                 ARRAY[{current}]::bigint[] AS cur, fv,
                 lag(ARRAY[{current}]::bigint[]) OVER w AS prev, lag(fv) OVER w AS prev_fv
            FROM q WINDOW w AS (PARTITION BY post_id ORDER BY captured_at))
    SELECT day, partnership_id, platform, {sums} FROM d GROUP BY 1, 2, 3"""
    window = """
      c.partnership_id IN (SELECT id FROM campaigns_partnership WHERE campaign_id = %(c)s)
      AND c.occurred_at <= now() AND (
        (c.attribution = 'link' AND c.occurred_at >= mc.occurred_at
         AND c.occurred_at <= mc.occurred_at + interval '30 days')
        OR (c.attribution IN ('promo_code', 'utm') AND c.occurred_at >= %(ws)s
            AND c.occurred_at < %(we)s)
        OR c.attribution = 'manual')"""
    others = [
        """SELECT p.partnership_id, p.platform, (p.published_at AT TIME ZONE 'UTC')::date,
                  count(*) FROM campaigns_post p JOIN campaigns_partnership pa
                  ON pa.id = p.partnership_id WHERE pa.campaign_id = %(c)s GROUP BY 1, 2, 3""",
        """SELECT (cm.posted_at AT TIME ZONE 'UTC')::date, p.partnership_id, p.platform,
                  cm.sentiment, count(*) FROM metrics_comment cm
             JOIN campaigns_post p ON p.id = cm.post_id
             JOIN campaigns_partnership pa ON pa.id = p.partnership_id
            WHERE pa.campaign_id = %(c)s AND cm.posted_at <= now() GROUP BY 1, 2, 3, 4""",
        """SELECT (k.occurred_at AT TIME ZONE 'UTC')::date, l.partnership_id, count(*),
                  count(*) FILTER (WHERE k.is_unique) FROM metrics_click k
             JOIN campaigns_trackinglink l ON l.id = k.link_id
             JOIN campaigns_partnership pa ON pa.id = l.partnership_id
            WHERE pa.campaign_id = %(c)s AND NOT k.is_bot AND k.occurred_at <= now()
            GROUP BY 1, 2""",
        f"""SELECT (c.occurred_at AT TIME ZONE 'UTC')::date, c.partnership_id, c.attribution,
                   c.kind, c.currency, count(*), sum(c.amount)
              FROM metrics_conversion c LEFT JOIN metrics_click mc ON mc.id = c.matched_click_id
             WHERE {window} AND NOT c.is_cancelled
               AND NOT EXISTS (SELECT 1 FROM metrics_refund r WHERE r.conversion_id = c.id
                               AND r.occurred_at <= now())
             GROUP BY 1, 2, 3, 4, 5""",
        f"""SELECT r.conversion_id, r.amount, r.occurred_at, c.amount, c.partnership_id
              FROM metrics_refund r JOIN metrics_conversion c ON c.id = r.conversion_id
              LEFT JOIN metrics_click mc ON mc.id = c.matched_click_id
             WHERE {window} AND NOT c.is_cancelled AND r.occurred_at <= now()""",
        f"""SELECT (c.occurred_at AT TIME ZONE 'UTC')::date, c.partnership_id, count(*)
              FROM metrics_visit c LEFT JOIN metrics_click mc ON mc.id = c.matched_click_id
             WHERE {window} GROUP BY 1, 2""",
        f"""SELECT first_day, count(*) FROM (
              SELECT c.visitor_id, min((c.occurred_at AT TIME ZONE 'UTC')::date) AS first_day
                FROM metrics_visit c LEFT JOIN metrics_click mc ON mc.id = c.matched_click_id
               WHERE {window} AND c.visitor_id <> '' GROUP BY 1) v GROUP BY 1""",
        f"""SELECT c.partnership_id, count(DISTINCT c.visitor_id)
              FROM metrics_visit c LEFT JOIN metrics_click mc ON mc.id = c.matched_click_id
             WHERE {window} AND c.visitor_id <> '' GROUP BY 1""",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT start_date, end_date FROM campaigns_campaign WHERE id = %s",
                       [campaign_id])
        start, end = cursor.fetchone()
    import datetime as dt

    params: dict[str, Any] = {
        "c": campaign_id,
        "ws": dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC),
        "we": dt.datetime.combine(end + dt.timedelta(days=31), dt.time.min, tzinfo=dt.UTC),
    }
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        for statement in [posts_sql, *others]:
            cursor.execute(escape_modulo(statement, ("c", "ws", "we")), params)
            cursor.fetchall()
    return time.monotonic() - started


def rollup_floor(campaign_id: int) -> float:
    """The cheapest bare SQL for the total document's sums from the rollups: one SUM over each
    rollup table, timed."""
    from django.db import connection

    from metrics.kpis import POST_VECTOR

    statements = [
        f"SELECT {', '.join(f'sum({c})' for c in POST_VECTOR)} FROM metrics_postdayrollup "
        "WHERE campaign_id = %(c)s",
        "SELECT sentiment, sum(comments) FROM metrics_commentdayrollup WHERE campaign_id = %(c)s "
        "GROUP BY sentiment",
        "SELECT sum(clicks), sum(unique_clicks) FROM metrics_clickdayrollup "
        "WHERE campaign_id = %(c)s",
        "SELECT source, kind, currency, rate_day, sum(conversions), sum(amount) "
        "FROM metrics_conversiondayrollup WHERE campaign_id = %(c)s GROUP BY 1, 2, 3, 4",
        "SELECT sum(visits) FROM metrics_visitdayrollup WHERE campaign_id = %(c)s",
        "SELECT sum(visitors) FROM metrics_newvisitordayrollup "
        "WHERE campaign_id = %(c)s AND partnership_id IS NULL",
    ]
    started = time.monotonic()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {"c": campaign_id})
            cursor.fetchall()
    return time.monotonic() - started
