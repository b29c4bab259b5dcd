"""The English demo: the ``demo`` organization (user demo / password demo), with Glow Botanics
(skincare, USD) and Trailpeak Outdoor (EUR) working with creators in North America, Europe and
Asia. Every brand, creator and company here is invented."""

from __future__ import annotations

from decimal import Decimal

from campaigns.models import CampaignStatus, CostCategory, KpiTarget, PartnershipStatus
from campaigns.models import FunnelStage as F
from influencers.models import Platform as P
from metrics.demo.spec import (
    BrandSpec,
    BriefPlan,
    CampaignSpec,
    CostRow,
    Creator,
    CreatorLogin,
    Deal,
    DeliverablePlan,
    DemoSpec,
    DraftStep,
    TargetRow,
)

S = PartnershipStatus
M = KpiTarget.Metric


def _creator(name: str, country: str, tags: list[str],
             accounts: list[tuple[str, str, int]]) -> Creator:
    email = name.lower().replace(" ", ".").replace("é", "e") + "@creators.example"
    return Creator(name, country, tags, accounts, email, name.split()[0].upper(), "Demo creator.")


CREATORS = (
    _creator("Maya Chen", "US", ["skincare", "beauty"],
             [(P.INSTAGRAM, "mayaglows", 85_400), (P.TIKTOK, "mayaglows", 212_000)]),
    _creator("Jordan Ellis", "US", ["outdoor", "hiking"],
             [(P.YOUTUBE, "JordanOutdoors", 341_000), (P.INSTAGRAM, "jordan.ellis", 48_200)]),
    _creator("Priya Raman", "GB", ["skincare", "wellness"],
             [(P.INSTAGRAM, "priyaskin", 121_300)]),
    _creator("Lucas Moreau", "FR", ["lifestyle", "comedy"], [(P.TIKTOK, "lucasmoves", 563_000)]),
    _creator("Sofia Alvarez", "ES", ["beauty", "makeup"],
             [(P.INSTAGRAM, "sofia.alvarez", 32_100), (P.TIKTOK, "sofiabeauty", 90_500)]),
    _creator("Ethan Brooks", "CA", ["camping", "gear"],
             [(P.YOUTUBE, "EthanBrooksWild", 125_000)]),
    _creator("Aiko Tanaka", "JP", ["travel", "trail running"],
             [(P.INSTAGRAM, "aiko.runs", 64_800), (P.YOUTUBE, "AikoRuns", 22_400)]),
    _creator("Noah Williams", "US", ["skincare", "men"], [(P.TIKTOK, "noahskin", 15_300)]),
    _creator("Chloé Dubois", "FR", ["beauty", "luxury"],
             [(P.INSTAGRAM, "chloe.dubois", 210_500)]),
    _creator("Sam Okafor", "NG", ["outdoor", "climbing"],
             [(P.YOUTUBE, "SamClimbs", 78_000), (P.X, "samclimbs", 12_600)]),
    _creator("Lena Fischer", "DE", ["outdoor", "photography"],
             [(P.PINTEREST, "lenafischerphoto", 40_200), (P.BLOG, "lenafischer.blog", 9_800)]),
    _creator("Ravi Patel", "IN", ["gaming", "outdoor"],
             [(P.TWITCH, "ravistreams", 30_100), (P.YOUTUBE, "RaviPatel", 55_300)]),
)

CAPTION = ("{brand} × {creator} #{hashtag} #ad",)
# The serum's posts tag the brand, as its brief asks; one creator forgot to.
SERUM_CAPTIONS = (
    "{brand} × {creator} @{mention} #{hashtag} #ad",
    "Four weeks with the {brand} Vitamin C serum, before and after 🍊 #ad #{hashtag}",
    "#ad My new morning step: the Vitamin C serum from @{mention} ☀️ Code in bio #{hashtag}",
)

