"""The pure functions behind the campaign report (no database)."""

from __future__ import annotations

from metrics import display, display_report
from tests.campaigns.pages_support import kpi_document


def test_it_builds_nine_cards_with_the_stage_headline_first() -> None:
    cards = display.kpi_cards(kpi_document("MOFU"))
    assert len(cards) == 9
    assert [c.group for c in cards[:3]] == ["audience_growth", "traffic", "ctr"]
    assert all(c.headline for c in cards[:3]) and not any(c.headline for c in cards[3:])


def test_a_value_that_was_not_reported_reads_as_a_dash() -> None:
    doc = kpi_document(engagement={"engagement_rate": None})
    card = next(c for c in display.kpi_cards(doc) if c.group == "engagement")
    assert card.display == "—" and card.missing


def test_money_percent_and_multiples_are_formatted() -> None:
    assert display.format_value("1234.5", display.MONEY, "EUR") == "1,234.50 EUR"
    assert display.format_value(3.14159, display.PERCENT) == "3.14%"
    assert display.format_value(1.5, display.MULTIPLE) == "1.50×"
    assert display.format_value(1234567, display.COUNT) == "1,234,567"
    assert display.format_value(None, display.COUNT) == "—"


def test_change_over_seven_days_compares_the_last_day_with_a_week_before() -> None:
    days = [kpi_document(scale=s) for s in (0.1 * i for i in range(1, 11))]
    change = display.change_over(days, "awareness.impressions", display.COUNT, 7)
    assert change is not None
    assert change.delta == 250000 * 1.0 - int(250000 * 0.3)
    assert change.direction == "up" and "in 7 days" in change.text


def test_change_is_none_without_a_series() -> None:
    assert display.change_over([kpi_document()], "ctr.ctr", display.PERCENT) is None


def test_target_progress_is_computed_from_target_and_actual() -> None:
    targets = display.targets_of(kpi_document())
    conversions = next(t for t in targets if t.metric == "conversion.conversions")
    assert conversions.percent == 84.0 and not conversions.met
    assert conversions.meter_value == 84.0


def test_the_funnel_narrows_and_prints_step_rates() -> None:
    steps = display_report.funnel(kpi_document())
    assert [s.label for s in steps] == ["Impressions", "Clicks", "Visits", "Leads", "Conversions"]
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
