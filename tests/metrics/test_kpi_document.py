"""The KPI document's groups and target progress (metrics/kpi_document.py): what an empty
document holds, and invariants over random sums."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from metrics import kpi_document, kpis
from metrics.kpis import COUNTERS, PostSums
from tests.metrics.strategies import counts, post_sums


def test_target_progress():
    doc = {"awareness": {"impressions": 32000}, "conversion": {"revenue": "265.00"}}
    progress = kpi_document.targets_progress(
        doc, [("awareness.impressions", Decimal("64000.0000")),
              ("conversion.revenue", Decimal("530")), ("ctr.ctr", Decimal("2"))]
    )
    assert [p["progress"] for p in progress] == [50.0, 50.0, None]
    assert progress[0]["target"] == "64000"


def test_an_empty_document_has_nulls_not_zeros():
    groups = kpi_document.all_groups(
        posts=PostSums(), posts_by_platform={}, card=kpis.RateCard(),
        sentiment=kpis.SentimentSums(), funnel=kpis.FunnelSums(), costs=kpis.CostSums(),
        followers_start=None, followers_end=None,
    )
    assert groups["awareness"] == {"impressions": None, "reach": None, "video_views": None}
    assert groups["engagement"]["engagement_rate"] is None
    assert groups["ctr"]["ctr"] is None
    assert groups["roi"]["roi"] is None and groups["roi"]["cpm"] is None
    assert groups["sentiment"]["net_sentiment"] is None
    assert groups["emv"]["total"] == "0.00"


# --- properties -----------------------------------------------------------------------------


@given(post_sums())
def test_groups_never_turn_an_unreported_counter_into_zero(sums):
    awareness = kpi_document.awareness_group(sums)
    engagement = kpi_document.engagement_group(sums)
    assert (awareness["reach"] is None) == (sums.values["reach"] is None)
    assert (engagement["likes"] is None) == (sums.values["likes"] is None)
    rate = engagement["engagement_rate"]
    assert rate is None or rate >= 0


@given(
    st.dictionaries(
        st.sampled_from(["instagram", "tiktok", "youtube"]),
        st.dictionaries(st.sampled_from(COUNTERS), counts, max_size=4),
        max_size=3,
    ),
    st.decimals(min_value=0, max_value=100, places=4),
)
def test_emv_by_platform_adds_up_to_the_total(values, rate):
    by_platform = {}
    for platform, metrics in values.items():
        sums = PostSums()
        sums.values.update(metrics)
        by_platform[platform] = sums
    card = kpis.RateCard({p: {m: (rate, "s") for m in COUNTERS} for p in values})
    group = kpi_document.emv_group(by_platform, card)
    parts = sum((Decimal(v) for v in group["by_platform"].values()), Decimal("0"))
    # Each platform's value is rounded to cents; the total is rounded once.
    assert abs(parts - Decimal(group["total"])) <= Decimal("0.01") * max(1, len(values))
    assert Decimal(group["total"]) >= 0
