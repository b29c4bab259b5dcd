"""What the posts sold: clicks on the tracking links, the visits and conversions that follow
them, orders placed with promo codes, orders nobody can claim, and a refund. Attributed the way
the attribution rules would, without going through ingestion."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import string
from decimal import Decimal

from campaigns.links import destination_for
from campaigns.models import Campaign, FunnelStage, Partnership, PromoCode, TrackingLink
from influencers.models import Platform as P
from metrics.demo.context import DemoContext
from metrics.models import AttributionReason, Click, Conversion, EventKind, Refund, Source, Visit

REFERRERS: dict[str, str] = {
    P.INSTAGRAM: "l.instagram.com", P.TIKTOK: "www.tiktok.com", P.YOUTUBE: "www.youtube.com",
}


def seed_traffic(ctx: DemoContext, partnership: Partnership, link: TrackingLink,
                 start: dt.datetime, reach: int) -> None:
    """Clicks decaying from the first post, some by bots; visits and conversions that
    follow the non-bot clicks, attributed by click id or by UTM parameters."""
    campaign = partnership.campaign
    brand = campaign.brand
    first_day = start.astimezone(ctx.tz).date()
    end = min(campaign.end_date, ctx.ago(1))
    total = min(1500, max(60, int(reach * ctx.rng.uniform(0.002, 0.005))))
    clicks: list[Click] = []
    seen: set[tuple[str, dt.date]] = set()
    day = first_day
    while day <= end:
        age = (day - first_day).days
        for _ in range(int(total * 0.25 * math.exp(-age / 5)) + ctx.rng.randint(0, 3)):
            when = ctx.at(day, ctx.rng.uniform(0, 23.9))
            is_bot = ctx.rng.random() < 0.06
            visitor = ctx.rng.randint(1, max(30, total // 2))
            utc_day = when.astimezone(dt.UTC).date()
            visitor_hash = hashlib.sha256(f"{link.slug}:{visitor}:{utc_day}".encode()).hexdigest()
            unique = not is_bot and (visitor_hash, utc_day) not in seen
            if not is_bot:
                seen.add((visitor_hash, utc_day))
            clicks.append(Click(
                link=link, click_id=ctx.token(22), occurred_at=when, visitor_hash=visitor_hash,
                referrer_host=REFERRERS.get(link.utm_source, ""),
                device=ctx.rng.choice(["mobile", "mobile", "mobile", "desktop", "tablet"]),
                country=ctx.rng.choice(ctx.spec.click_countries),
                is_bot=is_bot, is_unique=unique,
            ))
        day += dt.timedelta(days=1)
    Click.objects.bulk_create(clicks, batch_size=1000)
    ctx.counts["clicks"] += len(clicks)

    visits: list[Visit] = []
    conversions: list[Conversion] = []
    for click in clicks:
        if click.is_bot or ctx.rng.random() > 0.7:
            continue
        # Two visitors in ten arrive with cookies blocked: no click id, UTM only.
        by_click = ctx.rng.random() < 0.8
        reason = AttributionReason.LINK if by_click else AttributionReason.UTM
        landing = destination_for(link, click.click_id if by_click else None)
        visited = click.occurred_at + dt.timedelta(seconds=ctx.rng.randint(2, 20))
        visitor_id = f"v{click.visitor_hash[:16]}"
        visits.append(Visit(
            brand=brand, external_id=f"evt-{click.click_id}", occurred_at=visited,
            landing_url=landing, visitor_id=visitor_id,
            click_id=click.click_id if by_click else "", utm_campaign=link.utm_campaign,
            utm_content=link.utm_content, partnership=partnership,
            matched_click=click if by_click else None, attribution=reason, source=Source.PIXEL,
        ))
        kind, amount = _funnel_event(ctx, campaign.stage)
        if kind is None or visited.astimezone(ctx.tz).date() >= ctx.today:
            continue
        occurred = visited + dt.timedelta(minutes=ctx.rng.randint(3, 60 * 30))
        if occurred >= ctx.at(ctx.today, 0):
            continue
        conversions.append(Conversion(
            brand=brand, external_id=f"{'order' if kind == EventKind.SALE else 'evt'}-"
            f"{ctx.token(12, string.digits)}",
            kind=kind, amount=amount, currency=brand.currency, occurred_at=occurred,
            click_id=click.click_id if by_click else "", landing_url=landing,
            utm_campaign=link.utm_campaign, utm_content=link.utm_content,
            partnership=partnership, matched_click=click if by_click else None,
            attribution=reason,
            source=Source.SHOPIFY if kind == EventKind.SALE else Source.PIXEL,
        ))
    Visit.objects.bulk_create(visits, batch_size=1000)
    Conversion.objects.bulk_create(conversions, batch_size=1000)
    ctx.counts["visits"] += len(visits)
    ctx.counts["conversions"] += len(conversions)


def _funnel_event(ctx: DemoContext, stage: str) -> tuple[str | None, Decimal]:
    """What a visitor does next, if anything: sign-ups in MOFU, sales in TOFU and BOFU."""
    roll = ctx.rng.random()
    if stage == FunnelStage.MOFU:
        if roll < 0.12:
            return EventKind.SIGNUP, Decimal("0")
        if roll < 0.17:
            return EventKind.DOWNLOAD, Decimal("0")
        if roll < 0.19:
            return EventKind.REGISTRATION, Decimal("0")
        return None, Decimal("0")
    rate = 0.06 if stage == FunnelStage.BOFU else 0.02
    if roll < rate:
        return EventKind.SALE, _basket(ctx)
    return None, Decimal("0")


def _basket(ctx: DemoContext) -> Decimal:
    items = ctx.rng.choice([1, 1, 1, 2, 2, 3])
    return (ctx.spec.basket * items * Decimal(str(ctx.rng.choice([1, 1, 0.85])))).quantize(
        Decimal("0.01"))


def seed_promo_sales(ctx: DemoContext, partnership: Partnership, code: PromoCode,
                     start: dt.datetime, reach: int) -> None:
    """Orders placed with the creator's code: no click needed (a code beats any link)."""
    campaign = partnership.campaign
    first_day = start.astimezone(ctx.tz).date()
    end = min(campaign.end_date, ctx.ago(1))
    days = (end - first_day).days + 1
    # Awareness audiences buy far less often than those of a launch with a discount.
    low, high = (0.00002, 0.00006) if campaign.stage == FunnelStage.TOFU else (0.0002, 0.0005)
    count = max(4, int(reach * ctx.rng.uniform(low, high)))
    rows = []
    for _ in range(count):
        day = first_day + dt.timedelta(days=min(days - 1, int(ctx.rng.expovariate(1 / 5))))
        rows.append(Conversion(
            brand=campaign.brand, external_id=f"order-{ctx.token(12, string.digits)}",
            kind=EventKind.SALE, amount=_basket(ctx), currency=campaign.brand.currency,
            occurred_at=ctx.at(day, ctx.rng.uniform(7, 23)),
            promo_code=code.code.lower() if ctx.rng.random() < 0.3 else code.code,
            partnership=partnership, attribution=AttributionReason.PROMO_CODE,
            source=Source.SHOPIFY,
        ))
    Conversion.objects.bulk_create(rows)
    ctx.counts["conversions"] += len(rows)


