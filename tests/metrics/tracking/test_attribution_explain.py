"""metrics/tracking/attribution.py ``explain``: why each rule did not match, and the fix it
offers (no database). It reads the same candidates as ``attribute`` and agrees with it."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.tracking.attribution import (
    FIX_ADD_CODE,
    FIX_ASSIGN,
    FIX_CODE_DATES,
    FIX_UTM,
    FIX_WINDOW,
    LINK,
    PROMO_CODE,
    UNATTRIBUTED,
    UTM,
    ClickCandidate,
    CodeCandidate,
    Facts,
    LinkCandidate,
    attribute,
    explain,
)

T = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
BRAND = 1


def facts(**kw) -> Facts:
    kw.setdefault("occurred_at", T)
    kw.setdefault("brand_id", BRAND)
    return Facts(**kw)


def click(**kw) -> ClickCandidate:
    kw.setdefault("click_id", "c1")
    kw.setdefault("partnership_id", 20)
    kw.setdefault("brand_id", BRAND)
    kw.setdefault("occurred_at", T - dt.timedelta(days=1))
    kw.setdefault("window_days", 30)
    return ClickCandidate(**kw)


def link(**kw) -> LinkCandidate:
    kw.setdefault("link_id", 1)
    kw.setdefault("partnership_id", 30)
    kw.setdefault("utm_campaign", "fall-glow")
    kw.setdefault("utm_content", "mia")
    kw.setdefault("created_at", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    kw.setdefault("campaign_start", dt.date(2026, 3, 1))
    kw.setdefault("campaign_end", dt.date(2026, 3, 31))
    kw.setdefault("window_days", 30)
    return LinkCandidate(**kw)


def by_rule(reasons):
    return {r.rule: r for r in reasons}


def test_nothing_to_go_on_says_so_for_every_rule() -> None:
    reasons = explain(facts())
    assert [r.rule for r in reasons] == [PROMO_CODE, LINK, UTM]
    assert not any(r.matched for r in reasons)
    texts = [r.text for r in reasons]
    assert texts == [
        "The order carries no promo code.",
        "The order carries no click id.",
        "The order carries no UTM values.",
    ]


def test_a_code_nobody_has_offers_to_add_it() -> None:
    reason = by_rule(explain(facts(codes=["WHO10"])))[PROMO_CODE]
    assert "No partnership of this brand has the code WHO10" in reason.text
    assert reason.fix == FIX_ADD_CODE


def test_a_code_not_active_at_the_order_offers_its_dates() -> None:
    code = CodeCandidate("MIA10", 20, active_from=T + dt.timedelta(days=1))
    reason = by_rule(explain(facts(codes=["mia10"]), codes=[code]))[PROMO_CODE]
    assert "was not active at 2026-03-10 12:00" in reason.text
    assert "from 2026-03-11 12:00 until open-ended" in reason.text
    assert (reason.fix, reason.partnership_id) == (FIX_CODE_DATES, 20)


def test_an_unknown_click_id_offers_to_assign_by_hand() -> None:
    reason = by_rule(explain(facts(click_ids=["zz"]), clicks=[click()]))[LINK]
    assert reason.text == "Click id zz is unknown: no tracked link was clicked with it."
    assert reason.fix == FIX_ASSIGN


def test_a_click_after_the_order_says_so() -> None:
    late = click(occurred_at=T + dt.timedelta(hours=2))
    reason = by_rule(explain(facts(click_ids=["c1"]), clicks=[late]))[LINK]
    assert reason.text.startswith("Click c1 came after the order")


def test_a_click_outside_the_window_offers_to_extend_it() -> None:
    old = click(occurred_at=T - dt.timedelta(days=40), window_days=30)
    reason = by_rule(explain(facts(click_ids=["c1"]), clicks=[old]))[LINK]
    assert "40 days after click c1" in reason.text and "30-day attribution window" in reason.text
    assert (reason.fix, reason.partnership_id) == (FIX_WINDOW, 20)


def test_bot_and_other_brand_clicks_say_so() -> None:
    assert "bot" in by_rule(explain(facts(click_ids=["c1"]), clicks=[click(is_bot=True)]))[
        LINK].text
    other = by_rule(explain(facts(click_ids=["c1"]), clicks=[click(brand_id=2)]))[LINK]
    assert "another brand" in other.text


def test_utm_values_matching_no_link_offer_the_utm_fix() -> None:
    reason = by_rule(
        explain(facts(utm_campaign="fall-glow", utm_content="zoe"), links=[link()])
    )[UTM]
    assert reason.text == (
        "No tracking link of this brand has utm_campaign fall-glow and utm_content zoe."
    )
    assert reason.fix == FIX_UTM


def test_utm_content_without_a_campaign_names_the_missing_campaign() -> None:
    reason = by_rule(explain(facts(utm_content="mia"), links=[link()]))[UTM]
    assert "no utm_campaign" in reason.text and reason.fix == FIX_UTM


def test_a_campaign_alone_that_no_link_has_offers_the_utm_fix() -> None:
    reason = by_rule(explain(facts(utm_campaign="spring"), links=[link()]))[UTM]
    assert reason.text == "No tracking link of this brand has utm_campaign spring."
    assert reason.fix == FIX_UTM


def test_a_campaign_alone_of_one_partnership_matches() -> None:
    reason = by_rule(explain(facts(utm_campaign="fall-glow"), links=[link()]))[UTM]
    assert reason.matched and reason.partnership_id == 30
    assert reason.text == "The utm_campaign matched the links of one partnership."


def test_a_campaign_alone_shared_by_several_partnerships_says_why() -> None:
    links = [link(), link(link_id=2, partnership_id=31, utm_content="zoe")]
    reason = by_rule(explain(facts(utm_campaign="fall-glow"), links=links))[UTM]
    assert not reason.matched
    assert reason.text == (
        "The order has utm_campaign fall-glow but no utm_content, and links of 2 partnerships "
        "have that utm_campaign: without utm_content it cannot tell which one."
    )
    assert reason.fix == FIX_ASSIGN


@pytest.mark.parametrize(
    "case",
    [
        facts(codes=["MIA10"]),
        facts(codes=["nope"], click_ids=["c1"]),
        facts(click_ids=["c1"], occurred_at=T + dt.timedelta(days=60)),
        facts(utm_campaign="fall-glow", utm_content="mia"),
        facts(utm_campaign="fall-glow", utm_content="zoe"),
        facts(utm_campaign="fall-glow"),
        facts(utm_campaign="spring"),
        facts(utm_campaign="spring", utm_content="zoe"),
        facts(utm_content="mia"),
        facts(),
    ],
)
@pytest.mark.parametrize("shared", [False, True], ids=["one-partnership", "shared-campaign"])
def test_explain_agrees_with_attribute(case: Facts, shared: bool) -> None:
    links = [link(), link(link_id=3, partnership_id=30, utm_campaign="spring", utm_content="")]
    if shared:  # another partnership's links carry the same utm_campaigns
        links += [link(link_id=2, partnership_id=31, utm_content="zoe"),
                  link(link_id=4, partnership_id=31, utm_campaign="spring", utm_content="ava")]
    candidates = {"codes": [CodeCandidate("MIA10", 10)], "clicks": [click()], "links": links}
    answer = attribute(case, **candidates)
    reasons = explain(case, **candidates)
    first = next((r for r in reasons if r.matched), None)
    if answer.reason == UNATTRIBUTED:
        assert first is None
    else:
        assert first is not None
        assert (first.rule, first.partnership_id) == (answer.reason, answer.partnership_id)
