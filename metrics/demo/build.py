"""``demo_build``: the demo organization, deleted and rebuilt in one transaction.

The steps run in a fixed order because they share one seeded generator: the same ``SEED`` and
the same ``today`` give the same rows, run after run."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from campaigns.models import Campaign, CampaignStatus, FunnelStage, PartnershipStatus
from metrics.demo.activity import seed_follower_history, seed_posts
from metrics.demo.catalogue import (
    seed_brands,
    seed_campaign,
    seed_costs,
    seed_creators,
    seed_links,
    seed_partnership,
    seed_promo_code,
    seed_targets,
)
from metrics.demo.context import DemoContext
from metrics.demo.people import (
    DEMO_TIME_ZONE,
    demo_organization_clear,
    demo_organization_create,
    demo_user_reset,
)
from metrics.demo.sales import (
    seed_promo_sales,
    seed_refund,
    seed_traffic,
    seed_unattributed_orders,
)
from metrics.services.rollup_rebuild import kpi_rollups_rebuild

SEED = 20250601
S = PartnershipStatus


class Deal(NamedTuple):
    creator: str
    status: str
    fee: str
    product: str  # product value
    commission: str  # per cent


# Partnerships that never started hand out nothing; signed ones get links and codes; only those
# that went live have posts, traffic and sales.
NOT_STARTED = {S.PROSPECT, S.INVITED, S.DECLINED}
WENT_LIVE = {S.LIVE, S.PAID}


@dataclass
class DemoResult:
    organization: Organization
    user: User
    campaigns: list[Campaign]
    counts: dict[str, int] = field(default_factory=dict)


def demo_build(*, today: dt.date | None = None) -> DemoResult:
    """Delete and rebuild the demo organization in one transaction."""
    tz = zoneinfo.ZoneInfo(DEMO_TIME_ZONE)
    today = today or timezone.now().astimezone(tz).date()
    with transaction.atomic():
        user = demo_user_reset()
        demo_organization_clear()
        organization = demo_organization_create(owner=user)
        ctx = DemoContext(organization, today, tz, random.Random(SEED))
        _build(ctx)
        # The demo's history is written in bulk, around the rollups' upkeep: roll it up once.
        for campaign in ctx.campaigns:
            kpi_rollups_rebuild(campaign_id=campaign.pk)
    return DemoResult(organization, user, ctx.campaigns, dict(ctx.counts))


def _build(ctx: DemoContext) -> None:
    glow, trail = seed_brands(ctx)
    seed_creators(ctx)
    tofu = seed_campaign(
        ctx, glow, name="Glow Summer Awareness", stage=FunnelStage.TOFU, started_days_ago=42,
        ends_in_days=-8, budget="45000.00", status=CampaignStatus.COMPLETED,
        objective="Put the Glow Botanics summer line in front of skincare audiences on "
        "Instagram and TikTok.",
    )
    mofu = seed_campaign(
        ctx, trail, name="Trail Club Sign-ups", stage=FunnelStage.MOFU, started_days_ago=35,
        ends_in_days=14, budget="30000.00", status=CampaignStatus.ACTIVE,
        objective="Grow the Trailpeak Trail Club: newsletter sign-ups and app downloads from "
        "outdoor creators.",
    )
    bofu = seed_campaign(
        ctx, glow, name="Vitamin C Serum Launch", stage=FunnelStage.BOFU, started_days_ago=28,
        ends_in_days=7, budget="25000.00", status=CampaignStatus.ACTIVE,
        objective="Sell the new Vitamin C serum through creator codes and affiliate links.",
    )
    deals: dict[Campaign, list[Deal]] = {
        tofu: [Deal("Maya Chen", S.PAID, "4200", "180", "0"),
               Deal("Priya Raman", S.PAID, "5500", "180", "0"),
               Deal("Lucas Moreau", S.PAID, "9000", "0", "0"),
               Deal("Chloé Dubois", S.LIVE, "8000", "240", "0"),
               Deal("Sofia Alvarez", S.DECLINED, "2500", "0", "0")],
        mofu: [Deal("Jordan Ellis", S.LIVE, "7500", "650", "0"),
               Deal("Ethan Brooks", S.LIVE, "4800", "650", "0"),
               Deal("Aiko Tanaka", S.CONTENT_SUBMITTED, "2200", "400", "0"),
               Deal("Sam Okafor", S.CONTRACTED, "2600", "400", "0"),
               Deal("Lena Fischer", S.INVITED, "1200", "0", "0"),
               Deal("Ravi Patel", S.PROSPECT, "0", "0", "0")],
        bofu: [Deal("Maya Chen", S.LIVE, "2500", "120", "10"),
               Deal("Priya Raman", S.LIVE, "3000", "120", "12"),
               Deal("Sofia Alvarez", S.LIVE, "900", "120", "15"),
               Deal("Noah Williams", S.CONTRACTED, "400", "120", "15"),
               Deal("Chloé Dubois", S.INVITED, "6000", "240", "8")],
    }
    for campaign, campaign_deals in deals.items():
        for deal in campaign_deals:
            _partnership(ctx, campaign, deal)
    seed_costs(ctx, tofu, mofu, bofu)
    seed_unattributed_orders(ctx, bofu.brand)
    seed_refund(ctx, bofu)
    seed_targets(ctx, tofu, mofu, bofu)
    seed_follower_history(ctx)


def _partnership(ctx: DemoContext, campaign: Campaign, deal: Deal) -> None:
    """One partnership and everything it hands out, then what its posts brought in."""
    partnership = seed_partnership(
        ctx, campaign, creator=deal.creator, status=deal.status, fee=deal.fee,
        product=deal.product, commission=deal.commission,
    )
    if deal.status in NOT_STARTED:
        return
    links = seed_links(ctx, partnership)
    code = seed_promo_code(ctx, partnership)
    if deal.status not in WENT_LIVE:
        return
    posts = seed_posts(ctx, partnership)
    reach = sum(int(p.final["views"] or p.final["impressions"] or 0) for p in posts)
    first_post = posts[0].published_at
    for link in links:
        seed_traffic(ctx, partnership, link, first_post, reach)
    if code is not None:
        seed_promo_sales(ctx, partnership, code, first_post, reach)
