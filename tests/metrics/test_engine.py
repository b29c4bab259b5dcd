"""The KPI engine on the hand-computed campaign of ``tests/metrics/scenario.py``.

Every number below is worked out by hand in the comments. Shared with the real-worker tests of
``tests/metrics/test_scheduling.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from campaigns.models import Campaign
from metrics.engine import kpi_documents, kpis_recompute
from metrics.models import Comment, KpiScope, KpiSnapshot
from tests import factories as f
from tests.metrics import scenario

# Posts as of T (latest non-NULL value per counter):
#   P1 Alice instagram: reach 1000, views 3000, likes 150, comments 10 (carried from the first
#      snapshot, the second did not report it), shares 8, saves 4, impressions NULL → 3000 views
#   P2 Alice tiktok:    impressions 9000, views 7000, likes 500, comments 40, shares 30 (no reach)
#   P3 Bob youtube:     impressions 20000, reach 15000, views 12000, likes 1000, comments 100,
#      mentions 5 (its 25 March snapshot is after T)
#   P4 Bob youtube:     no metrics
EXPECTED_COVERAGE = {
    "posts": 4, "impressions": 2, "reach": 2, "views": 3, "likes": 3, "comments": 3,
    "shares": 2, "saves": 1, "mentions": 1, "link_clicks": 0, "impressions_from_views": 1,
}
EXPECTED_AWARENESS = {
    "impressions": 32000,  # 3000 (P1's views) + 9000 + 20000
    "reach": 16000,  # 1000 + 15000
    "video_views": 22000,  # 3000 + 7000 + 12000
}
EXPECTED_ENGAGEMENT = {
    "likes": 1650, "comments": 150, "shares": 38, "saves": 4, "mentions": 5,
    "engagements": 1842,  # 1650 + 150 + 38 + 4
    # Posts reporting reach: P1 (150+10+8+4 = 172) and P3 (1000+100 = 1100): 1272 / 16000
    "engagement_rate": pytest.approx(7.95),
    # Known followers: P1 12,000 (snapshot of 1 March, before publishing), P2 50,000 (field);
    # P3's account has none. (172 + 570) / 62,000 × 100
    "engagement_rate_followers": pytest.approx(742 / 62000 * 100),
}
EXPECTED_CONVERSION = {
    # Counted: C1 link 100 USD; C3 promo 200 EUR − 50 EUR refund = 150 EUR × 1.10 = 165.00 USD;
    # C5 utm 60 GBP (no GBP rate: excluded from revenue, still counted); C9 manual trial 0.
    # Not counted: C2 (11 days after its click), C4 (fully refunded), C6 (unattributed),
    # C10 (after end + 7 days), C11 (cancelled).
    "conversions": 4,
    "revenue": "265.00",
    "click_conversions": 2,  # 1 link + 1 utm: the funnel's last step
    "conversion_rate": 50.0,  # (1 link + 1 utm) / 4 unique clicks
    "by_source": {"promo_code": 1, "link": 1, "utm": 1, "manual": 1},
    "excluded_other_currency": 1,
}
EXPECTED_AUDIENCE = {
    # Only the Instagram brand account has a snapshot on or before 1 March (10,000 on 25 Feb);
    # on 10 March it has 11,000. TikTok's first snapshot is 3 March: left out.
    "followers_start": 10000, "followers_end": 11000, "followers_gained": 1000,
    "growth_rate": 10.0,
    "leads": 2,  # C7 (utm signup 5 March) + C8 (manual lead, always counted)
}
EXPECTED_CTR = {
    "clicks": 5,  # 3 on Alice's link + 2 on Bob's; the bot click and the 25 March one are out
    "unique_clicks": 4,
    "impressions": 32000,
    "ctr": pytest.approx(5 / 32000 * 100),
}
EXPECTED_TRAFFIC = {
    # v1 via the click (4 March), v2 twice via UTM (6 March); v1's 15 March visit is 11 days
    # after its click; v3 is unattributed.
    "visits": 3, "unique_visitors": 2,
    "visit_conversion_rate": pytest.approx(2 / 3 * 100),
}
EXPECTED_EMV = {
    # instagram: 3000/1000 × 5 + 150 × 0.30 + 10 × 0.50 = 15 + 45 + 5 = 65
    # tiktok: 7000/1000 × 4 + 500 × 0.20 + 30 × 1 = 28 + 100 + 30 = 158
    # youtube: 12000/1000 × 10 + 1000 × 0.50 + 100 × 1 + 5 × 2 = 120 + 500 + 100 + 10 = 730
    "total": "953.00",
    "by_platform": {"instagram": "65.00", "tiktok": "158.00", "youtube": "730.00"},
}
EXPECTED_ROI = {
    "revenue": "265.00",
    # fees 500 (Alice, live) + 300 (Bob, contracted); Carol is a prospect: not owed.
    # commission: Alice 10% × 100 = 10.00, Bob 5% × 165 = 8.25.
    "total_cost": "1318.25",  # 800 + 100 + 18.25 + 200 + 150 + 50
    "cost_breakdown": {
        "fees": "800.00", "product": "100.00", "commission": "18.25", "ad_spend": "200.00",
        "production": "150.00", "platform_fee": "50.00", "other": "0.00",
    },
    "roi": pytest.approx((265 - 1318.25) / 1318.25 * 100),
    "roas": pytest.approx(265 / 1318.25),
    "cpm": "41.20",  # 1318.25 / 32000 × 1000 = 41.195…
    "cpe": "0.72",  # 1318.25 / 1842 = 0.7156…
    "cpc": "263.65",  # 1318.25 / 5
    "cpa": "329.56",  # 1318.25 / 4 = 329.5625
    "cpl": "659.13",  # 1318.25 / 2 leads = 659.125
}
EXPECTED_SENTIMENT = {
    # "I love this" +, "terrible… hate" −, "package arrived" neutral (sent twice, stored once),
    # "Great video" +; the 25 March comment is after T.
    "positive": 2, "neutral": 1, "negative": 1, "total": 4, "unread": 0, "net_sentiment": 25.0,
}


def assert_total_document(data: dict[str, Any], campaign: Campaign,
                          as_of: dt.datetime | None = scenario.AS_OF) -> None:
    """Every field of the campaign total (used by the real-mode test too, as of now)."""
    # (PostgreSQL's jsonb does not keep key order; the API puts them back in order.)
    assert set(data) == {
        "campaign", "stage", "currency", "as_of", "computed_at", "headline", "targets",
        "coverage", "awareness", "engagement", "conversion", "audience_growth", "ctr",
        "traffic", "emv", "roi", "sentiment",
    }
    assert data["campaign"] == campaign.pk
    assert data["stage"] == "BOFU"
    assert data["currency"] == "USD"
    if as_of is not None:
        assert dt.datetime.fromisoformat(data["as_of"]) == as_of
    assert dt.datetime.fromisoformat(data["computed_at"]).tzinfo is not None
    assert data["headline"] == ["conversion", "roi", "ctr", "traffic"]
    assert data["targets"] == [
        {"metric": "awareness.impressions", "target": "64000", "actual": 32000,
         "progress": 50.0},
        {"metric": "conversion.revenue", "target": "530", "actual": "265.00", "progress": 50.0},
        # progress toward a target of 0 is undefined
        {"metric": "roi.roi", "target": "0", "actual": pytest.approx(-79.8975915),
         "progress": None},
    ]
    assert data["coverage"] == EXPECTED_COVERAGE
    assert data["awareness"] == EXPECTED_AWARENESS
    assert data["engagement"] == EXPECTED_ENGAGEMENT
    assert data["conversion"] == EXPECTED_CONVERSION
    growth = dict(data["audience_growth"])
    overlapping = growth.pop("overlapping_campaigns")
    assert growth == EXPECTED_AUDIENCE
    assert [c["name"] for c in overlapping] == ["Spring sequel"]
    assert data["ctr"] == EXPECTED_CTR
    assert data["traffic"] == EXPECTED_TRAFFIC
    emv = dict(data["emv"])
    rates_used = emv.pop("rates_used")
    assert emv == EXPECTED_EMV
    assert {(r["platform"], r["metric"], r["value"]) for r in rates_used} >= {
        ("instagram", "views", "5.0000"), ("youtube", "mentions", "2.0000"),
    }
    assert all(r["source"].startswith("test card") for r in rates_used)
    assert data["roi"] == EXPECTED_ROI
    assert data["sentiment"] == EXPECTED_SENTIMENT


@pytest.fixture
def built(team) -> scenario.Scenario:
    return scenario.build(team.organization)


def test_the_total_document_matches_the_hand_computed_campaign(built):
    total = kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    assert total is not None
    stored = KpiSnapshot.objects.get(campaign=built.campaign, scope=KpiScope.TOTAL)
    assert_total_document(stored.data, built.campaign)


def test_it_labels_unlabelled_comments_before_counting(built):
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    labels = dict(Comment.objects.values_list("external_id", "sentiment"))
    assert labels == {"c1": "positive", "c2": "negative", "c3": "neutral", "c4": "positive",
                      "c5": "positive"}
    assert Comment.objects.filter(compound__isnull=True).count() == 0


def _docs(campaign: Campaign, scope: str) -> dict[str, dict[str, Any]]:
    return {
        s.key: s.data for s in KpiSnapshot.objects.filter(campaign=campaign, scope=scope)
    }


def test_per_partnership_documents(built):
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    docs = _docs(built.campaign, KpiScope.PARTNERSHIP)
    assert set(docs) == {str(built.alice.pk), str(built.bob.pk), str(built.carol.pk)}
    alice = docs[str(built.alice.pk)]
    assert alice["label"] == "Alice" and alice["partnership"] == built.alice.pk
    # Alice: P1 + P2 → impressions 3000 + 9000, reach 1000 (P1 only), views 10000
    assert alice["awareness"] == {"impressions": 12000, "reach": 1000, "video_views": 10000}
    assert alice["engagement"]["engagements"] == 172 + 570
    assert alice["engagement"]["engagement_rate"] == pytest.approx(172 / 1000 * 100)
    assert alice["coverage"]["posts"] == 2
    # C1 link 100 + C9 manual trial; leads: C8
    assert alice["conversion"] == {
        "conversions": 2, "revenue": "100.00", "click_conversions": 1,
        "conversion_rate": 50.0,  # 1 link / 2 unique
        "by_source": {"promo_code": 0, "link": 1, "utm": 0, "manual": 1},
        "excluded_other_currency": 0,
    }
    assert alice["audience_growth"] == {
        "followers_start": None, "followers_end": None, "followers_gained": None,
        "growth_rate": None, "leads": 1,
    }
    assert alice["ctr"] == {"clicks": 3, "unique_clicks": 2, "impressions": 12000,
                            "ctr": pytest.approx(3 / 12000 * 100)}
    assert alice["traffic"] == {"visits": 1, "unique_visitors": 1, "visit_conversion_rate": 100.0}
    assert alice["emv"]["total"] == "223.00"  # 65 + 158
    # Alice's own costs: fee 500, product 100, commission 10.00; campaign-level costs are not hers
    assert alice["roi"]["total_cost"] == "610.00"
    assert alice["roi"]["cost_breakdown"]["ad_spend"] == "0.00"
    assert alice["sentiment"]["total"] == 3

    bob = docs[str(built.bob.pk)]
    assert bob["conversion"]["revenue"] == "165.00"
    assert bob["conversion"]["excluded_other_currency"] == 1
    assert bob["audience_growth"]["leads"] == 1
    # fee 300 + production 150 (his own cost row) + commission 8.25
    assert bob["roi"]["total_cost"] == "458.25"
    assert bob["engagement"]["engagement_rate_followers"] is None  # no follower count
    carol = docs[str(built.carol.pk)]
    assert carol["awareness"] == {"impressions": None, "reach": None, "video_views": None}
    assert carol["roi"]["total_cost"] == "0.00"  # a prospect owes nothing
    assert carol["roi"]["roi"] is None


def test_per_platform_documents_fill_only_post_groups(built):
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    docs = _docs(built.campaign, KpiScope.PLATFORM)
    assert set(docs) == {"instagram", "tiktok", "youtube"}
    youtube = docs["youtube"]
    assert youtube["label"] == "YouTube"
    assert youtube["awareness"] == {"impressions": 20000, "reach": 15000, "video_views": 12000}
    assert youtube["coverage"]["posts"] == 2  # P3 and P4 (which reported nothing)
    assert youtube["emv"]["total"] == "730.00"
    assert youtube["sentiment"]["total"] == 1
    for group in ("conversion", "audience_growth", "ctr", "traffic", "roi"):
        assert youtube[group] is None
    instagram = docs["instagram"]
    assert instagram["coverage"]["impressions_from_views"] == 1
    assert instagram["awareness"]["impressions"] == 3000


def test_per_day_documents_are_cumulative_in_the_organization_time_zone(built):
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    days = _docs(built.campaign, KpiScope.DAY)
    assert sorted(days) == [f"2026-03-{d:02d}" for d in range(1, 11)]
    # 1 March: nothing posted yet; the manual lead of 20 Feb counts from the first day.
    first = days["2026-03-01"]
    assert first["awareness"]["impressions"] is None
    assert first["audience_growth"]["leads"] == 1
    assert first["audience_growth"]["followers_end"] == 10000
    # 4 March (Paris): P1's 3 March values (views 2000) + P2's 22:30 UTC = 23:30 Paris snapshot
    assert days["2026-03-04"]["awareness"]["impressions"] == 2000 + 5000
    # 6 March: P1 now 3000; P2's next snapshot is 00:30 on 7 March in Paris, not yet counted
    assert days["2026-03-06"]["awareness"]["impressions"] == 3000 + 5000
    assert days["2026-03-07"]["awareness"]["impressions"] == 3000 + 9000
    # Conversions: C9 (2nd), C1 (5th), C3 (6th, 200 EUR = 220 USD), C4 (7th, 80 USD)
    assert days["2026-03-07"]["conversion"]["conversions"] == 4
    assert days["2026-03-07"]["conversion"]["revenue"] == "400.00"
    # commission on the 7th: Alice 10% × 180, Bob 5% × 220
    assert days["2026-03-07"]["roi"]["cost_breakdown"]["commission"] == "29.00"
    # 8th: refunds of 50 EUR (−55 USD) on C3 and 30 USD on C4
    assert days["2026-03-08"]["conversion"]["revenue"] == "315.00"
    # 9th: C4's second refund makes it whole (out of the count); C5 in GBP arrives
    assert days["2026-03-09"]["conversion"]["conversions"] == 4
    assert days["2026-03-09"]["conversion"]["revenue"] == "265.00"
    assert days["2026-03-09"]["conversion"]["excluded_other_currency"] == 1
    last = days["2026-03-10"]
    assert dt.datetime.fromisoformat(last["as_of"]) == dt.datetime(
        2026, 3, 10, 22, 59, 59, 999999, tzinfo=dt.UTC
    )
    assert last["awareness"] == EXPECTED_AWARENESS | {"impressions": 12000 + 20000}
    assert last["ctr"]["clicks"] == 5
    assert last["traffic"]["unique_visitors"] == 2
    assert last["sentiment"] == EXPECTED_SENTIMENT
    assert last["audience_growth"]["followers_end"] == 11000
    # The platform fee is incurred on 15 March: not yet a cost on the 10th.
    assert last["roi"]["total_cost"] == "1268.25"


def test_recompute_replaces_previous_rows_and_is_idempotent(built):
    first = kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    count = KpiSnapshot.objects.filter(campaign=built.campaign).count()
    assert count == 1 + 3 + 3 + 10
    second = kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    assert KpiSnapshot.objects.filter(campaign=built.campaign).count() == count
    assert first is not None and second is not None
    assert first.data["emv"] == second.data["emv"]


def test_a_failed_recompute_leaves_the_previous_snapshot(built, monkeypatch):
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    before = list(KpiSnapshot.objects.filter(campaign=built.campaign).values_list("pk", "data"))

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("worker killed")

    # The insert of the new rows dies, after the delete of the old ones.
    monkeypatch.setattr("metrics.services.kpi_store._insert", explode)
    with pytest.raises(RuntimeError):
        kpis_recompute(campaign_id=built.campaign.pk)
    after = list(KpiSnapshot.objects.filter(campaign=built.campaign).values_list("pk", "data"))
    assert after == before


def test_a_vanished_campaign_is_skipped(db):
    assert kpis_recompute(campaign_id=987654) is None


def test_query_count_does_not_grow_with_the_campaign(team, django_assert_max_num_queries):
    small = f.CampaignFactory(brand__organization=team.organization)
    post = f.PostFactory(partnership__campaign=small)
    f.PostMetricsFactory(post=post)
    kpi_documents(small)  # copies the default rate card once

    def count_for(campaign: Campaign) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            kpi_documents(campaign)
        return len(ctx.captured_queries)

    baseline = count_for(small)
    big = f.CampaignFactory(brand=small.brand)
    for _ in range(4):
        partnership = f.PartnershipFactory(campaign=big)
        for day in range(3):
            p = f.PostFactory(partnership=partnership)
            f.PostMetricsFactory(post=p, captured_at=scenario.at(3 + day))
            f.CommentFactory(post=p, text="nice", sentiment="positive")
            f.ClickFactory(link__partnership=partnership)
    assert count_for(big) == baseline
    with django_assert_max_num_queries(25):
        kpi_documents(big)


def test_an_organization_without_rates_gets_the_default_card(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    post = f.PostFactory(partnership__campaign=campaign)
    f.PostMetricsFactory(post=post, impressions=None, views=10_000, likes=100, comments=None,
                         shares=None, saves=None, reach=None)
    total = kpis_recompute(campaign_id=campaign.pk)
    assert total is not None
    # Default instagram card: views $0.05 per 1,000, likes $0.30 → 0.50 + 30.00
    assert total.data["emv"]["total"] == "30.50"
    assert all(r["source"] for r in total.data["emv"]["rates_used"])
