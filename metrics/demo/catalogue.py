"""What the demo agency works with: brands and their accounts, creators and their social
accounts, campaigns with their costs and KPI targets, partnerships and what each hands out
(tracking links, promo codes)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
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
from metrics.demo.context import DemoContext
from metrics.demo.platforms import profile_url
from metrics.demo.spec import CampaignSpec
from metrics.emv_defaults import DEFAULT_RATES
from metrics.models import EmvRate


def new_webhook_secret() -> str:
    """A Shopify signing secret of the demo brands: 256 random bits, fresh on every run."""
    return f"shpss_demo_{secrets.token_hex(32)}"


def seed_brands(ctx: DemoContext) -> list[Brand]:
    """The spec's brands (English: Glow Botanics in USD, Trailpeak Outdoor in EUR), each with
    its accounts."""
    made = []
    for spec in ctx.spec.brands:
        brand = Brand(
            organization=ctx.org, name=spec.name, website=spec.website, currency=spec.currency,
            key=new_brand_key(), shopify_webhook_secret=new_webhook_secret(),
        )
        brand.full_clean()
        brand.save()
        for platform, handle in spec.accounts:
            BrandAccount.objects.create(brand=brand, platform=platform, handle=handle)
        made.append(brand)
        ctx.counts["brands"] += 1
    return made


def seed_creators(ctx: DemoContext) -> None:
    """Every creator of the spec with their social accounts, kept on ``ctx`` by name."""
    for creator in ctx.spec.creators:
        influencer = Influencer.objects.create(
            organization=ctx.org, name=creator.name, email=creator.email,
            country=creator.country, tags=creator.tags, notes=creator.bio,
        )
        ctx.influencers[creator.name] = influencer
        ctx.accounts[creator.name] = [
            SocialAccount.objects.create(
                influencer=influencer, platform=platform, handle=handle,
                url=profile_url(platform, handle), followers=followers,
            )
            for platform, handle, followers in creator.accounts
        ]
    ctx.counts["influencers"] = len(ctx.spec.creators)


def seed_campaign(ctx: DemoContext, brand: Brand, plan: CampaignSpec) -> Campaign:
    campaign = Campaign(
        brand=brand, name=plan.name, slug=plan.slug, stage=plan.stage,
        objective=plan.objective, start_date=ctx.ago(plan.started_days_ago),
        end_date=ctx.ago(-plan.ends_in_days), budget=Decimal(plan.budget),
        currency=brand.currency, status=plan.status, attribution_window_days=30,
    )
    campaign.full_clean()
    campaign.save()
    ctx.campaigns.append(campaign)
    ctx.plans[campaign.pk] = plan
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
    link = TrackingLink.objects.create(
        partnership=partnership, kind=kind, slug=slug,
        destination_url=campaign.brand.website + ctx.plan(campaign).path,
        utm_source=account.platform, utm_medium="influencer" if kind == LinkKind.UTM
        else "affiliate", utm_campaign=campaign.slug,
        utm_content=account.handle.lower(),
    )
    ctx.counts["links"] += 1
    return link


def seed_promo_code(ctx: DemoContext, partnership: Partnership) -> PromoCode | None:
    """The creator's code (``MAYASUMMER``, ``MAYA15``); none where the campaign's plan has no
    code suffix (the sign-up, MOFU, campaign)."""
    campaign = partnership.campaign
    suffix = ctx.plan(campaign).code_suffix
    if not suffix:
        return None
    stem = ctx.spec.creator(partnership.influencer.name).code
    code = PromoCode.objects.create(
        partnership=partnership, code=f"{stem}{suffix}",
        active_from=ctx.at(campaign.start_date, 0),
    )
    ctx.counts["promo_codes"] += 1
    return code


def seed_costs(ctx: DemoContext, campaigns: dict[str, Campaign]) -> None:
    """What each campaign (by funnel stage) cost beyond the creators' fees."""
    rows = []
    for row in ctx.spec.costs:
        campaign = campaigns[row.stage]
        incurred_on = min(campaign.start_date + dt.timedelta(days=row.days), ctx.ago(1))
        rows.append(Cost(campaign=campaign, category=row.category, amount=Decimal(row.amount),
                         incurred_on=incurred_on, note=row.note))
    Cost.objects.bulk_create(rows)
    ctx.counts["costs"] = len(rows)


def seed_targets(ctx: DemoContext, campaigns: dict[str, Campaign]) -> None:
    """KPI targets that fit each funnel stage."""
    rows = ctx.spec.targets
    KpiTarget.objects.bulk_create([
        KpiTarget(campaign=campaigns[row.stage], metric=row.metric, value=Decimal(row.value))
        for row in rows
    ])
    ctx.counts["kpi_targets"] = len(rows)


def seed_emv_rates(ctx: DemoContext) -> None:
    """The organization's own EMV card when the spec prices one (the shipped card times
    ``emv_scale``, for brands selling in another currency than its dollars); else nothing,
    and the first recompute copies the shipped card."""
    scale = ctx.spec.emv_scale
    if scale is None:
        return
    EmvRate.objects.bulk_create([
        EmvRate(organization=ctx.org, platform=rate.platform, metric=rate.metric,
                value=rate.value * scale,
                source=f"Demo: the default card × {scale:,} ({rate.source})"[:300])
        for rate in DEFAULT_RATES
    ])
    ctx.counts["emv_rates"] = len(DEFAULT_RATES)