CAMPAIGNS = (
    CampaignSpec(
        0, "Glow Summer Awareness", "glow-summer-awareness", F.TOFU, CampaignStatus.COMPLETED,
        42, -8, "45000.00",
        "Put the Glow Botanics summer line in front of skincare audiences on Instagram and "
        "TikTok.", "/summer", "SUMMER", CAPTION, "glowsummerawareness",
        (Deal("Maya Chen", S.PAID, "4200", "180", "0"),
         Deal("Priya Raman", S.PAID, "5500", "180", "0"),
         Deal("Lucas Moreau", S.PAID, "9000", "0", "0"),
         Deal("Chloé Dubois", S.LIVE, "8000", "240", "0"),
         Deal("Sofia Alvarez", S.DECLINED, "2500", "0", "0")),
    ),
    CampaignSpec(
        1, "Trail Club Sign-ups", "trail-club-sign-ups", F.MOFU, CampaignStatus.ACTIVE,
        35, 14, "30000.00",
        "Grow the Trailpeak Trail Club: newsletter sign-ups and app downloads from outdoor "
        "creators.", "/trail-club", "", CAPTION, "trailclubsignups",
        (Deal("Jordan Ellis", S.LIVE, "7500", "650", "0"),
         Deal("Ethan Brooks", S.LIVE, "4800", "650", "0"),
         Deal("Aiko Tanaka", S.CONTENT_SUBMITTED, "2200", "400", "0"),
         Deal("Sam Okafor", S.CONTRACTED, "2600", "400", "0"),
         Deal("Lena Fischer", S.INVITED, "1200", "0", "0"),
         Deal("Ravi Patel", S.PROSPECT, "0", "0", "0")),
    ),
    CampaignSpec(
        0, "Vitamin C Serum Launch", "vitamin-c-serum-launch", F.BOFU, CampaignStatus.ACTIVE,
        28, 7, "25000.00",
        "Sell the new Vitamin C serum through creator codes and affiliate links.", "/serum",
        "15", SERUM_CAPTIONS, "vitamincserumlaunch",
        (Deal("Maya Chen", S.LIVE, "2500", "120", "10"),
         Deal("Priya Raman", S.LIVE, "3000", "120", "12"),
         Deal("Sofia Alvarez", S.LIVE, "900", "120", "15"),
         Deal("Noah Williams", S.CONTRACTED, "400", "120", "15"),
         Deal("Chloé Dubois", S.INVITED, "6000", "240", "8")),
    ),
)

COSTS = (
    CostRow(F.TOFU, CostCategory.AD_SPEND, "6000.00", 10, "Spark ads boosting the best reels"),
    CostRow(F.TOFU, CostCategory.PRODUCTION, "1800.00", 3, "Product kits and shipping"),
    CostRow(F.TOFU, CostCategory.PLATFORM_FEE, "450.00", 0, "Creator marketplace fee"),
    CostRow(F.MOFU, CostCategory.AD_SPEND, "3500.00", 12, "YouTube in-feed promotion"),
    CostRow(F.MOFU, CostCategory.PRODUCTION, "950.00", 2, "Trail Club welcome packs"),
    CostRow(F.MOFU, CostCategory.OTHER, "300.00", 5, "Giveaway prizes"),
    CostRow(F.BOFU, CostCategory.AD_SPEND, "2500.00", 8, "Retargeting of link clickers"),
    CostRow(F.BOFU, CostCategory.PLATFORM_FEE, "390.00", 1, "Affiliate network fee"),
    CostRow(F.BOFU, CostCategory.OTHER, "150.00", 6, "Photo licensing"),
)

TARGETS = (
    TargetRow(F.TOFU, M.VIDEO_VIEWS, "2500000"), TargetRow(F.TOFU, M.ENGAGEMENT_RATE, "4.5"),
    TargetRow(F.TOFU, M.EMV, "60000"), TargetRow(F.TOFU, M.NET_SENTIMENT, "40"),
    TargetRow(F.MOFU, M.LEADS, "400"), TargetRow(F.MOFU, M.FOLLOWERS_GAINED, "20000"),
    TargetRow(F.MOFU, M.VISITS, "2500"), TargetRow(F.MOFU, M.CTR, "0.5"),
    TargetRow(F.BOFU, M.CONVERSIONS, "250"), TargetRow(F.BOFU, M.REVENUE, "12000"),
    TargetRow(F.BOFU, M.ROAS, "1.5"), TargetRow(F.BOFU, M.CONVERSION_RATE, "3"),
)

POSITIVE = (
    "Love this! Ordered one right away 😍", "My skin has never looked better, thank you!",
    "This is amazing, great recommendation", "Obsessed with the texture, so good",
    "Best review I've seen, super helpful", "Just got mine and I love it!",
    "Wow, the results are incredible", "Great video, really useful tips 👏",
    "Finally a brand that actually works. Happy customer!", "This looks fantastic 🔥",
)
NEUTRAL = (
    "Where can I buy this?", "Does it ship to Canada?", "What size is that?",
    "Is the code still valid tomorrow?", "Which trail is this?", "How long does shipping take?",
    "Is it fragrance free?", "What camera do you use?",
)
NEGATIVE = (
    "Too expensive for what it is", "Mine arrived broken, really disappointed",
    "Broke me out, not for sensitive skin sadly", "Another ad... unfollowing",
    "Shipping took forever, terrible support", "Looks fake, I don't trust these reviews",
)