def seed_unattributed_orders(ctx: DemoContext, campaign: Campaign) -> None:
    """A few orders at the sales campaign's brand nobody can claim yet (organic traffic, a code
    of no creator): they show on the unattributed list."""
    brand = campaign.brand
    orphans = [
        Conversion(
            brand=brand, external_id=f"order-{ctx.token(12, string.digits)}",
            kind=EventKind.SALE, amount=_basket(ctx), currency=brand.currency,
            occurred_at=ctx.at(ctx.ago(ctx.rng.randint(2, 20)), ctx.rng.uniform(8, 22)),
            promo_code=code, landing_url=brand.website + ctx.plan(campaign).path,
            attribution=AttributionReason.UNATTRIBUTED, source=Source.SHOPIFY,
        )
        for code in ["", "", ctx.spec.welcome_code, ""]
    ]
    Conversion.objects.bulk_create(orphans)
    ctx.counts["conversions"] += len(orphans)


def seed_refund(ctx: DemoContext, campaign: Campaign) -> None:
    """Half of the campaign's first attributed sale refunded: it shows in net revenue."""
    refunded = (
        Conversion.objects.filter(partnership__campaign=campaign, kind=EventKind.SALE)
        .order_by("occurred_at", "external_id").first()
    )
    if refunded is None:
        return
    Refund.objects.create(
        conversion=refunded, external_id=f"refund-{ctx.token(10, string.digits)}",
        amount=(refunded.amount / 2).quantize(Decimal("0.01")),
        occurred_at=refunded.occurred_at + dt.timedelta(days=3),
    )
    ctx.counts["refunds"] = 1
