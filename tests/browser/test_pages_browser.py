"""The web app in a real browser: Playwright for Python driving Debian's Chromium.

Signs in, opens a campaign computed by the KPI engine, checks the nine KPI cards and a drawn
chart, builds a link and copies it, imports a CSV with one bad row, and fails on any console
error (CSP violations included) on any page visited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")

class Console:
    """Console errors and page errors of every page the browser shows."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))


def sign_in(page: Any, live_server: Any, username: str) -> None:
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_manager_reads_the_report_builds_a_link_and_imports_data(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    assert page.locator(".campaign-card").count() == 1

    # The report: nine KPI cards and charts that Chart.js drew.
    campaign = demo["campaign"]
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert page.locator(".kpi-card").count() == 9
    page.wait_for_selector("canvas.kpi-chart[data-drawn=true]")
    drawn = page.evaluate(
        """() => {
            const canvas = document.querySelector('canvas.kpi-chart[data-series=impressions]');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
            return {painted, chart: !!(window.Chart && window.Chart.getChart(canvas))};
        }"""
    )
    assert drawn["chart"] and drawn["painted"] > 500
    # Sorting the leaderboard swaps the table in place (htmx).
    page.click("#leaderboard th a.sort >> text=ROI")
    page.wait_for_selector("#leaderboard th[aria-sort=descending] >> text=ROI")

    # The link builder: create a link, copy the short URL.
    partnership = demo["partnership"]
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/links/")
    assert page.input_value("#id_utm_campaign") == "vitamin-c"
    page.fill("#id_destination_url", "https://glow.example/serum")
    page.wait_for_selector("#preview-url >> text=utm_medium=influencer")
    page.click("button >> text=Create short link")
    page.wait_for_selector(".link-item")
    short = page.locator(".link-item input[readonly]").first.input_value()
    assert "/r/" in short
    page.locator(".link-item button[data-copy-target]").first.click()
    page.wait_for_selector(".link-item button.copied")
    assert page.evaluate("navigator.clipboard.readText()") == short

    # CSV import: one bad row is reported by number and nothing is saved.
    post = demo["post"]
    csv_text = (
        "post,captured_at,impressions,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,1000,90\n"
        f"{post.pk},2026-03-04T12:00:00Z,lots,90\n"
    )
    page.goto(f"{live_server.url}/data/import/post-metrics/")
    page.set_input_files(
        "#id_file", files=[{"name": "metrics.csv", "mimeType": "text/csv",
                            "buffer": csv_text.encode()}]
    )
    page.click("button >> text=Check the file")
    page.wait_for_selector("#error-report")
    assert "Row 3" in page.inner_text("#error-report")
    assert "nothing was saved" in page.inner_text("main")

    # Every other page opens without a console error.
    for path in ("/", "/influencers/", f"/influencers/{partnership.influencer_id}/",
                 f"/campaigns/{campaign.pk}/partnerships/", f"/campaigns/{campaign.pk}/edit/",
                 "/brands/", f"/brands/{campaign.brand_id}/", "/data/", "/influencers/calculator/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert console.errors == []
    context.close()


def test_the_report_fits_a_phone(browser: Any, live_server: Any, demo: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    console = Console(page)
    sign_in(page, live_server, demo["user"].username)
    page.goto(f"{live_server.url}/campaigns/{demo['campaign'].pk}/")
    page.wait_for_selector("canvas.kpi-chart[data-drawn=true]")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert console.errors == []
    context.close()
