"""KPI engine on a large campaign in PostgreSQL (issue 4): 20,000 posts × 50 daily snapshots
(1M PostMetrics rows), 1M clicks, 100k conversions (1% refunded), 200k comments, 100k visits,
all × `FUNNELBOARD_BENCH_SCALE` (default 1.0). Data is generated with `generate_series` in a
separate database (`fb_bench_kpi`). "Floor" is the same aggregates hand-written as bare SQL
(same carry-forward/delta strategy, no ORM, no document building). Incremental = a recompute
after one more day of snapshots and clicks. Read = queries of the page's read of stored KPIs
(campaign + its snapshots, `?by=day`). Peak RSS is that of a separate process doing one full
recompute (Django and its imports included).

Known miss: "recompute after one more day" is a full recompute (the engine has no incremental
path yet), so it costs what the full recompute costs, far above the 100 ms target. Meeting it
needs stored per-post state (each post's latest carried-forward counters) plus per-input
watermarks, so one more day only reads that day's rows; that needs a new model and was not
built. The full recompute itself is at the floor: the floor uses the same single-pass SQL, and
the time goes to PostgreSQL's window functions over 1M rows (one sort per post series)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._support import recreate_database, url_for

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("FUNNELBOARD_BENCH_KPI_DB", "fb_bench_kpi")
TARGETS = {"full_ratio": 1.5, "incremental_ms": 100.0, "read_queries": 5, "peak_rss_mb": 300.0}


def scale() -> float:
    return float(os.environ.get("FUNNELBOARD_BENCH_SCALE", "1.0"))





def _child(command: str, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DATABASE_URL=url_for(DB_NAME), DJANGO_SETTINGS_MODULE="config.settings",
               FUNNELBOARD_LOG_LEVEL="WARNING")
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "-m", "bench.kpi", command, *args], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.kpi {command} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> list[dict[str, Any]]:
    recreate_database(DB_NAME)
    prepared = _child("prepare", str(scale()))
    measured = _child("measure", str(prepared["campaign"]))
    rss = _child("recompute", str(prepared["campaign"]))
    full, floor = measured["full_s"], measured["floor_s"]
    ratio = full / floor if floor else None
    return [
        {"measure": "data", "value": (
            f"{prepared['posts']:,} posts, {prepared['post_metrics']:,} snapshots, "
            f"{prepared['clicks']:,} clicks, {prepared['conversions']:,} conversions, "
            f"{prepared['comments']:,} comments, {prepared['visits']:,} visits "
            f"(scale {scale()}, generated in {prepared['seconds']:.0f} s)"),
         "target": None, "met": None},
        {"measure": "full recompute (s, best of 2)", "value": round(full, 3), "target": None,
         "met": None},
        {"measure": "bare SQL floor (s, best of 2)", "value": round(floor, 3), "target": None,
         "met": None},
        {"measure": "full / floor", "value": round(ratio, 3) if ratio else None,
         "target": f"≤ {TARGETS['full_ratio']}",
         "met": ratio is not None and ratio <= TARGETS["full_ratio"]},
        {"measure": "recompute after one more day (ms)",
         "value": round(measured["incremental_s"] * 1000, 1),
         "target": f"≤ {TARGETS['incremental_ms']:.0f}",
         "met": measured["incremental_s"] * 1000 <= TARGETS["incremental_ms"]},
        {"measure": "queries of the page's read of stored KPIs",
         "value": measured["read_queries"], "target": f"≤ {TARGETS['read_queries']}",
         "met": measured["read_queries"] <= TARGETS["read_queries"]},
        {"measure": "queries of a full recompute", "value": measured["recompute_queries"],
         "target": "fixed", "met": None},
        {"measure": "peak RSS of the recompute process (MB)", "value": rss["peak_rss_mb"],
         "target": f"≤ {TARGETS['peak_rss_mb']:.0f}",
         "met": rss["peak_rss_mb"] <= TARGETS["peak_rss_mb"]},
        {"measure": "KpiSnapshot rows written", "value": measured["snapshots"], "target": None,
         "met": None},
    ]


# --- the child processes (Django set up on the benchmark database) --------------------------


def _escape(sql: str, names: tuple[str, ...]) -> str:
    """Double the modulo operators for the driver's ``%(name)s`` placeholders."""
    sql = sql.replace("%", "%%")
    for name in names:
        sql = sql.replace(f"%%({name})s", f"%({name})s")
    return sql


