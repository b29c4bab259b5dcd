"""metrics/tracking/attribution.py: every rule, each tie and each window edge (no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from metrics.tracking.attribution import (
    LINK,
    PROMO_CODE,
    UNATTRIBUTED,
    UTM,
    Attribution,
    ClickCandidate,
    CodeCandidate,
    Facts,
    LinkCandidate,
    attribute,
    campaign_window,
)

T = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
BRAND = 1


def facts(**kw) -> Facts:
    kw.setdefault("occurred_at", T)
    kw.setdefault("brand_id", BRAND)
    return Facts(**kw)


def click(click_id: str = "c1", **kw) -> ClickCandidate:
    kw.setdefault("partnership_id", 20)
    kw.setdefault("brand_id", BRAND)
    kw.setdefault("occurred_at", T - dt.timedelta(days=1))
    kw.setdefault("window_days", 30)
    return ClickCandidate(click_id=click_id, **kw)


def link(link_id: int, partnership_id: int, **kw) -> LinkCandidate:
    kw.setdefault("utm_campaign", "fall-glow")
    kw.setdefault("utm_content", "mia")
    kw.setdefault("created_at", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    kw.setdefault("campaign_start", dt.date(2026, 3, 1))
    kw.setdefault("campaign_end", dt.date(2026, 3, 31))
    kw.setdefault("window_days", 30)
    return LinkCandidate(link_id=link_id, partnership_id=partnership_id, **kw)


# --- 1. promo code ------------------------------------------------------------------------------
def test_a_promo_code_matches_case_insensitively() -> None:
    result = attribute(facts(codes=["mia10"]), codes=[CodeCandidate("MIA10", 10)])
    assert result == Attribution(10, PROMO_CODE, None)


def test_a_promo_code_beats_a_click_and_utm() -> None:
    result = attribute(
        facts(codes=["MIA10"], click_ids=["c1"], utm_campaign="fall-glow", utm_content="mia"),
        codes=[CodeCandidate("mia10", 10)],
        clicks=[click("c1", partnership_id=20)],
        links=[link(1, 30)],
    )
    assert result.reason == PROMO_CODE and result.partnership_id == 10


def test_a_code_is_active_from_its_first_instant_to_its_last_inclusive() -> None:
    code = CodeCandidate("MIA10", 10, active_from=T, active_until=T + dt.timedelta(days=1))
    assert attribute(facts(codes=["mia10"]), codes=[code]).reason == PROMO_CODE
    at_end = facts(codes=["mia10"], occurred_at=T + dt.timedelta(days=1))
    assert attribute(at_end, codes=[code]).reason == PROMO_CODE


def test_a_code_outside_its_active_period_does_not_count() -> None:
    code = CodeCandidate("MIA10", 10, active_from=T, active_until=T + dt.timedelta(days=1))
    before = facts(codes=["mia10"], occurred_at=T - dt.timedelta(microseconds=1))
    after = facts(codes=["mia10"], occurred_at=T + dt.timedelta(days=1, microseconds=1))
    assert attribute(before, codes=[code]).reason == UNATTRIBUTED
    assert attribute(after, codes=[code]).reason == UNATTRIBUTED


def test_a_code_reused_in_a_later_season_goes_to_the_season_active_at_the_order() -> None:
    spring = CodeCandidate("MIA", 10, active_until=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    autumn = CodeCandidate("MIA", 11, active_from=dt.datetime(2026, 3, 1, 0, 1, tzinfo=dt.UTC))
    assert attribute(facts(codes=["mia"]), codes=[spring, autumn]).partnership_id == 11
    early = facts(codes=["mia"], occurred_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert attribute(early, codes=[spring, autumn]).partnership_id == 10


def test_the_orders_first_matching_code_decides() -> None:
    codes = [CodeCandidate("FIRST", 10), CodeCandidate("SECOND", 11)]
    assert attribute(facts(codes=["nope", "second", "first"]), codes=codes).partnership_id == 11


def test_overlapping_duplicate_codes_go_to_the_latest_started() -> None:
    older = CodeCandidate("MIA", 10, active_from=T - dt.timedelta(days=9), promo_code_id=1)
    newer = CodeCandidate("MIA", 11, active_from=T - dt.timedelta(days=2), promo_code_id=2)
    assert attribute(facts(codes=["mia"]), codes=[newer, older]).partnership_id == 11


def test_an_unknown_code_falls_through_to_the_next_rule() -> None:
    result = attribute(
        facts(codes=["nope"], click_ids=["c1"]), codes=[CodeCandidate("MIA", 10)],
        clicks=[click("c1")],
    )
    assert result.reason == LINK


# --- 2. click id --------------------------------------------------------------------------------
def test_a_click_id_names_the_links_partnership() -> None:
    assert attribute(facts(click_ids=["c1"]), clicks=[click("c1")]) == Attribution(20, LINK, "c1")


def test_the_click_window_includes_the_click_instant_and_the_last_instant() -> None:
    c = click("c1", occurred_at=T, window_days=7)
    assert attribute(facts(click_ids=["c1"]), clicks=[c]).reason == LINK
    last = facts(click_ids=["c1"], occurred_at=T + dt.timedelta(days=7))
    assert attribute(last, clicks=[c]).reason == LINK


def test_a_conversion_after_the_window_or_before_the_click_is_not_credited() -> None:
    c = click("c1", occurred_at=T, window_days=7)
    late = facts(click_ids=["c1"], occurred_at=T + dt.timedelta(days=7, microseconds=1))
    early = facts(click_ids=["c1"], occurred_at=T - dt.timedelta(seconds=1))
    assert attribute(late, clicks=[c]).reason == UNATTRIBUTED
    assert attribute(early, clicks=[c]).reason == UNATTRIBUTED


def test_a_bot_click_or_another_brands_click_is_not_credited() -> None:
    assert attribute(facts(click_ids=["c1"]), clicks=[click("c1", is_bot=True)]).reason == (
        UNATTRIBUTED
    )
    assert attribute(facts(click_ids=["c1"]), clicks=[click("c1", brand_id=2)]).reason == (
        UNATTRIBUTED
    )


def test_the_explicit_click_id_beats_the_landing_and_note_ids() -> None:
    clicks = [click("explicit", partnership_id=21), click("landing", partnership_id=22)]
    assert attribute(facts(click_ids=["explicit", "landing"]), clicks=clicks).partnership_id == 21
    assert facts(click_ids=["", "landing", "note"]).click_id == "landing"


def test_an_unknown_click_id_falls_through_to_utm() -> None:
    result = attribute(
        facts(click_ids=["ghost"], utm_campaign="fall-glow", utm_content="mia"),
        links=[link(1, 30)],
    )
    assert result == Attribution(30, UTM, None)


# --- 3. UTM -------------------------------------------------------------------------------------
def test_utm_campaign_and_content_match_case_insensitively() -> None:
    result = attribute(facts(utm_campaign="FALL-Glow", utm_content="MIA"), links=[link(1, 30)])
    assert result == Attribution(30, UTM, None)


def test_utm_needs_a_campaign_and_content_must_match_when_given() -> None:
    assert attribute(facts(utm_content="mia"), links=[link(1, 30)]).reason == UNATTRIBUTED
    other = facts(utm_campaign="fall-glow", utm_content="zoe")
    assert attribute(other, links=[link(1, 30)]).reason == UNATTRIBUTED
    elsewhere = facts(utm_campaign="spring", utm_content="mia")
    assert attribute(elsewhere, links=[link(1, 30)]).reason == UNATTRIBUTED


# utm_campaign without utm_content (common in the wild) -----------------------------------------
def test_a_campaign_alone_matches_when_one_partnerships_links_carry_it() -> None:
    links = [link(1, 30), link(2, 30, utm_content="mia-story"), link(3, 40, utm_campaign="other")]
    assert attribute(facts(utm_campaign="FALL-GLOW"), links=links) == Attribution(30, UTM, None)


def test_a_campaign_alone_matches_a_link_that_has_no_content_either() -> None:
    assert attribute(facts(utm_campaign="fall-glow"),
                     links=[link(1, 30, utm_content="")]).partnership_id == 30


def test_a_campaign_alone_shared_by_several_partnerships_stays_unattributed() -> None:
    links = [link(1, 30), link(2, 31, utm_content="zoe")]
    assert attribute(facts(utm_campaign="fall-glow"), links=links) == Attribution(
        None, UNATTRIBUTED, None
    )


def test_a_campaign_alone_uses_the_window_rule_to_pick_the_season() -> None:
    last_year = link(1, 30, campaign_start=dt.date(2025, 3, 1), campaign_end=dt.date(2025, 3, 31))
    this_year = link(2, 31, utm_content="zoe")
    assert attribute(facts(utm_campaign="fall-glow"),
                     links=[last_year, this_year]).partnership_id == 31
    # With neither window containing the conversion, both seasons are possible: ambiguous.
    later = facts(utm_campaign="fall-glow", occurred_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert attribute(later, links=[last_year, this_year]).reason == UNATTRIBUTED


def test_a_campaign_alone_matching_nothing_falls_through() -> None:
    assert attribute(facts(utm_campaign="nope"), links=[link(1, 30)]).reason == UNATTRIBUTED


def test_a_promo_code_and_a_click_still_beat_a_campaign_alone() -> None:
    result = attribute(facts(utm_campaign="fall-glow", click_ids=["c1"]),
                       clicks=[click("c1", partnership_id=20)], links=[link(1, 30)])
    assert result.reason == LINK and result.partnership_id == 20


def test_utm_tie_goes_to_the_link_whose_campaign_window_contains_the_conversion() -> None:
    last_year = link(
        1, 30, created_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        campaign_start=dt.date(2025, 3, 1), campaign_end=dt.date(2025, 3, 31),
    )
    this_year = link(2, 31, created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    result = attribute(facts(utm_campaign="fall-glow", utm_content="mia"),
                       links=[last_year, this_year])
    assert result.partnership_id == 31  # in window, although the other link is newer


def test_utm_tie_with_no_window_containing_it_goes_to_the_newest_link() -> None:
    older = link(1, 30, created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                 campaign_start=dt.date(2025, 1, 1), campaign_end=dt.date(2025, 1, 2))
    newer = link(2, 31, created_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
                 campaign_start=dt.date(2025, 6, 1), campaign_end=dt.date(2025, 6, 2))
    result = attribute(facts(utm_campaign="fall-glow", utm_content="mia"), links=[older, newer])
    assert result.partnership_id == 31


def test_utm_tie_inside_several_windows_goes_to_the_newest_of_those() -> None:
    a = link(1, 30, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    b = link(2, 31, created_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    c = link(3, 32, created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
             campaign_start=dt.date(2024, 1, 1), campaign_end=dt.date(2024, 1, 2))
    result = attribute(facts(utm_campaign="fall-glow", utm_content="mia"), links=[a, b, c])
    assert result.partnership_id == 31


def test_same_creation_time_ties_break_on_the_higher_link_id() -> None:
    a, b = link(1, 30), link(2, 31)
    assert attribute(facts(utm_campaign="fall-glow", utm_content="mia"),
                     links=[b, a]).partnership_id == 31


def test_the_utm_window_is_whole_days_in_the_organization_time_zone() -> None:
    tz = ZoneInfo("America/New_York")
    first, after = campaign_window(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 30, tz)
    assert first == dt.datetime(2026, 3, 1, tzinfo=tz)
    assert after == dt.datetime(2026, 5, 1, tzinfo=tz)  # end + 30 days = 30 April, whole day
    in_window = link(1, 30, created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    outside = link(2, 31, created_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
                   campaign_start=dt.date(2027, 1, 1), campaign_end=dt.date(2027, 1, 2))
    links = [in_window, outside]

    def who(moment: dt.datetime) -> int | None:
        return attribute(facts(utm_campaign="fall-glow", utm_content="mia",
                               occurred_at=moment), links=links, tz=tz).partnership_id

    # 1 March 00:00 in New York is 05:00 UTC: 04:59 UTC is still February there.
    assert who(dt.datetime(2026, 3, 1, 5, 0, tzinfo=dt.UTC)) == 30
    assert who(dt.datetime(2026, 3, 1, 4, 59, 59, tzinfo=dt.UTC)) == 31
    # The last instant of 30 April in New York (03:59:59 UTC on 1 May) is inside.
    assert who(dt.datetime(2026, 5, 1, 3, 59, 59, tzinfo=dt.UTC)) == 30
    assert who(dt.datetime(2026, 5, 1, 4, 0, tzinfo=dt.UTC)) == 31


# --- 4. nothing ---------------------------------------------------------------------------------
def test_with_nothing_to_go_on_it_is_unattributed() -> None:
    assert attribute(facts()) == Attribution(None, UNATTRIBUTED, None)
    assert attribute(facts(codes=["x"], click_ids=["y"], utm_campaign="a", utm_content="b"),
                     codes=[], clicks=[], links=[]).reason == UNATTRIBUTED
