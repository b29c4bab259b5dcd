"""Hypothesis strategies of the KPI sums, shared by the formula and document tests."""

from __future__ import annotations

from hypothesis import strategies as st

from metrics import kpis
from metrics.kpis import COUNTERS, PostSums

counts = st.integers(min_value=0, max_value=10**9)
maybe_counts = st.none() | counts


@st.composite
def post_sums(draw: st.DrawFn) -> PostSums:
    values = {c: draw(maybe_counts) for c in COUNTERS}
    reporting = {c: (0 if values[c] is None else draw(st.integers(1, 50))) for c in COUNTERS}
    eng = kpis.engagements(*(values[c] for c in kpis.ENGAGEMENT_COUNTERS))
    with_reach = None if values["reach"] is None or eng is None else draw(
        st.integers(0, eng))
    return PostSums(
        posts=draw(st.integers(0, 100)),
        values=values,
        reporting=reporting,
        impressions=values["impressions"] if values["impressions"] is not None
        else values["views"],
        engagements_with_reach=with_reach,
        engagements_with_followers=draw(st.none() | st.integers(0, eng or 0)),
        followers=draw(maybe_counts),
    )