def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def prepare(scale_factor: float) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organization
    from campaigns.models import (
        Brand,
        BrandAccount,
        Campaign,
        Cost,
        Partnership,
        TrackingLink,
    )
    from influencers.models import Influencer, SocialAccount
    from metrics.emv_defaults import emv_rates_ensure
    from metrics.models import ExchangeRate, FollowerSnapshot

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    n_posts = max(10, int(20_000 * scale_factor))
    n_days = 50
    n_clicks = max(10, int(1_000_000 * scale_factor))
    n_conversions = max(10, int(100_000 * scale_factor))
    n_comments = max(10, int(200_000 * scale_factor))
    n_visits = max(10, int(100_000 * scale_factor))
    n_partnerships = max(2, min(200, n_posts // 100))

    today = timezone.now().date()
    start = today - dt.timedelta(days=n_days - 1)
    org = Organization.objects.create(name="Bench", slug="bench")
    emv_rates_ensure(organization=org)
    brand = Brand.objects.create(organization=org, name="Bench brand", currency="USD")
    campaign = Campaign.objects.create(
        brand=brand, name="Big campaign", slug="big", stage="BOFU", start_date=start,
        end_date=today + dt.timedelta(days=10), currency="USD", status="active",
    )
    influencers = Influencer.objects.bulk_create(
        [Influencer(organization=org, name=f"Creator {i}") for i in range(n_partnerships)]
    )
    platforms = ["instagram", "tiktok", "youtube", "facebook"]
    accounts = SocialAccount.objects.bulk_create(
        [SocialAccount(influencer=inf, platform=platforms[i % 4], handle=f"c{i}",
                       followers=10_000 + i * 100) for i, inf in enumerate(influencers)]
    )
    partnerships = Partnership.objects.bulk_create(
        [Partnership(campaign=campaign, influencer=inf, status="live", fee=Decimal("500"),
                     commission_rate=Decimal("10")) for inf in influencers]
    )
    links = TrackingLink.objects.bulk_create(
        [TrackingLink(partnership=p, kind="utm", slug=f"bench{i}",
                      destination_url="https://brand.example/", utm_campaign="big",
                      utm_content=f"c{i}") for i, p in enumerate(partnerships)]
    )
    for i, platform in enumerate(platforms[:3]):
        account = BrandAccount.objects.create(brand=brand, platform=platform, handle=f"b{i}")
        FollowerSnapshot.objects.bulk_create(
            [FollowerSnapshot(organization=org, brand_account=account,
                              date=start + dt.timedelta(days=d - 5), followers=50_000 + d * 40)
             for d in range(n_days + 5)]
        )
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(currency="USD", date=start + dt.timedelta(days=d - 3),
                      per_euro=Decimal("1.08")) for d in range(n_days + 3)]
    )
    Cost.objects.create(campaign=campaign, category="ad_spend", amount=Decimal("25000"),
                        incurred_on=start)
    first_p, first_a, first_l = partnerships[0].pk, accounts[0].pk, links[0].pk
    start_ts = dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)
    span = n_days * 86_400
    sql = [
        # Posts: partnership i % P, that creator's account and platform.
        f"""INSERT INTO campaigns_post (partnership_id, social_account_id, platform, post_type,
                url, external_id, published_at, caption, created_at)
            SELECT {first_p} + i % {n_partnerships}, {first_a} + i % {n_partnerships},
                   (ARRAY['instagram','tiktok','youtube','facebook'])[1 + (i % {n_partnerships}) % 4],
                   'reel', '', 'p' || i, %(start)s - interval '1 day', '', now()
              FROM generate_series(0, {n_posts - 1}) i""",
        # One snapshot a day per post; Instagram posts report views, not impressions; every
        # tenth post reports no reach; saves are missing on odd days.
        f"""INSERT INTO metrics_postmetrics (post_id, captured_at, impressions, reach, views,
                likes, comments, shares, saves, mentions, link_clicks, source, created_at)
            SELECT p.id, %(start)s + d * interval '1 day',
                   CASE WHEN p.platform = 'instagram' THEN NULL ELSE (p.id % 1000 + 100) * (d + 1) * 12 END,
                   CASE WHEN p.id % 10 = 0 THEN NULL ELSE (p.id % 1000 + 100) * (d + 1) * 8 END,
                   (p.id % 1000 + 100) * (d + 1) * 10,
                   (p.id % 97 + 1) * (d + 1), (p.id % 13) * (d + 1), (p.id % 7) * (d + 1),
                   CASE WHEN d % 2 = 1 THEN NULL ELSE (p.id % 5) * (d + 1) END,
                   NULL, (p.id % 11) * (d + 1), 'api', now()
              FROM campaigns_post p CROSS JOIN generate_series(0, {n_days - 1}) d""",
        f"""INSERT INTO metrics_click (link_id, click_id, occurred_at, visitor_hash,
                referrer_host, device, country, is_bot, is_unique)
            SELECT {first_l} + i % {n_partnerships}, 'k' || i,
                   %(start)s - interval '12 hours' + (i % {span}) * interval '1 second',
                   md5(i::text), '', '', '', i % 50 = 0, i % 3 <> 0
              FROM generate_series(0, {n_clicks - 1}) i""",
        f"""INSERT INTO metrics_conversion (brand_id, external_id, kind, amount, currency,
                occurred_at, promo_code, click_id, landing_url, utm_campaign, utm_content,
                partnership_id, matched_click_id, attribution, is_cancelled, source, created_at,
                updated_at)
            SELECT {brand.pk}, 'o' || i,
                   CASE WHEN i % 10 = 0 THEN 'signup' ELSE 'sale' END, 10 + i % 90,
                   CASE WHEN i % 7 = 0 THEN 'EUR' ELSE 'USD' END,
                   %(start)s - interval '12 hours' + ((i * 10) % {span}) * interval '1 second'
                     + interval '1 hour',
                   '', '', '', '', '', {first_p} + i % {n_partnerships},
                   CASE WHEN i % 4 = 1 THEN (SELECT min(id) FROM metrics_click) + i * 10 END,
                   (ARRAY['promo_code','link','utm','manual'])[1 + i % 4], i % 53 = 0, 'api',
                   now(), now()
              FROM generate_series(0, {n_conversions - 1}) i""",
        """INSERT INTO metrics_refund (conversion_id, external_id, amount, occurred_at,
                created_at)
            SELECT id, 'r' || id, 5, occurred_at + interval '2 days', now()
              FROM metrics_conversion WHERE id % 100 = 0""",
        f"""INSERT INTO metrics_comment (post_id, external_id, text, posted_at, sentiment,
                compound, source, created_at)
            SELECT (SELECT min(id) FROM campaigns_post) + i % {n_posts}, 'c' || i,
                   'comment ' || i, %(start)s + (i % {span}) * interval '1 second',
                   (ARRAY['positive','neutral','negative'])[1 + i % 3], 0.5, 'api', now()
              FROM generate_series(0, {n_comments - 1}) i""",
        f"""INSERT INTO metrics_visit (brand_id, external_id, occurred_at, landing_url,
                referrer, visitor_id, click_id, utm_campaign, utm_content, partnership_id,
                matched_click_id, attribution, source, created_at)
            SELECT {brand.pk}, 'w' || i,
                   %(start)s + (i % {span}) * interval '1 second', '', '', 'v' || (i % 40000), '',
                   'big', 'c', {first_p} + i % {n_partnerships}, NULL, 'utm', 'pixel', now()
              FROM generate_series(0, {n_visits - 1}) i""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(_escape(statement, ("start",)), {"start": start_ts})
    counts = {}
    with connection.cursor() as cursor:
        for name, table in (("posts", "campaigns_post"), ("post_metrics", "metrics_postmetrics"),
                            ("clicks", "metrics_click"), ("conversions", "metrics_conversion"),
                            ("comments", "metrics_comment"), ("visits", "metrics_visit")):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed names
            counts[name] = cursor.fetchone()[0]
    return {"campaign": campaign.pk, "seconds": time.monotonic() - started, **counts}


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
            cursor.execute(_escape(statement, ("c", "ws", "we")), params)
            cursor.fetchall()
    return time.monotonic() - started


def measure(campaign_id: int) -> dict[str, Any]:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrics.engine import kpis_recompute
    from metrics.models import KpiSnapshot
    from metrics.selectors import campaign_for_kpis
    from metrics.snapshots import campaign_snapshots

    full = []
    floor = []
    for _ in range(2):
        started = time.monotonic()
        kpis_recompute(campaign_id=campaign_id)
        full.append(time.monotonic() - started)
        floor.append(floor_queries(campaign_id))
    with CaptureQueriesContext(connection) as ctx:
        kpis_recompute(campaign_id=campaign_id)
    recompute_queries = len(ctx.captured_queries)

    # One more day of data: a snapshot per post and a day of clicks, stamped now.
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM metrics_click")
        clicks = cursor.fetchone()[0]
        cursor.execute(
            """INSERT INTO metrics_postmetrics (post_id, captured_at, impressions, reach, views,
                   likes, comments, shares, saves, mentions, link_clicks, source, created_at)
               SELECT pm.post_id, %(now)s, pm.impressions + 100, pm.reach, pm.views + 100,
                      pm.likes + 1, pm.comments, pm.shares, pm.saves, pm.mentions,
                      pm.link_clicks, 'api', now()
                 FROM metrics_postmetrics pm
                WHERE pm.captured_at = (SELECT max(captured_at) FROM metrics_postmetrics)""",
            {"now": now},
        )
        cursor.execute(
            """INSERT INTO metrics_click (link_id, click_id, occurred_at, visitor_hash,
                   referrer_host, device, country, is_bot, is_unique)
               SELECT link_id, 'n' || id, %(now)s, visitor_hash, '', '', '', is_bot, is_unique
                 FROM metrics_click ORDER BY id DESC LIMIT %(n)s""",
            {"now": now, "n": max(1, clicks // 50)},
        )
    started = time.monotonic()
    kpis_recompute(campaign_id=campaign_id)
    incremental = time.monotonic() - started

    with CaptureQueriesContext(connection) as ctx:
        campaign = campaign_for_kpis(campaign_id)
        total, breakdown = campaign_snapshots(campaign.pk, "day")
    assert total is not None
    return {
        "full_s": min(full),
        "floor_s": min(floor),
        "incremental_s": incremental,
        "read_queries": len(ctx.captured_queries),
        "recompute_queries": recompute_queries,
        "snapshots": KpiSnapshot.objects.filter(campaign_id=campaign_id).count(),
    }


def recompute(campaign_id: int) -> dict[str, Any]:
    import resource

    from metrics.engine import kpis_recompute

    kpis_recompute(campaign_id=campaign_id)
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"peak_rss_mb": round(peak, 1)}


if __name__ == "__main__":
    _setup()
    command, argument = sys.argv[1], sys.argv[2]
    if command == "prepare":
        output = prepare(float(argument))
    elif command == "measure":
        output = measure(int(argument))
    elif command == "recompute":
        output = recompute(int(argument))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(output))
