"""Campaign report page (issue 6): server time of `GET /campaigns/<id>/` for a campaign with 200
partnerships on PostgreSQL (database `fb_bench_report`), whose KPI snapshots (total, 200
partnerships, platforms, ~60 days) were computed by the KPI engine from generated posts,
metrics, clicks and comments. Time is measured in-process through Django's full request path
(middleware, session, permission checkpoint, selectors, template), after two warm-up requests;
the query count is that of one request."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench._support import child_measures

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("FUNNELBOARD_BENCH_REPORT_DB", "fb_bench_report")
PARTNERSHIPS = 200
REQUESTS = 30
TARGET_MS = 100.0





def run() -> list[dict[str, Any]]:
    m = child_measures("bench.report", DB_NAME)
    return [
        {"measure": "data", "value": (
            f"{m['partnerships']} partnerships, {m['snapshots']} KPI snapshots "
            f"({m['days']} days), {m['post_metrics']:,} post metrics, {m['clicks']:,} clicks"),
         "target": None, "met": None},
        {"measure": f"report server time, median of {REQUESTS} (ms)", "value": m["median_ms"],
         "target": TARGET_MS, "met": m["median_ms"] <= TARGET_MS},
        {"measure": "report server time, p90 (ms)", "value": m["p90_ms"], "target": None,
         "met": None},
        {"measure": "web process CPU time per request, median (ms)", "value": m["cpu_median_ms"],
         "target": None, "met": None},
        {"measure": "machine load average during the run", "value": m["load"], "target": None,
         "met": None},
        {"measure": "SQL queries per request", "value": m["queries"], "target": None, "met": None},
        {"measure": "response size (kB)", "value": m["kb"], "target": None, "met": None},
    ]


def child() -> dict[str, Any]:
    import datetime as dt

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from metrics import scheduling
    from metrics.engine import kpis_recompute
    from metrics.models import Click, Comment, KpiSnapshot, PostMetrics
    from metrics.services.rollup_rebuild import kpi_rollups_rebuild
    from tests import factories

    f: Any = factories

    scheduling._enqueue = lambda ids: None  # type: ignore[assignment]  # computed once below
    organization = f.OrganizationFactory(slug="bench-report", name="Bench")
    user = f.UserFactory(username="bench-report")
    f.MembershipFactory(organization=organization, user=user, role="owner")
    brand = f.BrandFactory(organization=organization)
    today = timezone.localdate()
    campaign = f.CampaignFactory(
        brand=brand, start_date=today - dt.timedelta(days=59), end_date=today + dt.timedelta(days=30)
    )
    f.BrandAccountFactory(brand=brand)
    for metric in ("conversion.conversions", "awareness.impressions", "ctr.ctr"):
        f.KpiTargetFactory(campaign=campaign, metric=metric, value=1000)
    now = timezone.now()
    metrics, clicks, comments = [], [], []
    for i in range(PARTNERSHIPS):
        partnership = f.PartnershipFactory(campaign=campaign)
        account = f.SocialAccountFactory(influencer=partnership.influencer,
                                         platform=("instagram", "tiktok", "youtube")[i % 3])
        post = f.PostFactory(partnership=partnership, social_account=account,
                             published_at=now - dt.timedelta(days=50 - i % 40))
        link = f.TrackingLinkFactory(partnership=partnership)
        for day in range(0, 50, 5):
            metrics.append(PostMetrics(
                post=post, captured_at=now - dt.timedelta(days=day), impressions=10_000 - day * 100,
                reach=8_000 - day * 80, likes=500 - day * 5, comments=40, shares=10, saves=5))
        for n in range(10):
            clicks.append(Click(link=link, click_id=f"b{i:04d}{n:03d}", occurred_at=now - dt.timedelta(
                days=n * 3), visitor_hash=f"{i:032d}{n:032d}", is_unique=True))
        comments.append(Comment(post=post, external_id=f"c{i}", text="Love it", posted_at=now,
                                sentiment="positive", compound=0.7))
    PostMetrics.objects.bulk_create(metrics, batch_size=2000)
    Click.objects.bulk_create(clicks, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    # bulk_create skips the services that keep the daily rollups, which the engine reads.
    kpi_rollups_rebuild(campaign_id=campaign.pk)
    kpis_recompute(campaign_id=campaign.pk)

    client = Client()
    client.force_login(user)
    url = f"/campaigns/{campaign.pk}/"
    for _ in range(2):
        client.get(url)
    timings, cpu = [], []
    for _ in range(REQUESTS):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    timings.sort()
    return {
        "partnerships": PARTNERSHIPS,
        "snapshots": KpiSnapshot.objects.filter(campaign=campaign).count(),
        "days": KpiSnapshot.objects.filter(campaign=campaign, scope="day").count(),
        "post_metrics": len(metrics),
        "clicks": len(clicks),
        "median_ms": round(statistics.median(timings), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "load": round(os.getloadavg()[0], 1),
        "p90_ms": round(timings[int(len(timings) * 0.9) - 1], 1),
        "queries": len(queries.captured_queries),
        "kb": round(len(response.content) / 1024, 1),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "child":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child()))
    else:
        for row in run():
            print(row)
