"""The pure KPI formulas and sums (metrics/kpis.py): hand-worked examples and invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import kpis
from metrics.kpis import COUNTERS
from tests.metrics.strategies import counts, maybe_counts, post_sums


def test_the_emv_example_of_the_issue():
    # 5,000 likes × $0.30 + 500 comments × $0.50 + (50,000 impressions / 1,000) × $0.05
    value = kpis.emv(
        {"likes": 5000, "comments": 500, "impressions": 50_000},
        {"likes": Decimal("0.30"), "comments": Decimal("0.50"), "impressions": Decimal("0.05")},
    )
    assert value == Decimal("1752.50")
    assert kpis.money(value) == "1752.50"


def test_emv_values_a_missing_rate_or_metric_at_zero():
    assert kpis.emv({"likes": 10, "shares": None}, {"shares": Decimal("2")}) == 0


def test_reach_and_views_are_priced_per_thousand():
    assert kpis.emv_value("reach", 2000, Decimal("3")) == Decimal("6")
    assert kpis.emv_value("views", 2000, Decimal("3")) == Decimal("6")
    assert kpis.emv_value("shares", 2000, Decimal("3")) == Decimal("6000")


def test_a_ratio_over_zero_or_unknown_is_none():
    assert kpis.percent(5, 0) is None
    assert kpis.percent(5, None) is None
    assert kpis.percent(None, 5) is None
    assert kpis.click_through_rate(0, 1000) == 0.0


def test_engagements_sum_only_what_was_reported():
    assert kpis.engagements(10, None, 5, None) == 15
    assert kpis.engagements(None, None, None, None) is None


def test_engagement_rates():
    assert kpis.engagement_rate(1272, 16000) == 7.95
    assert kpis.engagement_rate_followers(742, 62000) == pytest.approx(742 / 62000 * 100)


def test_conversion_and_visit_rates_divide_only_link_and_utm_conversions():
    assert kpis.conversion_rate(2, 4) == 50.0
    assert kpis.visit_conversion_rate(2, 3) == pytest.approx(200 / 3)
    assert kpis.conversion_rate(3, 0) is None


def test_growth_rate():
    assert kpis.growth_rate(10_000, 11_000) == 10.0
    assert kpis.growth_rate(None, 11_000) is None
    assert kpis.growth_rate(0, 50) is None


def test_roi_roas_and_costs_per_unit():
    cost = Decimal("1318.25")
    assert kpis.roi(Decimal("265"), cost) == float((Decimal("265") - cost) * 100 / cost)
    assert kpis.roas(Decimal("265"), cost) == float(Decimal("265") / cost)
    assert kpis.cpm(cost, 32000) == Decimal("41.20")
    assert kpis.cpe(cost, 1842) == Decimal("0.72")
    assert kpis.cpc(cost, 5) == Decimal("263.65")
    assert kpis.cpa(cost, 4) == Decimal("329.56")
    assert kpis.roi(Decimal("10"), Decimal("0")) is None
    assert kpis.cpm(cost, None) is None


def test_commission_is_rounded_to_cents():
    assert kpis.commission(Decimal("5"), Decimal("165")) == Decimal("8.25")
    assert kpis.commission(Decimal("7.5"), Decimal("33.33")) == Decimal("2.50")


def test_sentiment_thresholds_and_net_sentiment():
    assert kpis.sentiment_label(0.05) == "positive"
    assert kpis.sentiment_label(0.0499) == "neutral"
    assert kpis.sentiment_label(-0.05) == "negative"
    assert kpis.net_sentiment(2, 1, 4) == 25.0
    assert kpis.net_sentiment(0, 0, 0) is None


def test_headline_groups_per_stage():
    assert kpis.headline("TOFU") == ["awareness", "engagement", "ctr", "emv", "sentiment"]
    assert kpis.headline("MOFU") == ["audience_growth", "traffic", "ctr", "roi"]
    assert kpis.headline("BOFU") == ["conversion", "roi", "ctr", "traffic"]


# --- properties -----------------------------------------------------------------------------

@given(counts, maybe_counts)
def test_ratios_are_never_negative_for_non_negative_inputs(numerator, denominator):
    value = kpis.percent(numerator, denominator)
    assert value is None or value >= 0
    assert (value is None) == (denominator in (None, 0))


@given(post_sums(), post_sums())
def test_sums_of_breakdowns_equal_the_total_and_nulls_stay_null(a, b):
    total = a + b
    for c in COUNTERS:
        if a.values[c] is None and b.values[c] is None:
            assert total.values[c] is None  # never becomes 0
        else:
            assert total.values[c] == (a.values[c] or 0) + (b.values[c] or 0)
        assert total.reporting[c] == a.reporting[c] + b.reporting[c]
    if a.engagements is None and b.engagements is None:
        assert total.engagements is None
    else:
        assert total.engagements == (a.engagements or 0) + (b.engagements or 0)


@given(st.decimals(min_value=0, max_value=10**6, places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2))
def test_roas_and_roi_agree(revenue, cost):
    roi = kpis.roi(revenue, cost)
    roas = kpis.roas(revenue, cost)
    assert roi is not None and roas is not None
    assert abs(roi - (roas - 1) * 100) < 1e-6 * max(1.0, abs(roi))
