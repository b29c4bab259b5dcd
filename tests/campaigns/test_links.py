"""campaigns/links.py: destination building, merge rules, landing parsing, URL safety."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from campaigns.links import (
    LinkFields,
    build_tracking_url,
    destination_error,
    destination_for,
    merge_query,
    parse_landing,
    validate_destination,
)


def test_it_merges_utm_parameters_and_the_click_id_into_the_destination() -> None:
    url = build_tracking_url(
        "https://brand.example/shop", utm_source="instagram", utm_medium="influencer",
        utm_campaign="fall-glow", utm_content="mia", click_id="c_abc",
    )
    assert url == (
        "https://brand.example/shop?utm_source=instagram&utm_medium=influencer"
        "&utm_campaign=fall-glow&utm_content=mia&fb_click=c_abc"
    )


def test_it_keeps_the_destinations_own_parameters_in_order_and_verbatim() -> None:
    url = build_tracking_url(
        "https://brand.example/p?color=red&q=a+b%2Fc&empty=", utm_source="ig", click_id="c1"
    )
    assert url == "https://brand.example/p?color=red&q=a+b%2Fc&empty=&utm_source=ig&fb_click=c1"


def test_a_parameter_the_link_sets_replaces_the_destinations_instead_of_duplicating() -> None:
    url = build_tracking_url(
        "https://brand.example/?utm_source=old&fb_click=stale&x=1", utm_source="new",
        click_id="fresh",
    )
    pairs = parse_qsl(urlsplit(url).query)
    assert pairs == [("x", "1"), ("utm_source", "new"), ("fb_click", "fresh")]


def test_blank_utm_fields_are_not_added_and_the_fragment_stays_last() -> None:
    url = destination_for(
        LinkFields("https://brand.example/a#reviews", utm_campaign="c", utm_content=""), "c9"
    )
    assert url == "https://brand.example/a?utm_campaign=c&fb_click=c9#reviews"


def test_without_a_click_id_no_fb_click_is_added() -> None:
    assert destination_for({"destination_url": "https://b.example/"}, None) == "https://b.example/"


def test_values_are_percent_encoded() -> None:
    url = build_tracking_url("https://b.example/", utm_campaign="fall glow&x=1")
    assert url == "https://b.example/?utm_campaign=fall%20glow%26x%3D1"


def test_it_accepts_objects_with_link_attributes() -> None:
    class Link:
        destination_url = "https://b.example/x"
        utm_source = "tiktok"
        utm_medium = utm_campaign = utm_content = utm_term = ""

    assert destination_for(Link(), "c") == "https://b.example/x?utm_source=tiktok&fb_click=c"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "JaVaScRiPt:alert(1)",
        "//evil.example/",
        "/relative/path",
        "https:///nohost",
        "https://brand.example@evil.example/",
        "https://user:pw@brand.example/",
        "https://brand.example\\@evil.example/",
        "https://brand.example/\nLocation: https://evil.example",
        "https://brand.example/ path",
        "java\tscript:alert(1)",
        "ftp://brand.example/file",
        "https://exa mple.com/",
        "https://bad_host!.example/",
        "",
        "https://b.example/" + "a" * 2000,
    ],
)
def test_it_rejects_unsafe_destinations(url: str) -> None:
    assert destination_error(url) is not None
    with pytest.raises(ValueError):
        validate_destination(url)
    with pytest.raises(ValueError):
        build_tracking_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://brand.example/",
        "http://brand.example:8080/a?b=c#d",
        "https://sub.brand.example/p/%2F",
        "https://127.0.0.1/",
        "https://[::1]/x",
        "https://café.example/",
    ],
)
def test_it_accepts_http_and_https_destinations(url: str) -> None:
    assert destination_error(url) is None
    assert validate_destination(url) == url


def test_it_parses_utm_and_click_id_of_absolute_and_relative_landing_urls() -> None:
    landing = parse_landing(
        "/products/serum?utm_source=instagram&utm_campaign=fall-glow&utm_content=mia"
        "&fb_click=c_8f2a1d"
    )
    assert (landing.utm_campaign, landing.utm_content, landing.fb_click) == (
        "fall-glow", "mia", "c_8f2a1d",
    )
    absolute = parse_landing("https://b.example/?utm_campaign=A%20B&utm_campaign=second")
    assert absolute.utm_campaign == "A B"
    assert absolute.fb_click == ""


@pytest.mark.parametrize("url", [None, "", "not a url", "https://[broken/?fb_click=x"])
def test_unparsable_or_empty_landing_urls_give_empty_values(url: str | None) -> None:
    landing = parse_landing(url)
    assert landing.utm_campaign == "" and landing.utm_content == ""


def test_merge_query_without_params_returns_the_url_unchanged() -> None:
    assert merge_query("https://b.example/?a=1", {}) == "https://b.example/?a=1"


def test_utm_parameters_after_the_hash_are_read() -> None:
    landing = parse_landing("https://b.example/page#utm_campaign=Fall%20Glow&utm_content=mia")
    assert (landing.utm_campaign, landing.utm_content) == ("Fall Glow", "mia")
    hash_route = parse_landing("/#/products/serum?utm_campaign=fall-glow&fb_click=c_1")
    assert (hash_route.utm_campaign, hash_route.fb_click) == ("fall-glow", "c_1")


def test_the_query_wins_over_the_fragment_parameter_by_parameter() -> None:
    landing = parse_landing(
        "https://b.example/?utm_campaign=from-query#utm_campaign=from-hash&utm_content=mia"
    )
    assert (landing.utm_campaign, landing.utm_content) == ("from-query", "mia")


def test_a_plain_anchor_after_the_query_changes_nothing() -> None:
    landing = parse_landing("https://b.example/?utm_campaign=a&utm_content=b#section-2")
    assert (landing.utm_campaign, landing.utm_content) == ("a", "b")


def test_a_blank_value_does_not_hide_a_later_one() -> None:
    landing = parse_landing("https://b.example/?utm_campaign=%20&utm_campaign=x#utm_content=")
    assert (landing.utm_campaign, landing.utm_content) == ("x", "")


# Links as found in the wild (tests/fixtures/third-party/SOURCES.md), unchanged copies.
WILD = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "third-party" / "utm" / "wild-links.json")
    .read_text()
)
WILD_BY_ID = {record["id"]: record for record in WILD}


@pytest.mark.parametrize("record", WILD, ids=[r["id"] for r in WILD])
def test_every_wild_link_parses_without_error(record: dict) -> None:
    for url in (record["as_found"], record["landing_url"], record.get("referrer")):
        landing = parse_landing(url)
        assert len(landing.utm_campaign) <= 100 and len(landing.utm_content) <= 100
        assert len(landing.fb_click) <= 32


@pytest.mark.parametrize(
    ("record_id", "campaign", "content"),
    [
        ("codacy-badge", "Badge_Grade", "r37r0m0d3l/vicis"),
        ("facebook-post-link", "organic", "post-url"),
        (
            "encoded-ad-link",
            "p:B | s:BC | ct:NBPS | ct2:xx | g:xx | c1:Bike | c2:Trainers+Accessories | "
            "b:Wahoo Fitness | mt:xx",
            "blah blah \u2014 General Terms",
        ),
        ("plain-click-ids", "", ""),
        ("valueless-click-ids", "", ""),
        ("utm-in-fragment", "placements", ""),
        ("utm-then-anchor", "wrong-user-role", ""),
        ("capitalized-no-content", "AdvancedAdsPartner1", ""),
    ],
)
def test_wild_links_give_their_utm_values(record_id: str, campaign: str, content: str) -> None:
    landing = parse_landing(WILD_BY_ID[record_id]["landing_url"])
    assert (landing.utm_campaign, landing.utm_content, landing.fb_click) == (
        campaign, content, "",
    )


def test_a_link_shim_referrer_is_not_unwrapped() -> None:
    # Facebook's l.php carries the landing URL in ``u``: its UTM values are the landing's, not
    # the referrer's, and only the landing URL is read for attribution.
    landing = parse_landing(WILD_BY_ID["facebook-post-link"]["referrer"])
    assert (landing.utm_campaign, landing.utm_content) == ("", "")
