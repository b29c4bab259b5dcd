"""A Persian-speaking member in a real browser (Playwright, Debian's Chromium): the dashboard,
a report, a creator's page, the link builder and an import read right to left, in Persian,
with Jalali dates, fit 1,366 and 390 pixels without sideways scrolling, and leave no English
in the visible text besides names, codes and units."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.utils import translation

from accounts.l10n import JALALI_MONTHS
from accounts.models import User
from metrics.registry import KPI_GROUPS, translated
from tests.browser.conftest import CHROMIUM
from tests.browser.test_pages_browser import Console, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

# Words that stay as they are in Persian text: the product's and platforms' names, codes and
# units, and the sample data's own names.
KEPT = {
    "funnelboard", "instagram", "tiktok", "youtube", "facebook", "telegram", "twitter", "utm",
    "csv", "xlsx", "excel", "pdf", "emv", "roi", "roas", "ctr", "cpa", "cpc", "cpe", "cpl",
    "cpm", "kpi", "kpis", "api", "url", "urls", "tofu", "mofu", "bofu", "usd", "eur", "irr",
    "utc", "qr", "svg", "png", "https", "http", "www", "vader", "shopify", "glow", "vitamin",
    "launch", "priya", "raman", "maya", "chen", "noah", "williams", "demo", "browser", "example",
    "influencer", "serum", "creator0", "creator1", "creator2", "love", "this", "ordering", "now",
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "captured_at", "post", "likes",
    "comments", "shares", "saves", "reach", "impressions", "views", "mentions", "link_clicks",
    "linkedin", "pinterest", "twitch", "snapchat", "manager", "creator", "offset", "utm_term",
    "brand", "shop",
}


def _persian_titles() -> list[str]:
    with translation.override("fa"):
        return [translated(group.title) for group in KPI_GROUPS]


def _english_left(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z_]{3,}", text)
    return sorted({w for w in words if w.lower() not in KEPT and not w.startswith("fb_")})


@pytest.mark.parametrize("width", [1366, 390])
def test_a_persian_member_walks_the_product(
    browser: Any, live_server: Any, demo: dict[str, Any], width: int
) -> None:
    user = demo["user"]
    User.objects.filter(pk=user.pk).update(language="fa")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    console = Console(page)
    sign_in(page, live_server, user.username)
    campaign, partnership = demo["campaign"], demo["partnership"]
    pages = {
        "dashboard": "/",
        "report": f"/campaigns/{campaign.pk}/",
        "creator": f"/influencers/{partnership.influencer_id}/",
        "link builder": f"/partnerships/{partnership.pk}/links/",
        "import": "/data/import/post-metrics/",
    }
    problems: dict[str, Any] = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        html = page.locator("html")
        assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "fa", name
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            problems[f"{name}: overflows by"] = overflow
        text = page.inner_text("body")
        left = _english_left(text)
        if left:
            problems[f"{name}: English left"] = left
        if name == "report":
            missing = [t for t in _persian_titles() if t not in text]
            if missing:
                problems["report: Persian KPI titles missing"] = missing
            if not any(month in text for month in JALALI_MONTHS):
                problems["report: no Jalali date"] = True
        page.screenshot(path=f"/tmp/fa-{width}-{name.replace(' ', '-')}.png", full_page=True)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    assert not console.errors, console.errors
    context.close()
