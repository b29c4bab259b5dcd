"""The demo organization behind ``python manage.py seed_demo``.

The demo content is deterministic (one seeded random generator, every date relative to today in
the demo's time zone, nothing after yesterday) and idempotent: the demo organization's data is
deleted and rebuilt in one transaction, so a second run leaves exactly the same rows. Secrets
are not content: brand keys, Shopify webhook secrets and tracking-link slugs come from
``secrets`` on every run, so no two installs (and no two runs) share them — a webhook signed
with one install's demo secret must not be accepted by another. Tracking data
(clicks, visits, conversions) is written directly with ``bulk_create`` and attributed
consistently with the attribution rules, so the demo does not depend on the ingestion paths.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import secrets
import string
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from campaigns.links import destination_for
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    CampaignStatus,
    Cost,
    CostCategory,
    FunnelStage,
    KpiTarget,
    LinkKind,
    Partnership,
    PartnershipStatus,
    Post,
    PostType,
    PromoCode,
    TrackingLink,
    new_brand_key,
    new_link_slug,
)
from influencers.models import Influencer, Platform, SocialAccount
from metrics.models import (
    AttributionReason,
    Click,
    Comment,
    Conversion,
    EventKind,
    FollowerSnapshot,
    PostMetrics,
    Refund,
    Source,
    Visit,
)

DEMO_SLUG = "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # short on purpose, for the demo only: set without the validators
DEMO_TIME_ZONE = "America/New_York"
SEED = 20250601
P = Platform

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

REFERRERS: dict[str, str] = {
    P.INSTAGRAM: "l.instagram.com", P.TIKTOK: "www.tiktok.com", P.YOUTUBE: "www.youtube.com",
}
POSITIVE = [
    "Love this! Ordered one right away 😍", "My skin has never looked better, thank you!",
    "This is amazing, great recommendation", "Obsessed with the texture, so good",
    "Best review I've seen, super helpful", "Just got mine and I love it!",
    "Wow, the results are incredible", "Great video, really useful tips 👏",
    "Finally a brand that actually works. Happy customer!", "This looks fantastic 🔥",
]
NEUTRAL = [
    "Where can I buy this?", "Does it ship to Canada?", "What size is that?",
    "Is the code still valid tomorrow?", "Which trail is this?", "How long does shipping take?",
    "Is it fragrance free?", "What camera do you use?",
]
NEGATIVE = [
    "Too expensive for what it is", "Mine arrived broken, really disappointed",
    "Broke me out, not for sensitive skin sadly", "Another ad... unfollowing",
    "Shipping took forever, terrible support", "Looks fake, I don't trust these reviews",
]


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
        user = _demo_user()
        _clear_demo()
        organization = Organization(name="Demo Agency", slug=DEMO_SLUG, time_zone=DEMO_TIME_ZONE)
        organization.full_clean()
        organization.save()
        Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
        builder = _Builder(organization, today, tz)
        builder.build()
    return DemoResult(organization, user, builder.campaigns, dict(builder.counts))


def new_webhook_secret() -> str:
    """A Shopify signing secret of the demo brands: 256 random bits, fresh on every run."""
    return f"shpss_demo_{secrets.token_hex(32)}"


def _demo_user() -> User:
    user, _ = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "demo@funnelboard.example", "first_name": "Demo", "last_name": "User"},
    )
    # Deliberately bypasses the password validators: demo/demo is the documented demo login.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save()
    return user


def _clear_demo() -> None:
    organization = Organization.objects.filter(slug=DEMO_SLUG).first()
    if organization is None:
        return
    # Partnerships protect their influencers, so campaigns (and with them partnerships) go
    # first; the organization's delete then cascades over everything else it owns.
    Campaign.objects.filter(brand__organization=organization).delete()
    organization.delete()


class _Builder:
    def __init__(self, organization: Organization, today: dt.date, tz: zoneinfo.ZoneInfo) -> None:
        self.org = organization
        self.today = today
        self.tz = tz
        self.rng = random.Random(SEED)
        self.counts: Counter[str] = Counter()
        self.campaigns: list[Campaign] = []
        self.accounts: dict[str, list[SocialAccount]] = {}
        self.influencers: dict[str, Influencer] = {}

    # --- helpers --------------------------------------------------------------------------
    def at(self, day: dt.date, hour: float = 12.0) -> dt.datetime:
        minutes = int(hour * 60)
        return dt.datetime.combine(day, dt.time(minutes // 60 % 24, minutes % 60), tzinfo=self.tz)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def token(self, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    # --- the build ------------------------------------------------------------------------
    def build(self) -> None:
        glow, trail = self.brands()
        self.creators()
        tofu = self.campaign(
            glow, "Glow Summer Awareness", FunnelStage.TOFU, 42, -8, "45000.00",
            CampaignStatus.COMPLETED,
            "Put the Glow Botanics summer line in front of skincare audiences on Instagram "
            "and TikTok.",
        )
        mofu = self.campaign(
            trail, "Trail Club Sign-ups", FunnelStage.MOFU, 35, 14, "30000.00",
            CampaignStatus.ACTIVE,
            "Grow the Trailpeak Trail Club: newsletter sign-ups and app downloads from outdoor "
            "creators.",
        )
        bofu = self.campaign(
            glow, "Vitamin C Serum Launch", FunnelStage.BOFU, 28, 7, "25000.00",
            CampaignStatus.ACTIVE,
            "Sell the new Vitamin C serum through creator codes and affiliate links.",
        )
        S = PartnershipStatus
        plans: dict[Campaign, list[tuple[str, str, str, str, str]]] = {
            # creator, status, fee, product value, commission %
            tofu: [("Maya Chen", S.PAID, "4200", "180", "0"),
                   ("Priya Raman", S.PAID, "5500", "180", "0"),
                   ("Lucas Moreau", S.PAID, "9000", "0", "0"),
                   ("Chloé Dubois", S.LIVE, "8000", "240", "0"),
                   ("Sofia Alvarez", S.DECLINED, "2500", "0", "0")],
            mofu: [("Jordan Ellis", S.LIVE, "7500", "650", "0"),
                   ("Ethan Brooks", S.LIVE, "4800", "650", "0"),
                   ("Aiko Tanaka", S.CONTENT_SUBMITTED, "2200", "400", "0"),
                   ("Sam Okafor", S.CONTRACTED, "2600", "400", "0"),
                   ("Lena Fischer", S.INVITED, "1200", "0", "0"),
                   ("Ravi Patel", S.PROSPECT, "0", "0", "0")],
            bofu: [("Maya Chen", S.LIVE, "2500", "120", "10"),
                   ("Priya Raman", S.LIVE, "3000", "120", "12"),
                   ("Sofia Alvarez", S.LIVE, "900", "120", "15"),
                   ("Noah Williams", S.CONTRACTED, "400", "120", "15"),
                   ("Chloé Dubois", S.INVITED, "6000", "240", "8")],
        }
        for campaign, plan in plans.items():
            for name, status, fee, product, commission in plan:
                self.partnership(campaign, name, status, fee, product, commission)
        self.costs()
        self.targets(tofu, mofu, bofu)
        self.follower_history()

    def brands(self) -> tuple[Brand, Brand]:
        made = []
        for name, website, currency, handles in [
            ("Glow Botanics", "https://glowbotanics.example", "USD",
             [(P.INSTAGRAM, "glowbotanics"), (P.TIKTOK, "glowbotanics")]),
            ("Trailpeak Outdoor", "https://trailpeak.example", "EUR",
             [(P.INSTAGRAM, "trailpeak"), (P.YOUTUBE, "TrailpeakOutdoor")]),
        ]:
            brand = Brand(
                organization=self.org, name=name, website=website, currency=currency,
                key=new_brand_key(), shopify_webhook_secret=new_webhook_secret(),
            )
            brand.full_clean()
            brand.save()
            for platform, handle in handles:
                BrandAccount.objects.create(brand=brand, platform=platform, handle=handle)
            made.append(brand)
            self.counts["brands"] += 1
        return made[0], made[1]

    def creators(self) -> None:
        for name, country, tags, accounts in CREATORS:
            email = name.lower().replace(" ", ".").replace("é", "e") + "@creators.example"
            influencer = Influencer.objects.create(
                organization=self.org, name=name, email=email, country=country, tags=tags,
                notes="Demo creator.",
            )
            self.influencers[name] = influencer
            self.accounts[name] = [
                SocialAccount.objects.create(
                    influencer=influencer, platform=platform, handle=handle,
                    url=_profile_url(platform, handle), followers=followers,
                )
                for platform, handle, followers in accounts
            ]
        self.counts["influencers"] = len(CREATORS)

    def campaign(self, brand: Brand, name: str, stage: str, started_days_ago: int,
                 ends_in_days: int, budget: str, status: str, objective: str) -> Campaign:
        from django.utils.text import slugify

        campaign = Campaign(
            brand=brand, name=name, slug=slugify(name), stage=stage, objective=objective,
            start_date=self.ago(started_days_ago), end_date=self.ago(-ends_in_days),
            budget=Decimal(budget), currency=brand.currency, status=status,
            attribution_window_days=30,
        )
        campaign.full_clean()
        campaign.save()
        self.campaigns.append(campaign)
        return campaign

    # --- one partnership and everything it hands out ---------------------------------------
    def partnership(self, campaign: Campaign, name: str, status: str, fee: str, product: str,
                    commission: str) -> None:
        partnership = Partnership.objects.create(
            campaign=campaign, influencer=self.influencers[name], status=status,
            fee=Decimal(fee), product_value=Decimal(product), commission_rate=Decimal(commission),
        )
        self.counts["partnerships"] += 1
        S = PartnershipStatus
        if status in (S.PROSPECT, S.INVITED, S.DECLINED):
            return
        first = name.split()[0].upper()
        links = [self.link(partnership, LinkKind.UTM)]
        if campaign.stage == FunnelStage.BOFU:
            links.append(self.link(partnership, LinkKind.AFFILIATE))
        code = None
        if campaign.stage != FunnelStage.MOFU:
            suffix = "SUMMER" if campaign.stage == FunnelStage.TOFU else "15"
            code = PromoCode.objects.create(
                partnership=partnership, code=f"{first}{suffix}",
                active_from=self.at(campaign.start_date, 0),
            )
            self.counts["promo_codes"] += 1
        if status not in (S.LIVE, S.PAID):
            return
        posts = sorted(self.posts(partnership), key=lambda plan: plan.post.published_at or self.at(self.today))
        reach = sum(int(p.final["views"] or p.final["impressions"] or 0) for p in posts)
        for link in links:
            self.traffic(partnership, link, posts[0].post.published_at, reach)
        if code is not None:
            self.promo_sales(partnership, code, posts[0].post.published_at, reach)

    def link(self, partnership: Partnership, kind: str) -> TrackingLink:
        campaign = partnership.campaign
        account = self.accounts[partnership.influencer.name][0]
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
        self.counts["links"] += 1
        return link

    def posts(self, partnership: Partnership) -> list[_PostPlan]:
        campaign = partnership.campaign
        plans: list[_PostPlan] = []
        last_day = min(campaign.end_date, self.ago(1))
        for index, account in enumerate(self.accounts[partnership.influencer.name]):
            for post_type in _post_types(account.platform)[: 2 if index == 0 else 1]:
                offset = self.rng.randint(2, 9) + len(plans) * 3
                day = min(campaign.start_date + dt.timedelta(days=offset), last_day)
                external_id = f"{account.platform[:2]}{self.token(11, string.digits)}"
                post = Post.objects.create(
                    partnership=partnership, social_account=account, platform=account.platform,
                    post_type=post_type, url=_post_url(account.platform, account.handle,
                                                       external_id),
                    external_id=external_id, published_at=self.at(day, self.rng.uniform(9, 20)),
                    caption=f"{campaign.brand.name} × {partnership.influencer.name} "
                    f"#{campaign.slug.replace('-', '')} #ad",
                )
                plan = _PostPlan(post, _final_counters(self.rng, account, post_type))
                self.snapshots(plan)
                self.comments(plan)
                plans.append(plan)
                self.counts["posts"] += 1
        return plans

    def snapshots(self, plan: _PostPlan) -> None:
        post = plan.post
        assert post.published_at is not None
        first = post.published_at.astimezone(self.tz).date() + dt.timedelta(days=1)
        tau = self.rng.uniform(1.5, 4.0)
        previous: dict[str, int] = {}
        rows = []
        day = first
        while day < self.today:
            age = (day - first).days + 1
            share = 1 - math.exp(-age / tau)
            values: dict[str, int | None] = {}
            for name, final in plan.final.items():
                if final is None:
                    values[name] = None
                    continue
                value = max(previous.get(name, 0), int(final * share * self.rng.uniform(.97, 1.0)))
                previous[name] = value
                values[name] = value
            rows.append(PostMetrics(post=post, captured_at=self.at(day, 6), source=Source.CONNECTOR,
                                    **values))
            day += dt.timedelta(days=1)
        PostMetrics.objects.bulk_create(rows)
        self.counts["post_metrics"] += len(rows)

    def comments(self, plan: _PostPlan) -> None:
        post = plan.post
        assert post.published_at is not None
        hours = max(1, int((self.at(self.today, 0) - post.published_at).total_seconds() // 3600))
        rows = []
        for index in range(self.rng.randint(5, 12)):
            pool = self.rng.choices([POSITIVE, NEUTRAL, NEGATIVE], weights=[6, 3, 2])[0]
            rows.append(Comment(
                post=post, external_id=f"{post.external_id}_{index}", text=self.rng.choice(pool),
                posted_at=post.published_at + dt.timedelta(
                    hours=min(hours - 1, int(self.rng.expovariate(1 / 20))),
                    minutes=self.rng.randint(0, 59)),
                source=Source.CONNECTOR,
            ))
        Comment.objects.bulk_create(rows)
        self.counts["comments"] += len(rows)

    # --- tracking: clicks, visits, conversions --------------------------------------------
    def traffic(self, partnership: Partnership, link: TrackingLink, start: Any,
                reach: int) -> None:
        """Clicks decaying from the first post, some by bots; visits and conversions that
        follow the non-bot clicks, attributed by click id or by UTM parameters."""
        campaign = partnership.campaign
        brand = campaign.brand
        first_day = start.astimezone(self.tz).date()
        end = min(campaign.end_date, self.ago(1))
        total = min(1500, max(60, int(reach * self.rng.uniform(0.002, 0.005))))
        clicks: list[Click] = []
        seen: set[tuple[str, dt.date]] = set()
        day = first_day
        while day <= end:
            age = (day - first_day).days
            for _ in range(int(total * 0.25 * math.exp(-age / 5)) + self.rng.randint(0, 3)):
                when = self.at(day, self.rng.uniform(0, 23.9))
                is_bot = self.rng.random() < 0.06
                visitor = self.rng.randint(1, max(30, total // 2))
                utc_day = when.astimezone(dt.UTC).date()
                visitor_hash = hashlib.sha256(f"{link.slug}:{visitor}:{utc_day}".encode()).hexdigest()
                unique = not is_bot and (visitor_hash, utc_day) not in seen
                if not is_bot:
                    seen.add((visitor_hash, utc_day))
                clicks.append(Click(
                    link=link, click_id=self.token(22), occurred_at=when, visitor_hash=visitor_hash,
                    referrer_host=REFERRERS.get(link.utm_source, ""),
                    device=self.rng.choice(["mobile", "mobile", "mobile", "desktop", "tablet"]),
                    country=self.rng.choice(["US", "US", "GB", "CA", "DE", "FR"]),
                    is_bot=is_bot, is_unique=unique,
                ))
            day += dt.timedelta(days=1)
        Click.objects.bulk_create(clicks, batch_size=1000)
        self.counts["clicks"] += len(clicks)

        visits: list[Visit] = []
        conversions: list[Conversion] = []
        stage = campaign.stage
        for click in clicks:
            if click.is_bot or self.rng.random() > 0.7:
                continue
            # Two visitors in ten arrive with cookies blocked: no click id, UTM only.
            by_click = self.rng.random() < 0.8
            reason = AttributionReason.LINK if by_click else AttributionReason.UTM
            landing = destination_for(link, click.click_id if by_click else None)
            visited = click.occurred_at + dt.timedelta(seconds=self.rng.randint(2, 20))
            visitor_id = f"v{click.visitor_hash[:16]}"
            visits.append(Visit(
                brand=brand, external_id=f"evt-{click.click_id}", occurred_at=visited,
                landing_url=landing, visitor_id=visitor_id,
                click_id=click.click_id if by_click else "", utm_campaign=link.utm_campaign,
                utm_content=link.utm_content, partnership=partnership,
                matched_click=click if by_click else None, attribution=reason, source=Source.PIXEL,
            ))
            kind, amount = self.funnel_event(stage, brand)
            if kind is None or visited.astimezone(self.tz).date() >= self.today:
                continue
            occurred = visited + dt.timedelta(minutes=self.rng.randint(3, 60 * 30))
            if occurred >= self.at(self.today, 0):
                continue
            conversions.append(Conversion(
                brand=brand, external_id=f"{'order' if kind == EventKind.SALE else 'evt'}-"
                f"{self.token(12, string.digits)}",
                kind=kind, amount=amount, currency=brand.currency, occurred_at=occurred,
                click_id=click.click_id if by_click else "", landing_url=landing,
                utm_campaign=link.utm_campaign, utm_content=link.utm_content,
                partnership=partnership, matched_click=click if by_click else None,
                attribution=reason,
                source=Source.SHOPIFY if kind == EventKind.SALE else Source.PIXEL,
            ))
        Visit.objects.bulk_create(visits, batch_size=1000)
        Conversion.objects.bulk_create(conversions, batch_size=1000)
        self.counts["visits"] += len(visits)
        self.counts["conversions"] += len(conversions)

    def funnel_event(self, stage: str, brand: Brand) -> tuple[str | None, Decimal]:
        roll = self.rng.random()
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
            return EventKind.SALE, self.basket()
        return None, Decimal("0")

    def basket(self) -> Decimal:
        items = self.rng.choice([1, 1, 1, 2, 2, 3])
        return (Decimal("38.00") * items * Decimal(str(self.rng.choice([1, 1, 0.85])))).quantize(
            Decimal("0.01"))

    def promo_sales(self, partnership: Partnership, code: PromoCode, start: Any,
                    reach: int) -> None:
        """Orders placed with the creator's code: no click needed (a code beats any link)."""
        campaign = partnership.campaign
        first_day = start.astimezone(self.tz).date()
        end = min(campaign.end_date, self.ago(1))
        days = (end - first_day).days + 1
        # Awareness audiences buy far less often than those of a launch with a discount.
        low, high = (0.00002, 0.00006) if campaign.stage == FunnelStage.TOFU else (0.0002, 0.0005)
        count = max(4, int(reach * self.rng.uniform(low, high)))
        rows = []
        for _ in range(count):
            day = first_day + dt.timedelta(days=min(days - 1, int(self.rng.expovariate(1 / 5))))
            rows.append(Conversion(
                brand=campaign.brand, external_id=f"order-{self.token(12, string.digits)}",
                kind=EventKind.SALE, amount=self.basket(), currency=campaign.brand.currency,
                occurred_at=self.at(day, self.rng.uniform(7, 23)),
                promo_code=code.code.lower() if self.rng.random() < 0.3 else code.code,
                partnership=partnership, attribution=AttributionReason.PROMO_CODE,
                source=Source.SHOPIFY,
            ))
        Conversion.objects.bulk_create(rows)
        self.counts["conversions"] += len(rows)

    # --- campaign-level data --------------------------------------------------------------
    def costs(self) -> None:
        tofu, mofu, bofu = self.campaigns
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
                 incurred_on=min(c.start_date + dt.timedelta(days=days), self.ago(1)), note=note)
            for c, category, amount, days, note in rows
        ])
        self.counts["costs"] = len(rows)
        # A few orders nobody can claim yet (organic traffic, a code of no creator), and one
        # order partly refunded: they show on the unattributed list and in net revenue.
        glow = bofu.brand
        orphans = [
            Conversion(
                brand=glow, external_id=f"order-{self.token(12, string.digits)}",
                kind=EventKind.SALE, amount=self.basket(), currency=glow.currency,
                occurred_at=self.at(self.ago(self.rng.randint(2, 20)), self.rng.uniform(8, 22)),
                promo_code=code, landing_url=glow.website + "/serum",
                attribution=AttributionReason.UNATTRIBUTED, source=Source.SHOPIFY,
            )
            for code in ["", "", "WELCOME10", ""]
        ]
        Conversion.objects.bulk_create(orphans)
        self.counts["conversions"] += len(orphans)
        refunded = (
            Conversion.objects.filter(partnership__campaign=bofu, kind=EventKind.SALE)
            .order_by("occurred_at", "external_id").first()
        )
        if refunded is not None:
            Refund.objects.create(
                conversion=refunded, external_id=f"refund-{self.token(10, string.digits)}",
                amount=(refunded.amount / 2).quantize(Decimal("0.01")),
                occurred_at=refunded.occurred_at + dt.timedelta(days=3),
            )
            self.counts["refunds"] = 1

    def targets(self, tofu: Campaign, mofu: Campaign, bofu: Campaign) -> None:
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
        self.counts["kpi_targets"] = len(rows)

    def follower_history(self) -> None:
        """Daily brand-account followers over eight weeks, growing faster while campaigns run;
        weekly snapshots of every creator account."""
        rows: list[FollowerSnapshot] = []
        start = self.ago(56)
        for account in BrandAccount.objects.filter(brand__organization=self.org).order_by("pk"):
            followers = self.rng.randint(18_000, 140_000)
            running = [c for c in self.campaigns if c.brand_id == account.brand_id]
            day = start
            while day < self.today:
                boost = sum(1 for c in running if c.start_date <= day <= c.end_date)
                followers += int(followers * self.rng.uniform(0.0003, 0.0012) * (1 + 3 * boost))
                rows.append(FollowerSnapshot(organization=self.org, brand_account=account,
                                             date=day, followers=followers, source=Source.CONNECTOR))
                day += dt.timedelta(days=1)
        for accounts in self.accounts.values():
            for creator_account in accounts:
                latest = creator_account.followers or 0
                followers = int(latest * 0.93)
                for week in range(8, -1, -1):
                    followers = min(latest, int(followers * self.rng.uniform(1.0, 1.02)))
                    day = self.ago(week * 7 + 1)
                    rows.append(FollowerSnapshot(
                        organization=self.org, social_account=creator_account, date=day,
                        followers=latest if week == 0 else followers,
                        source=Source.CONNECTOR,
                    ))
        FollowerSnapshot.objects.bulk_create(rows, batch_size=1000)
        self.counts["follower_snapshots"] = len(rows)


