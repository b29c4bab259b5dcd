"""``demo_build``: a demo organization, deleted and rebuilt in one transaction.

The steps run in a fixed order because they share one seeded generator: the same spec (its
``seed``) and the same ``today`` give the same rows, run after run. ``DEMOS`` lists the demos
by language: English (``demo``) and Persian (``demo-fa``), built by the same steps from their
own catalogues. The partnership workflow (``workflow``: brief, deliverables, drafts, reviews)
comes last, through the content services; ``seed_demo`` settles a few payout lines after the
KPI recompute has accrued the rest."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from campaigns.models import Campaign, FunnelStage, PartnershipStatus
from metrics.demo.activity import seed_follower_history, seed_posts
from metrics.demo.catalogue import (
    seed_brands,
    seed_campaign,
    seed_costs,
    seed_creators,
    seed_emv_rates,
    seed_links,
    seed_partnership,
    seed_promo_code,
    seed_targets,
)
from metrics.demo.catalogue_en import ENGLISH
from metrics.demo.catalogue_fa import PERSIAN
from metrics.demo.context import DemoContext
from metrics.demo.people import (
    demo_creator_reset,
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
from metrics.demo.spec import Deal, DemoSpec
from metrics.demo.workflow import seed_workflow
from metrics.services.rollup_rebuild import kpi_rollups_rebuild

S = PartnershipStatus

# Partnerships that never started hand out nothing; signed ones get links and codes; only those
# that went live have posts, traffic and sales.
NOT_STARTED = {S.PROSPECT, S.INVITED, S.DECLINED}
WENT_LIVE = {S.LIVE, S.PAID}

# The demos ``seed_demo`` loads, by ``--lang``; without it, all of them in this order.
DEMOS: dict[str, DemoSpec] = {"en": ENGLISH, "fa": PERSIAN}


@dataclass
class DemoResult:
    organization: Organization
    user: User
    campaigns: list[Campaign]
    counts: dict[str, int] = field(default_factory=dict)
    creator: User | None = None  # the creator portal login, bound to one of the creators


def demo_build(spec: DemoSpec = ENGLISH, *, today: dt.date | None = None) -> DemoResult:
    """Delete and rebuild ``spec``'s demo organization (the English one by default) in one
    transaction."""
    tz = zoneinfo.ZoneInfo(spec.time_zone)
    today = today or timezone.now().astimezone(tz).date()
    with transaction.atomic():
        user = demo_user_reset(spec)
        demo_organization_clear(spec)
        organization = demo_organization_create(spec, owner=user)
        ctx = DemoContext(organization, today, tz, random.Random(spec.seed), spec)
        _build(ctx)
        # After every other step: the workflow draws from the generator last.
        creator = None
        if spec.creator_login is not None:
            creator = demo_creator_reset(spec, organization,
                                         ctx.influencers[spec.creator_login.creator])
        seed_workflow(ctx, owner=user)
        # The demo's history is written in bulk, around the rollups' upkeep: roll it up once.
        for campaign in ctx.campaigns:
            kpi_rollups_rebuild(campaign_id=campaign.pk)
    return DemoResult(organization, user, ctx.campaigns, dict(ctx.counts), creator)


def _build(ctx: DemoContext) -> None:
    seed_emv_rates(ctx)
    brands = seed_brands(ctx)
    seed_creators(ctx)
    campaigns = {plan.stage: seed_campaign(ctx, brands[plan.brand], plan)
                 for plan in ctx.spec.campaigns}
    for plan in ctx.spec.campaigns:
        for deal in plan.deals:
            _partnership(ctx, campaigns[plan.stage], deal)
    sales = campaigns[FunnelStage.BOFU]
    seed_costs(ctx, campaigns)
    seed_unattributed_orders(ctx, sales)
    seed_refund(ctx, sales)
    seed_targets(ctx, campaigns)
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
