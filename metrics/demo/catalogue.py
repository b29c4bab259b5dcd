"""What the demo agency works with: brands and their accounts, creators and their social
accounts, campaigns with their costs and KPI targets, partnerships and what each hands out
(tracking links, promo codes)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.utils.text import slugify

from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    CostCategory,
    FunnelStage,
    KpiTarget,
    LinkKind,
    Partnership,
    PromoCode,
    TrackingLink,
    new_brand_key,
    new_link_slug,
)
from influencers.models import Influencer, SocialAccount
from influencers.models import Platform as P
from metrics.demo.context import DemoContext
from metrics.demo.platforms import profile_url

# name, country, tags, [(platform, handle, followers)]
CREATORS: list[tuple[str, str, list[str], list[tuple[str, str, int]]]] = [
    ("Maya Chen", "US", ["skincare", "beauty"],
     [(P.INSTAGRAM, "mayaglows", 85_400), (P.TIKTOK, "mayaglows", 212_000)]),
    ("Jordan Ellis", "US", ["outdoor", "hiking"],
     [(P.YOUTUBE, "JordanOutdoors", 341_000), (P.INSTAGRAM, "jordan.ellis", 48_200)]),
    ("Priya Raman", "GB", ["skincare", "wellness"], [(P.INSTAGRAM, "priyaskin", 121_300)]),
    ("Lucas Moreau", "FR", ["lifestyle", "comedy"], [(P.TIKTOK, "lucasmoves", 563_000)]),
    ("Sofia Alvarez", "ES", ["beauty", "makeup"],
     [(P.INSTAGRAM, "sofia.alvarez", 32_100), (P.TIKTOK, "sofiabeauty", 90_500)]),
    ("Ethan Brooks", "CA", ["camping", "gear"], [(P.YOUTUBE, "EthanBrooksWild", 125_000)]),
    ("Aiko Tanaka", "JP", ["travel", "trail running"],
     [(P.INSTAGRAM, "aiko.runs", 64_800), (P.YOUTUBE, "AikoRuns", 22_400)]),
    ("Noah Williams", "US", ["skincare", "men"], [(P.TIKTOK, "noahskin", 15_300)]),
    ("Chloé Dubois", "FR", ["beauty", "luxury"], [(P.INSTAGRAM, "chloe.dubois", 210_500)]),
    ("Sam Okafor", "NG", ["outdoor", "climbing"],
     [(P.YOUTUBE, "SamClimbs", 78_000), (P.X, "samclimbs", 12_600)]),
    ("Lena Fischer", "DE", ["outdoor", "photography"],
     [(P.PINTEREST, "lenafischerphoto", 40_200), (P.BLOG, "lenafischer.blog", 9_800)]),
    ("Ravi Patel", "IN", ["gaming", "outdoor"],
     [(P.TWITCH, "ravistreams", 30_100), (P.YOUTUBE, "RaviPatel", 55_300)]),
]


def new_webhook_secret() -> str:
    """A Shopify signing secret of the demo brands: 256 random bits, fresh on every run."""
    return f"shpss_demo_{secrets.token_hex(32)}"


def seed_brands(ctx: DemoContext) -> tuple[Brand, Brand]:
    """Glow Botanics (skincare, USD) and Trailpeak Outdoor (EUR), each with two accounts."""
    made = []
    for name, website, currency, handles in [
        ("Glow Botanics", "https://glowbotanics.example", "USD",
         [(P.INSTAGRAM, "glowbotanics"), (P.TIKTOK, "glowbotanics")]),
        ("Trailpeak Outdoor", "https://trailpeak.example", "EUR",
         [(P.INSTAGRAM, "trailpeak"), (P.YOUTUBE, "TrailpeakOutdoor")]),
    ]:
        brand = Brand(
            organization=ctx.org, name=name, website=website, currency=currency,
            key=new_brand_key(), shopify_webhook_secret=new_webhook_secret(),
        )
        brand.full_clean()
        brand.save()
        for platform, handle in handles:
            BrandAccount.objects.create(brand=brand, platform=platform, handle=handle)
        made.append(brand)
        ctx.counts["brands"] += 1
    return made[0], made[1]


def seed_creators(ctx: DemoContext) -> None:
    """Every creator of ``CREATORS`` with their social accounts, kept on ``ctx`` by name."""
    for name, country, tags, accounts in CREATORS:
        email = name.lower().replace(" ", ".").replace("é", "e") + "@creators.example"
        influencer = Influencer.objects.create(
            organization=ctx.org, name=name, email=email, country=country, tags=tags,
            notes="Demo creator.",
        )
        ctx.influencers[name] = influencer
        ctx.accounts[name] = [
            SocialAccount.objects.create(
                influencer=influencer, platform=platform, handle=handle,
                url=profile_url(platform, handle), followers=followers,
            )
            for platform, handle, followers in accounts
        ]
    ctx.counts["influencers"] = len(CREATORS)


def seed_campaign(ctx: DemoContext, brand: Brand, *, name: str, stage: str,
                  started_days_ago: int, ends_in_days: int, budget: str, status: str,
                  objective: str) -> Campaign:
    campaign = Campaign(
        brand=brand, name=name, slug=slugify(name), stage=stage, objective=objective,
        start_date=ctx.ago(started_days_ago), end_date=ctx.ago(-ends_in_days),
        budget=Decimal(budget), currency=brand.currency, status=status,
        attribution_window_days=30,
    )
    campaign.full_clean()
    campaign.save()
    ctx.campaigns.append(campaign)
    return campaign


def seed_partnership(ctx: DemoContext, campaign: Campaign, *, creator: str, status: str,
                     fee: str, product: str, commission: str) -> Partnership:
    partnership = Partnership.objects.create(
        campaign=campaign, influencer=ctx.influencers[creator], status=status,
        fee=Decimal(fee), product_value=Decimal(product), commission_rate=Decimal(commission),
    )
    ctx.counts["partnerships"] += 1
    return partnership


def seed_links(ctx: DemoContext, partnership: Partnership) -> list[TrackingLink]:
    """A UTM link for every partnership, plus an affiliate link in a sales (BOFU) campaign."""
    links = [_seed_link(ctx, partnership, LinkKind.UTM)]
    if partnership.campaign.stage == FunnelStage.BOFU:
        links.append(_seed_link(ctx, partnership, LinkKind.AFFILIATE))
    return links


def _seed_link(ctx: DemoContext, partnership: Partnership, kind: str) -> TrackingLink:
    campaign = partnership.campaign
    account = ctx.accounts[partnership.influencer.name][0]
    # A slug is shared publicly but must not be predictable from the demo's fixed seed.
    slug = new_link_slug()
    while TrackingLink.objects.filter(slug=slug).exists():
        slug = new_link_slug()
    path = "/serum" if campaign.stage == FunnelStage.BOFU else (
        "/trail-club" if campaign.stage == FunnelStage.MOFU else "/summer")
    link = TrackingLink.objects.create(
        partnership=partnership, kind=kind, slug=slug,
        destination_url=campaign.brand.website + path,
        utm_source=account.platform, utm_medium="influencer" if kind == LinkKind.UTM
        else "affiliate", utm_campaign=campaign.slug,
        utm_content=account.handle.lower(),
    )
    ctx.counts["links"] += 1
    return link


def seed_promo_code(ctx: DemoContext, partnership: Partnership) -> PromoCode | None:
    """The creator's code (``MAYASUMMER``, ``MAYA15``); none in a sign-up (MOFU) campaign."""
    campaign = partnership.campaign
    if campaign.stage == FunnelStage.MOFU:
        return None
    first = partnership.influencer.name.split()[0].upper()
    suffix = "SUMMER" if campaign.stage == FunnelStage.TOFU else "15"
    code = PromoCode.objects.create(
        partnership=partnership, code=f"{first}{suffix}",
        active_from=ctx.at(campaign.start_date, 0),
    )
    ctx.counts["promo_codes"] += 1
    return code