APPROVE, CHANGES = "approve", "request_changes"  # ``ReviewDecision`` values
BRIEF = BriefPlan(
    F.BOFU,
    "Sales: drive orders of the new Vitamin C serum through your code and your link.",
    ("The Vitamin C serum: brighter skin in four weeks.\nYour code gives 15% off.",
     "The Vitamin C serum: visibly brighter skin in four weeks, gentle enough for every day."
     "\nYour code gives 15% off until the end of the campaign.\nShow it in your morning "
     "routine."),
    "Show the bottle and the texture on camera.\nSay your code and put it in the caption.\n"
    "Tag @glowbotanics and start the caption with #ad.",
    "No medical claims: the serum does not cure acne.\nNo other skincare brand in frame.",
    ("cure", "miracle"),
    "Put your code and your affiliate link in the caption or your bio; both are on your "
    "partnership page.",
    "Maya Chen",
    (
        DeliverablePlan("Maya Chen", P.INSTAGRAM, "reel", -6, "1500", "live", (DraftStep(
            "#ad Morning glow with the new Vitamin C serum from @{mention}: code {code} for "
            "15% off #{hashtag}", APPROVE),), live=True),
        DeliverablePlan("Maya Chen", P.INSTAGRAM, "story", 3, "1000", "approved", (
            DraftStep("#ad My routine, step two: the serum ☀️ @{mention} #{hashtag}", CHANGES,
                      "Add your code {code}, so the sales count for you."),
            DraftStep("#ad My routine, step two: the serum ☀️ Code {code} @{mention} "
                      "#{hashtag}", APPROVE),
        )),
        DeliverablePlan("Priya Raman", P.INSTAGRAM, "reel", -4, "3000", "live", (DraftStep(
            "#ad An honest review of the Vitamin C serum by @{mention}, code {code} "
            "#{hashtag}", APPROVE),), live=True),
        DeliverablePlan("Sofia Alvarez", P.INSTAGRAM, "reel", -5, "600", "live", (DraftStep(
            "#ad Get ready with me and the @{mention} serum, code {code} #{hashtag}",
            APPROVE),), live=True),
        DeliverablePlan("Sofia Alvarez", P.INSTAGRAM, "story", 2, "300", "approved", (
            DraftStep("#ad This serum is a miracle for dark spots! @{mention} #{hashtag}",
                      CHANGES, "Please drop “miracle”: no medical or miracle claims. Say what "
                      "you saw on your own skin instead."),
        )),
        DeliverablePlan("Noah Williams", P.TIKTOK, "video", 1, "250", "approved", (DraftStep(
            "Two weeks with the Vitamin C serum from @{mention}, code {code} #{hashtag}"),)),
        DeliverablePlan("Noah Williams", P.TIKTOK, "story", -2, "150", "approved"),
    ),
    "INV-2025-0141",
)

ENGLISH = DemoSpec(
    slug="demo", name="Demo Agency", time_zone="America/New_York", default_language="",
    username="demo", password="demo",  # short on purpose: the documented demo login
    email="demo@funnelboard.example", first_name="Demo", last_name="User",
    seed=20250601,
    brands=(
        BrandSpec("Glow Botanics", "https://glowbotanics.example", "USD",
                  [(P.INSTAGRAM, "glowbotanics"), (P.TIKTOK, "glowbotanics")]),
        BrandSpec("Trailpeak Outdoor", "https://trailpeak.example", "EUR",
                  [(P.INSTAGRAM, "trailpeak"), (P.YOUTUBE, "TrailpeakOutdoor")]),
    ),
    creators=CREATORS, campaigns=CAMPAIGNS, costs=COSTS, targets=TARGETS,
    positive=POSITIVE, neutral=NEUTRAL, negative=NEGATIVE,
    basket=Decimal("38.00"), welcome_code="WELCOME10",
    click_countries=("US", "US", "GB", "CA", "DE", "FR"),
    brief=BRIEF,
    creator_login=CreatorLogin("demo-creator", "demo", "demo-creator@funnelboard.example",
                               "Maya Chen"),
)
