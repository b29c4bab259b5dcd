"""The pure functions that turn a KPI document into cards (metrics/display.py): nine cards with
the stage headline first, dashes for unreported values, formats, change over days, targets."""

from __future__ import annotations

from metrics import display
from tests.campaigns.pages_support import kpi_document


def test_it_builds_nine_cards_with_the_stage_headline_first() -> None:
    cards = display.kpi_cards(kpi_document("MOFU"))
    assert len(cards) == 9
    assert [c.group for c in cards[:4]] == ["audience_growth", "traffic", "ctr", "roi"]
    assert all(c.headline for c in cards[:4]) and not any(c.headline for c in cards[4:])


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