@dataclass
class _PostPlan:
    post: Post
    final: dict[str, int | None]


def _post_types(platform: str) -> list[str]:
    types: dict[str, list[str]] = {
        P.INSTAGRAM: [PostType.REEL, PostType.STORY],
        P.TIKTOK: [PostType.VIDEO, PostType.VIDEO],
        P.YOUTUBE: [PostType.VIDEO, PostType.SHORT],
        P.TWITCH: [PostType.LIVE],
    }
    return types.get(platform, [PostType.POST])


def _final_counters(rng: random.Random, account: SocialAccount, post_type: str
                    ) -> dict[str, int | None]:
    """Where a post's cumulative counters end up. A counter the platform does not report stays
    None: Instagram reports views instead of impressions since 2025, YouTube no reach, …"""
    followers = account.followers or 10_000
    counters: dict[str, int | None] = dict.fromkeys(
        ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
         "link_clicks"))
    platform = account.platform

    def part(base: int, low: float, high: float) -> int:
        return max(1, int(base * rng.uniform(low, high)))

    if platform == P.INSTAGRAM and post_type == PostType.STORY:
        views = part(followers, 0.06, 0.14)
        counters.update(views=views, reach=part(views, 0.8, 0.95), shares=part(views, .002, .006),
                        link_clicks=part(views, 0.01, 0.03))
    elif platform in (P.INSTAGRAM, P.TIKTOK):
        views = part(followers, 0.4, 1.6) if platform == P.INSTAGRAM else part(followers, .6, 2.5)
        likes = part(views, 0.035, 0.085)
        counters.update(views=views, reach=part(views, 0.6, 0.85), likes=likes,
                        comments=part(likes, 0.015, 0.05), shares=part(likes, 0.05, 0.15),
                        saves=part(likes, 0.08, 0.2))
    elif platform == P.YOUTUBE:
        views = part(followers, 0.15, 0.5) if post_type == PostType.VIDEO else part(
            followers, 0.3, 1.2)
        likes = part(views, 0.03, 0.06)
        counters.update(views=views, likes=likes, comments=part(likes, 0.04, 0.1))
    elif platform == P.X:
        impressions = part(followers, 0.5, 1.5)
        likes = part(impressions, 0.01, 0.03)
        counters.update(impressions=impressions, likes=likes, comments=part(likes, .05, .2),
                        shares=part(likes, 0.1, 0.3), mentions=part(likes, 0.01, 0.05),
                        link_clicks=part(impressions, 0.004, 0.01))
    elif platform == P.PINTEREST:
        impressions = part(followers, 0.8, 2.5)
        counters.update(impressions=impressions, saves=part(impressions, 0.01, 0.03),
                        link_clicks=part(impressions, 0.005, 0.015))
    else:  # Twitch lives, blog posts: views and comments (chat) only
        views = part(followers, 0.2, 0.6)
        counters.update(views=views, comments=part(views, 0.01, 0.05))
    return counters


def _profile_url(platform: str, handle: str) -> str:
    urls: dict[str, str] = {
        P.INSTAGRAM: f"https://www.instagram.com/{handle}/",
        P.TIKTOK: f"https://www.tiktok.com/@{handle}",
        P.YOUTUBE: f"https://www.youtube.com/@{handle}",
        P.X: f"https://x.com/{handle}",
        P.PINTEREST: f"https://www.pinterest.com/{handle}/",
        P.TWITCH: f"https://www.twitch.tv/{handle}",
    }
    return urls.get(platform, f"https://{handle}")


def _post_url(platform: str, handle: str, external_id: str) -> str:
    urls: dict[str, str] = {
        P.INSTAGRAM: f"https://www.instagram.com/reel/{external_id}/",
        P.TIKTOK: f"https://www.tiktok.com/@{handle}/video/{external_id}",
        P.YOUTUBE: f"https://www.youtube.com/watch?v={external_id}",
    }
    return urls.get(platform, _profile_url(platform, handle) + f"#{external_id}")
