"""The KPI benchmark's data (bench/kpi.py): a large campaign generated with ``generate_series``
in the benchmark database — 20,000 posts × 50 daily snapshots, 1M clicks, 100k conversions
(1% refunded), 200k comments, 100k visits, all × the scale factor."""

from __future__ import annotations

import time
from typing import Any


def escape_modulo(sql: str, names: tuple[str, ...]) -> str:
    """Double the modulo operators for the driver's ``%(name)s`` placeholders."""
    sql = sql.replace("%", "%%")
    for name in names:
        sql = sql.replace(f"%%({name})s", f"%({name})s")
    return sql


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
    # The last day's snapshots a day ago: the data is history, as ingestion keeps it.
    start_ts = timezone.now().replace(microsecond=0) - dt.timedelta(days=n_days)
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
                compound, source, sentiment_source, created_at)
            SELECT (SELECT min(id) FROM campaigns_post) + i % {n_posts}, 'c' || i,
                   'comment ' || i, %(start)s + (i % {span}) * interval '1 second',
                   (ARRAY['positive','neutral','negative'])[1 + i % 3], 0.5, 'api', 'machine',
                   now()
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
            cursor.execute(escape_modulo(statement, ("start",)), {"start": start_ts})
    counts = {}
    with connection.cursor() as cursor:
        for name, table in (("posts", "campaigns_post"), ("post_metrics", "metrics_postmetrics"),
                            ("clicks", "metrics_click"), ("conversions", "metrics_conversion"),
                            ("comments", "metrics_comment"), ("visits", "metrics_visit")):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed names
            counts[name] = cursor.fetchone()[0]
    return {"campaign": campaign.pk, "seconds": time.monotonic() - started, **counts}
