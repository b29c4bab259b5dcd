"""The hand-computed campaign shared by the engine tests (embedded and real mode).

Organization time zone Europe/Paris (UTC+1 in early March 2026). Campaign 2026-03-01 →
2026-03-10, attribution window 7 days, USD, BOFU. Computed as of T = 2026-03-20 12:00 UTC.
Every expected number is worked out by hand in ``EXPECTED`` (see test_engine.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organization
from campaigns.models import (
    Campaign,
    CostCategory,
    FunnelStage,
    KpiTarget,
    LinkKind,
    Partnership,
    PartnershipStatus,
)
from influencers.models import Platform
from metrics.models import AttributionReason, Comment, EventKind
from tests import factories as f

UTC = dt.UTC
AS_OF = dt.datetime(2026, 3, 20, 12, tzinfo=UTC)


def at(day: int, hour: int = 12, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Scenario:
    campaign: Campaign
    alice: Partnership
    bob: Partnership
    carol: Partnership


def build(organization: Organization, *, after_as_of: bool = True) -> Scenario:
    """The campaign; ``after_as_of=False`` leaves out the rows dated after ``AS_OF`` (for a
    recompute "as of now", which then gives the same numbers)."""
    organization.time_zone = "Europe/Paris"
    organization.save()
    brand = f.BrandFactory(organization=organization, name="Acme Shoes")
    campaign = f.CampaignFactory(
        brand=brand, name="Spring drop", stage=FunnelStage.BOFU, currency="USD",
        start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 10),
        attribution_window_days=7,
    )
    # Overlaps (listed in audience_growth) / does not overlap (not listed).
    sequel = f.CampaignFactory(brand=brand, name="Spring sequel",
                               start_date=dt.date(2026, 3, 8), end_date=dt.date(2026, 3, 20))
    f.CampaignFactory(brand=brand, name="April", start_date=dt.date(2026, 4, 1),
                      end_date=dt.date(2026, 4, 30))
    del sequel

    alice = f.PartnershipFactory(
        campaign=campaign, influencer__name="Alice", status=PartnershipStatus.LIVE,
        fee=Decimal("500.00"), product_value=Decimal("100.00"), commission_rate=Decimal("10"),
    )
    bob = f.PartnershipFactory(
        campaign=campaign, influencer__name="Bob", status=PartnershipStatus.CONTRACTED,
        fee=Decimal("300.00"), product_value=Decimal("0"), commission_rate=Decimal("5"),
    )
    carol = f.PartnershipFactory(
        campaign=campaign, influencer__name="Carol", status=PartnershipStatus.PROSPECT,
        fee=Decimal("1000.00"), product_value=Decimal("50.00"), commission_rate=Decimal("0"),
    )

    # Accounts: Alice's Instagram has a snapshot before publishing (12,000 beats the field's
    # 10,000); her TikTok has only the field (50,000); Bob's YouTube has no follower count.
    alice_ig = f.SocialAccountFactory(influencer=alice.influencer, platform=Platform.INSTAGRAM,
                                      followers=10_000)
    f.FollowerSnapshotFactory(brand_account=None, social_account=alice_ig,
                              organization=organization, date=dt.date(2026, 3, 1),
                              followers=12_000)
    f.FollowerSnapshotFactory(brand_account=None, social_account=alice_ig,
                              organization=organization, date=dt.date(2026, 3, 9),
                              followers=99_000)  # after publishing: not used
    alice_tt = f.SocialAccountFactory(influencer=alice.influencer, platform=Platform.TIKTOK,
                                      followers=50_000)
    bob_yt = f.SocialAccountFactory(influencer=bob.influencer, platform=Platform.YOUTUBE,
                                    followers=None)

    p1 = f.PostFactory(partnership=alice, social_account=alice_ig, published_at=at(2, 10))
    p2 = f.PostFactory(partnership=alice, social_account=alice_tt, published_at=at(4, 12))
    p3 = f.PostFactory(partnership=bob, social_account=bob_yt, published_at=at(3))
    f.PostFactory(partnership=bob, social_account=bob_yt, published_at=at(9))  # no metrics

    none = dict.fromkeys(
        ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
         "link_clicks")
    )
    # P1 reports views, never impressions (impressions fall back to views).
    f.PostMetricsFactory(post=p1, captured_at=at(3, 10), **{
        **none, "reach": 800, "views": 2000, "likes": 100, "comments": 10, "shares": 5,
        "saves": 2})
    f.PostMetricsFactory(post=p1, captured_at=at(5, 10), **{
        **none, "reach": 1000, "views": 3000, "likes": 150, "shares": 8, "saves": 4})
    # P2 reports no reach. Its second snapshot is 00:30 on 7 March in Paris.
    f.PostMetricsFactory(post=p2, captured_at=at(4, 22, 30), **{
        **none, "impressions": 5000, "views": 4000, "likes": 300, "comments": 20, "shares": 10})
    f.PostMetricsFactory(post=p2, captured_at=at(6, 23, 30), **{
        **none, "impressions": 9000, "views": 7000, "likes": 500, "comments": 40, "shares": 30})
    f.PostMetricsFactory(post=p3, captured_at=at(8), **{
        **none, "impressions": 20000, "reach": 15000, "views": 12000, "likes": 1000,
        "comments": 100, "mentions": 5})
    if after_as_of:
        f.PostMetricsFactory(post=p3, captured_at=at(25), **{**none, "impressions": 99_999})

    # Comments: unlabelled (the engine labels them); one duplicate delivery; one after T.
    f.CommentFactory(post=p1, external_id="c1", text="I love this, amazing!", posted_at=at(3))
    f.CommentFactory(post=p1, external_id="c2", text="This is terrible and I hate it",
                     posted_at=at(4))
    f.CommentFactory(post=p1, external_id="c3", text="The package arrived on Tuesday.",
                     posted_at=at(4))
    Comment.objects.bulk_create(
        [Comment(post=p1, external_id="c3", text="The package arrived on Tuesday.",
                 posted_at=at(4))],
        ignore_conflicts=True,
    )
    f.CommentFactory(post=p3, external_id="c4", text="Great video, so helpful", posted_at=at(8))
    if after_as_of:
        f.CommentFactory(post=p3, external_id="c5", text="Great!", posted_at=at(25))

    link_a = f.TrackingLinkFactory(partnership=alice, kind=LinkKind.AFFILIATE)
    link_b = f.TrackingLinkFactory(partnership=bob, kind=LinkKind.UTM)
    click_a = f.ClickFactory(link=link_a, occurred_at=at(4, 10), is_unique=True)
    f.ClickFactory(link=link_a, occurred_at=at(4, 11), is_unique=True)
    f.ClickFactory(link=link_a, occurred_at=at(4, 12), is_unique=False)
    f.ClickFactory(link=link_a, occurred_at=at(4, 13), is_bot=True, is_unique=False)
    f.ClickFactory(link=link_b, occurred_at=at(6, 9), is_unique=True)
    f.ClickFactory(link=link_b, occurred_at=at(6, 10), is_unique=True)
    if after_as_of:
        f.ClickFactory(link=link_b, occurred_at=at(25), is_unique=True)

    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 3, 5), per_euro=Decimal("1.10"))
    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 2, 1), per_euro=Decimal("1.50"))

    def conversion(**kwargs: object) -> object:
        return f.ConversionFactory(brand=brand, **kwargs)

    L, P, U, M = (AttributionReason.LINK, AttributionReason.PROMO_CODE, AttributionReason.UTM,
                  AttributionReason.MANUAL)
    conversion(external_id="C1", partnership=alice, attribution=L, matched_click=click_a,
               amount=Decimal("100"), occurred_at=at(5, 10))
    conversion(external_id="C2", partnership=alice, attribution=L, matched_click=click_a,
               amount=Decimal("70"), occurred_at=at(15))  # 11 days after its click
    c3 = conversion(external_id="C3", partnership=bob, attribution=P, amount=Decimal("200"),
                    currency="EUR", occurred_at=at(6))
    f.RefundFactory(conversion=c3, amount=Decimal("50"), occurred_at=at(8))
    c4 = conversion(external_id="C4", partnership=alice, attribution=P, amount=Decimal("80"),
                    occurred_at=at(7, 9))
    f.RefundFactory(conversion=c4, amount=Decimal("30"), occurred_at=at(8))
    f.RefundFactory(conversion=c4, amount=Decimal("50"), occurred_at=at(9))
    conversion(external_id="C5", partnership=bob, attribution=U, amount=Decimal("60"),
               currency="GBP", occurred_at=at(9, 15))
    conversion(external_id="C6", partnership=None, attribution=AttributionReason.UNATTRIBUTED,
               amount=Decimal("500"), occurred_at=at(5))
    conversion(external_id="C7", partnership=bob, attribution=U, kind=EventKind.SIGNUP,
               amount=Decimal("0"), occurred_at=at(5))
    conversion(external_id="C8", partnership=alice, attribution=M, kind=EventKind.LEAD,
               amount=Decimal("0"), occurred_at=at(20, month=2))
    conversion(external_id="C9", partnership=alice, attribution=M, kind=EventKind.TRIAL,
               amount=Decimal("0"), occurred_at=at(2))
    conversion(external_id="C10", partnership=alice, attribution=P, amount=Decimal("40"),
               occurred_at=at(18))  # after end date + 7 days
    conversion(external_id="C11", partnership=bob, attribution=U, amount=Decimal("90"),
               occurred_at=at(6), is_cancelled=True)

    visit = f.VisitFactory
    visit(brand=brand, partnership=alice, attribution=L, matched_click=click_a,
          occurred_at=at(4, 10, 5), visitor_id="v1")
    visit(brand=brand, partnership=bob, attribution=U, occurred_at=at(6), visitor_id="v2")
    visit(brand=brand, partnership=bob, attribution=U, occurred_at=at(6, 13), visitor_id="v2")
    visit(brand=brand, partnership=None, occurred_at=at(6), visitor_id="v3")
    visit(brand=brand, partnership=alice, attribution=L, matched_click=click_a,
          occurred_at=at(15), visitor_id="v1")

    ba_ig = f.BrandAccountFactory(brand=brand, platform=Platform.INSTAGRAM)
    for day, followers in ((dt.date(2026, 2, 25), 10_000), (dt.date(2026, 3, 5), 10_500),
                           (dt.date(2026, 3, 10), 11_000), (dt.date(2026, 3, 12), 11_500)):
        f.FollowerSnapshotFactory(brand_account=ba_ig, date=day, followers=followers)
    ba_tt = f.BrandAccountFactory(brand=brand, platform=Platform.TIKTOK)
    for day, followers in ((dt.date(2026, 3, 3), 2_000), (dt.date(2026, 3, 9), 2_600)):
        f.FollowerSnapshotFactory(brand_account=ba_tt, date=day, followers=followers)

    f.CostFactory(campaign=campaign, category=CostCategory.AD_SPEND, amount=Decimal("200"),
                  incurred_on=dt.date(2026, 3, 5))
    f.CostFactory(campaign=campaign, partnership=bob, category=CostCategory.PRODUCTION,
                  amount=Decimal("150"), incurred_on=dt.date(2026, 3, 2))
    f.CostFactory(campaign=campaign, category=CostCategory.PLATFORM_FEE, amount=Decimal("50"),
                  incurred_on=dt.date(2026, 3, 15))

    rates = {
        Platform.INSTAGRAM: {"views": "5", "likes": "0.30", "comments": "0.50"},
        Platform.TIKTOK: {"views": "4", "likes": "0.20", "shares": "1"},
        Platform.YOUTUBE: {"views": "10", "likes": "0.50", "comments": "1", "mentions": "2"},
    }
    for platform, metrics in rates.items():
        for metric, value in metrics.items():
            f.EmvRateFactory(organization=organization, platform=platform, metric=metric,
                             value=Decimal(value), source=f"test card {platform}")

    f.KpiTargetFactory(campaign=campaign, metric=KpiTarget.Metric.IMPRESSIONS,
                       value=Decimal("64000"))
    f.KpiTargetFactory(campaign=campaign, metric=KpiTarget.Metric.REVENUE, value=Decimal("530"))
    f.KpiTargetFactory(campaign=campaign, metric=KpiTarget.Metric.ROI, value=Decimal("0"))
    return Scenario(campaign=campaign, alice=alice, bob=bob, carol=carol)
