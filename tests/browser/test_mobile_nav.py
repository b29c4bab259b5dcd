"""Polish a paying team expects, in a real browser: at 390 px the top navigation is a menu
that reaches every section (no sideways scrolling); at 1,366 px the partnership board's
buttons stay on one line and fees carry their currency; the report's comment samples offer a
label correction; the new API key has a copy button. Screenshots go to
``$FUNNELBOARD_SCREENSHOTS`` (as ``polish-*.png``) when it is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_pages_browser import CHROMIUM, Console, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

SECTIONS = {
    "Campaigns": "/", "Creators": "/influencers/", "Data": "/data/", "Brands": "/brands/",
    "Connections": "/connections/", "Payouts": "/payouts/", "Organization": "/accounts/members/",
}


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("FUNNELBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"polish-{name}.png"), full_page=full_page)


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_phone_menu_reaches_every_section(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    assert page.locator(".nav-toggle-label").is_visible()
    assert not page.locator(".mainnav").is_visible()  # folded away until asked for
    _shot(page, "nav-phone-closed", full_page=False)
    page.click(".nav-toggle-label")
    nav = page.locator(".mainnav")
    assert nav.is_visible()
    texts = [t.strip() for t in nav.locator("a").all_inner_texts()]
    assert texts[: len(SECTIONS)] == list(SECTIONS)
    for link in nav.locator("a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator(".nav-panel button >> text=Sign out").is_visible()
    _shot(page, "nav-phone-open", full_page=False)
    assert _overflow(page) <= 1

    for label, path in SECTIONS.items():
        page.goto(f"{live_server.url}/")
        page.click(".nav-toggle-label")
        page.click(f".mainnav a >> text={label}")
        page.wait_for_url(f"{live_server.url}{path}")
        assert page.locator("h1").first.is_visible()
        assert _overflow(page) <= 1, path
    assert console.errors == []
    context.close()


def test_the_wide_screen_shows_the_navigation_inline(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, live_server, demo["user"].username)
    assert not page.locator(".nav-toggle-label").is_visible()
    assert page.locator(".mainnav a >> text=Creators").is_visible()


def test_the_board_at_1366_keeps_each_cards_buttons_on_one_line(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    from tests import factories as f

    campaign = demo["campaign"]
    organization = campaign.brand.organization
    for status, name in (("prospect", "Zoe Park"), ("contracted", "Ana Lima"),
                         ("content_submitted", "Lena Fischer"), ("paid", "Sam Obi"),
                         ("declined", "Ravi Nair")):
        f.PartnershipFactory(
            campaign=campaign, status=status,
            influencer=f.InfluencerFactory(organization=organization, name=name),
        )
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/partnerships/")
    _shot(page, "board-1366", full_page=False)
    cards = page.locator(".board-card")
    assert cards.count() == 8
    measured = page.evaluate(
        """() => [...document.querySelectorAll('.board-card')].map(card => {
            const buttons = [...card.querySelectorAll('.moves button')];
            const boxes = buttons.map(b => b.getBoundingClientRect());
            const lineHeight = parseFloat(getComputedStyle(buttons[0]).lineHeight) || 20;
            return {
                name: card.querySelector('h3').innerText,
                tops: boxes.map(b => Math.round(b.top)),
                tallest: Math.max(...boxes.map(b => b.height)),
                lineHeight,
                clipped: buttons.filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.innerText + ' ' + b.scrollWidth + '>' + b.clientWidth + ' in ' + card.querySelector('.moves').clientWidth + ' widths ' + boxes.map(x => Math.round(x.width)).join(',')),
                cardRight: card.getBoundingClientRect().right,
                right: Math.max(...boxes.map(b => b.right)),
                meta: (card.querySelector('.meta') || {}).innerText || '',
            };
        })"""
    )
    for card in measured:
        assert len(set(card["tops"])) == 1, card  # one row: no button below another
        assert card["tallest"] < 2 * card["lineHeight"] + 12, card  # no text wraps inside
        assert card["clipped"] == [], card
        assert card["right"] <= card["cardRight"], card
        assert "USD" in card["meta"], card
    assert _overflow(page) <= 1
    assert console.errors == []


def test_the_report_samples_offer_a_label_correction_and_keys_a_copy_button(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    page.goto(f"{live_server.url}/campaigns/{demo['campaign'].pk}/")
    if page.locator("#comment-samples").count():
        page.locator("#comment-samples select").first.select_option("neutral")
        page.locator("#comment-samples button >> text=Correct label").first.click()
        page.wait_for_selector("#comment-samples >> text=1 corrected")
        page.locator("#comment-samples").scroll_into_view_if_needed()
        _shot(page, "comment-labels", full_page=False)
    page.goto(f"{live_server.url}/accounts/api-keys/")
    page.wait_for_load_state("networkidle")
    assert console.errors == []