def seed_costs(ctx: DemoContext, tofu: Campaign, mofu: Campaign, bofu: Campaign) -> None:
    """What each campaign cost beyond the creators' fees."""
    rows = [
        (tofu, CostCategory.AD_SPEND, "6000.00", 10, "Spark ads boosting the best reels"),
        (tofu, CostCategory.PRODUCTION, "1800.00", 3, "Product kits and shipping"),
        (tofu, CostCategory.PLATFORM_FEE, "450.00", 0, "Creator marketplace fee"),
        (mofu, CostCategory.AD_SPEND, "3500.00", 12, "YouTube in-feed promotion"),
        (mofu, CostCategory.PRODUCTION, "950.00", 2, "Trail Club welcome packs"),
        (mofu, CostCategory.OTHER, "300.00", 5, "Giveaway prizes"),
        (bofu, CostCategory.AD_SPEND, "2500.00", 8, "Retargeting of link clickers"),
        (bofu, CostCategory.PLATFORM_FEE, "390.00", 1, "Affiliate network fee"),
        (bofu, CostCategory.OTHER, "150.00", 6, "Photo licensing"),
    ]
    Cost.objects.bulk_create([
        Cost(campaign=c, category=category, amount=Decimal(amount),
             incurred_on=min(c.start_date + dt.timedelta(days=days), ctx.ago(1)), note=note)
        for c, category, amount, days, note in rows
    ])
    ctx.counts["costs"] = len(rows)


def seed_targets(ctx: DemoContext, tofu: Campaign, mofu: Campaign, bofu: Campaign) -> None:
    """KPI targets that fit each funnel stage."""
    M = KpiTarget.Metric
    rows = [
        (tofu, M.VIDEO_VIEWS, "2500000"), (tofu, M.ENGAGEMENT_RATE, "4.5"),
        (tofu, M.EMV, "60000"), (tofu, M.NET_SENTIMENT, "40"),
        (mofu, M.LEADS, "400"), (mofu, M.FOLLOWERS_GAINED, "20000"), (mofu, M.VISITS, "2500"),
        (mofu, M.CTR, "0.5"),
        (bofu, M.CONVERSIONS, "250"), (bofu, M.REVENUE, "12000"), (bofu, M.ROAS, "1.5"),
        (bofu, M.CONVERSION_RATE, "3"),
    ]
    KpiTarget.objects.bulk_create(
        [KpiTarget(campaign=c, metric=m, value=Decimal(v)) for c, m, v in rows]
    )
    ctx.counts["kpi_targets"] = len(rows)
