"""Adding a post in a real browser: paste its URL on the partnership's page, land on its
metrics form with the post chosen, enter its totals, and see the campaign's report move.
Screenshots of the new pages are written to ``$FUNNELBOARD_SCREENSHOTS`` when it is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_pages_browser import CHROMIUM, Console, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

REEL = "https://www.instagram.com/reel/C9abcDEF_-1/?igsh=share"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("FUNNELBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"posts-{name}.png"), full_page=True)


def _impressions(page: Any) -> str:
    return page.locator('.kpi-card[data-kpi="awareness"] .kpi-value').inner_text().strip()


def test_a_manager_adds_a_post_by_url_enters_its_metrics_and_the_report_moves(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    from campaigns.models import Post

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    campaign, partnership = demo["campaign"], demo["partnership"]
    organization = campaign.brand.organization
    organization.time_zone = "Europe/Paris"  # times are typed and shown in the org's zone
    organization.save()
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    before = _impressions(page)

    # The partnership's page → "Add a post" → paste the URL.
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Add a post").click()
    page.wait_for_url(f"**/partnerships/{partnership.pk}/posts/new/")
    page.fill("#id_url", REEL)
    page.fill("#id_caption", "Morning routine with the Vitamin C serum")
    posted = dt.datetime.now(organization.tzinfo) - dt.timedelta(days=1)
    page.fill("#id_published_at", posted.strftime("%Y-%m-%dT%H:%M"))
    assert "Europe/Paris" in page.locator("#id_published_at_helptext").inner_text()
    _shot(page, "add")
    page.get_by_role("button", name="Add post and enter metrics").click()

    # Its metrics form, the new post already chosen.
    page.wait_for_url("**/data/post-metrics/new/?post=*")
    post = Post.objects.get(external_id="C9abcDEF_-1")
    assert (post.platform, post.post_type, post.partnership_id) == ("instagram", "reel", partnership.pk)
    assert abs(post.published_at - posted) < dt.timedelta(minutes=1)
    assert page.locator("#id_post").input_value() == str(post.pk)
    assert page.locator("#id_captured_at").input_value()  # now, prefilled
    page.fill("#id_impressions", "250000")
    page.fill("#id_likes", "9000")
    _shot(page, "metrics")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".messages, [role=status], .alert", timeout=10_000)

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    after = _impressions(page)
    assert after != before, (before, after)

    # The bulk page: a preview of each line.
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/posts/bulk/")
    page.fill("#id_urls", "\n".join([
        REEL, "https://youtu.be/dQw4w9WgXcQ", "https://instagram.com.evil.io/p/CxYz123AbC/",
        "https://www.tiktok.com/@priya/video/7301234567890123456",
    ]))
    page.get_by_role("button", name="Check the links").click()
    page.wait_for_selector("#bulk-preview")
    assert page.locator("#bulk-preview tbody tr").count() == 4
    _shot(page, "bulk-preview")
    page.get_by_role("button", name="Add 2 posts").click()
    page.wait_for_url(f"**/partnerships/{partnership.pk}/posts/new/")
    assert Post.objects.filter(partnership=partnership).count() == 4
    _shot(page, "list")

    # A link that is no Instagram, TikTok or YouTube post: every error at once, by field.
    page.fill("#id_url", "https://www.facebook.com/priya/posts/pfbid02")
    page.get_by_role("button", name="Add post and enter metrics").click()
    summary = page.locator("#form-errors")
    assert summary.locator("li").count() == 2
    assert "Choose the platform" in summary.inner_text()
    _shot(page, "errors")

    # The creator's page offers "Add a post" with her partnerships.
    page.goto(f"{live_server.url}/influencers/{partnership.influencer_id}/")
    page.get_by_role("link", name="Add a post").click()
    page.wait_for_url(f"**/influencers/{partnership.influencer_id}/posts/new/")
    assert "Vitamin C launch" in page.locator("#id_partnership").inner_text()
    _shot(page, "creator")
    # A refused form answers 400, which Chromium logs; nothing else may.
    assert [e for e in console.errors if "status of 400" not in e] == []
