"""Numbers that read right at face value (issue 13): CPL, "no revenue tracked", rates above
100% with their reason, the click-borne funnel, targets in their KPI's unit, human names.
Pure: no database."""

from __future__ import annotations

from decimal import Decimal

from metrics import display, display_report, kpis, registry
from tests.campaigns.pages_support import kpi_document


def _card(doc, group):
    return next(c for c in display.kpi_cards(doc) if c.group == group)


def mofu_document(**groups):
    """A sign-ups campaign: costs, leads, no revenue-bearing conversion."""
    defaults = {
        "conversion": {"conversions": 0, "revenue": "0.00", "click_conversions": 0,
                       "conversion_rate": 0.0,
                       "by_source": {"promo_code": 0, "link": 0, "utm": 0, "manual": 0}},
        "audience_growth": {"leads": 250},
        "roi": {"revenue": "0.00", "total_cost": "12500.00", "roi": -100.0, "roas": 0.0,
                "cpa": None, "cpl": "50.00"},
    }
    defaults.update(groups)
    return kpi_document("MOFU", **defaults)


def test_cpl_is_total_cost_over_leads_and_unknown_without_leads() -> None:
    assert kpis.cpl(Decimal("12500.00"), 250) == Decimal("50.00")
    assert kpis.cpl(Decimal("100.00"), 3) == Decimal("33.33")
    assert kpis.cpl(Decimal("100.00"), 0) is None
    assert kpis.cpl(Decimal("100.00"), None) is None


def test_cpl_is_in_the_registry_as_money_and_exported() -> None:
    f = registry.field("roi.cpl")
    assert (f.kind, f.label, f.export) == (registry.MONEY, "CPL", "cpl")
    assert "cpl" in registry.group("roi").details
    assert "roi" in registry.HEADLINES["MOFU"]


def test_a_mofu_campaign_reads_no_revenue_tracked_with_its_cost_per_lead() -> None:
    card = _card(mofu_document(), "roi")
    assert card.headline
    assert card.display == "No revenue tracked" and card.muted
    assert "−100" not in card.display and "-100" not in card.display
    assert ("CPL", "50.00 USD") in card.details
    assert "ROAS" not in dict(card.details)
    assert any("12,500.00 USD spent" in n and "Cost per lead: 50.00 USD" in n for n in card.notes)
    # The document stays honest: the number is still there for the API.
    assert registry.value_at(mofu_document(), "roi.roi") == -100.0


def test_no_revenue_tracked_gives_no_spend_outpaces_revenue_insight() -> None:
    doc = mofu_document(conversion={"conversions": 5, "revenue": "0.00"})
    assert not any("Spend outpaces revenue" in line for line in display_report.insights(doc))


def test_a_campaign_with_revenue_keeps_its_roi_figure() -> None:
    card = _card(kpi_document("BOFU"), "roi")
    assert card.display == "40.00%" and not card.muted and not card.notes


def test_a_campaign_without_costs_does_not_claim_no_revenue() -> None:
    doc = mofu_document(roi={"revenue": "0.00", "total_cost": "0.00", "roi": None, "cpl": None})
    card = _card(doc, "roi")
    assert card.display == "—" and not card.muted


def test_a_conversion_rate_above_100_percent_says_why() -> None:
    doc = kpi_document(conversion={"conversion_rate": 150.0})
    card = _card(doc, "conversion")
    assert card.details[-1] == ("Conversion rate", "150.00%")
    assert any(n.startswith("Conversion rate above 100%: UTM-tagged") for n in card.notes)
    assert not _card(kpi_document(), "conversion").notes


def test_every_share_field_that_can_pass_100_percent_has_a_reason() -> None:
    for path in ("conversion.conversion_rate", "ctr.ctr", "engagement.engagement_rate",
                 "traffic.visit_conversion_rate", "audience_growth.growth_rate"):
        assert registry.field(path).over_100, path


def test_the_funnel_ends_in_click_borne_conversions_and_sets_codes_beside_it() -> None:
    doc = kpi_document(
        ctr={"clicks": 100},
        traffic={"visits": 90},
        audience_growth={"leads": 0},
        conversion={"conversions": 220, "click_conversions": 20,
                    "by_source": {"promo_code": 200, "link": 15, "utm": 5, "manual": 0}},
    )
    steps = display_report.funnel(doc)
    assert steps[-1].label == "Link & UTM conversions" and steps[-1].value == 20
    for step in steps[1:]:
        share = float(step.from_previous.split("%")[0].replace(",", ""))
        assert share <= 100 or step.reason, step
    beside = display_report.beside_funnel(doc)
    assert [(b.label, b.display) for b in beside] == [("Promo-code conversions", "200")]


def test_a_funnel_step_above_the_one_before_gives_its_reason() -> None:
    doc = kpi_document(ctr={"clicks": 100}, traffic={"visits": 150})
    visits = next(s for s in display_report.funnel(doc) if s.label == "Visits")
    assert visits.from_previous == "150.00% of clicks"
    assert visits.reason.startswith("More visits than clicks: UTM-tagged visits")


def test_an_old_document_without_click_conversions_falls_back_to_link_plus_utm() -> None:
    doc = kpi_document()
    doc["conversion"].pop("click_conversions", None)
    assert display_report.funnel(doc)[-1].value == 44  # link 30 + utm 14


def test_targets_are_labelled_in_their_kpis_unit() -> None:
    assert registry.target_label("roi.roi") == "ROI (%)"
    assert registry.target_label("roi.roas") == "ROAS (×)"
    assert registry.target_label("conversion.revenue") == "Revenue (campaign currency)"
    assert registry.target_label("audience_growth.leads") == "Leads (count)"


def test_target_progress_reads_in_one_unit() -> None:
    roi = display.TargetProgress("roi.roi", "ROI (%)", 150.0, 159.0, registry.PERCENT, "USD")
    assert roi.text == "159.00% of 150.00% (106%)"
    roas = display.TargetProgress("roi.roas", "ROAS (×)", 1.5, 1.59, registry.RATIO, "USD")
    assert roas.text == "1.59× of 1.50× (106%)"
    revenue = display.TargetProgress("conversion.revenue", "Revenue", 12000, 6000,
                                     registry.MONEY, "USD")
    assert revenue.text == "6,000.00 USD of 12,000.00 USD (50%)"


def test_metric_names_are_human() -> None:
    assert registry.metric_label("link_clicks") == "Link clicks"
    assert registry.metric_label("ctr.ctr") == "Click-through rate"
    assert registry.metric_label("roi.cpl") == "CPL"
    assert registry.metric_label("some_new_thing") == "Some new thing"


def test_emv_rates_keep_their_precision_with_currency_and_separators() -> None:
    assert display.format_rate("0.0125", "USD") == "0.0125 USD"
    assert display.format_rate("12.5", "EUR") == "12.50 EUR"
    assert display.format_rate("12500", "USD") == "12,500.00 USD"
    assert display.format_rate(None, "USD") == "—"


def test_a_sign_up_funnel_ends_at_its_leads() -> None:
    steps = display_report.funnel(mofu_document())
    assert steps[-1].label == "Leads"


def test_a_creator_without_revenue_reads_no_revenue_in_the_leaderboard() -> None:
    doc = mofu_document()
    assert display_report.leaderboard_cell(doc, "roi.roi", registry.PERCENT, "USD") == "no revenue"
    assert display_report.leaderboard_cell(doc, "roi.cpa", registry.MONEY, "USD") == "—"
    bofu = kpi_document()
    assert display_report.leaderboard_cell(bofu, "roi.roi", registry.PERCENT, "USD") == "40.00%"
