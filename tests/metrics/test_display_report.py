"""The pure functions behind the rest of the campaign report (metrics/display_report.py): the
funnel, insights, leaderboard sorting, the EMV rates used, chart data and bar segments."""

from __future__ import annotations

from metrics import display_report
from tests.campaigns.pages_support import kpi_document


def test_the_funnel_narrows_and_prints_step_rates() -> None:
    steps = display_report.funnel(kpi_document())
    assert [s.label for s in steps] == [
        "Impressions", "Clicks", "Visits", "Leads", "Link & UTM conversions"
    ]
    widths = [float(s.points.split()[1].split(",")[0]) - float(s.points.split()[0].split(",")[0])
              for s in steps]
    assert widths == sorted(widths, reverse=True)
    assert steps[1].from_previous.startswith("0.96% of impressions")


def test_the_funnel_leaves_out_a_step_the_campaign_does_not_have() -> None:
    doc = kpi_document(audience_growth={"leads": 0})
    assert "Leads" not in [s.label for s in display_report.funnel(doc)]


def test_traffic_up_with_flat_conversions_suggests_the_landing_page() -> None:
    days = []
    for i in range(15):
        visits = 100 * i if i <= 7 else 700 + 200 * (i - 7)
        days.append(kpi_document(traffic={"visits": visits}, conversion={"conversions": 50}))
    lines = display_report.insights(days[-1], days)
    assert any("optimise the landing page" in line for line in lines)


def test_no_insight_when_conversions_follow_traffic() -> None:
    days = [
        kpi_document(traffic={"visits": 100 * i}, conversion={"conversions": 5 * i})
        for i in range(15)
    ]
    assert not any("landing page" in line for line in display_report.insights(days[-1], days))


def test_leaderboard_sorts_best_first_and_cpa_cheapest_first_with_unknowns_last() -> None:
    rows = [
        {"doc": kpi_document(roi={"cpa": "50.00", "roi": 10.0})},
        {"doc": kpi_document(roi={"cpa": None, "roi": None})},
        {"doc": kpi_document(roi={"cpa": "20.00", "roi": 90.0})},
    ]
    by_roi = display_report.sort_rows(rows, "roi")
    assert [r["doc"]["roi"]["roi"] for r in by_roi] == [90.0, 10.0, None]
    by_cpa = display_report.sort_rows(rows, "cpa")
    assert [r["doc"]["roi"]["cpa"] for r in by_cpa] == ["20.00", "50.00", None]


def test_rates_used_reads_lists_and_nested_mappings() -> None:
    listed = display_report.rates_used(kpi_document())
    assert [(r.platform, r.metric) for r in listed] == [("instagram", "likes"), ("tiktok", "views")]
    assert listed[1].per_thousand
    nested = display_report.rates_used({"emv": {"rates_used": {"youtube": {"views": "0.04"}}}})
    assert nested[0].value == "0.04"


def test_chart_data_has_the_five_series() -> None:
    data = display_report.chart_data([("2026-03-01", kpi_document(scale=0.5))])
    assert [s["key"] for s in data["series"]] == [
        "impressions", "engagements", "clicks", "conversions", "revenue"]
    assert data["series"][4]["data"] == [2100.0]


def test_segments_split_a_bar_by_share() -> None:
    assert display_report.segments([3, 1, 0]) == [(0.0, 75.0), (75.0, 25.0), (100.0, 0.0)]
    assert display_report.segments([0, 0]) == [(0.0, 0.0), (0.0, 0.0)]
