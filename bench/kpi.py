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
the time goes to PostgreSQL's window functions over 1M rows (one sort per post series).

The data generator is ``bench/_kpi_data.py``, the bare-SQL floor ``bench/_kpi_floor.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._kpi_data import prepare
from bench._kpi_floor import floor_queries
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
def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def measure(campaign_id: int) -> dict[str, Any]:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrics.engine import kpis_recompute
    from metrics.models import KpiSnapshot
    from metrics.selectors.inputs import campaign_for_kpis
    from metrics.selectors.snapshots import campaign_snapshots

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
