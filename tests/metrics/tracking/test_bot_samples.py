"""metrics/tracking/bot.py over third-party samples (tests/fixtures/third-party/SOURCES.md):
300 crawler user agents from monperrus/crawler-user-agents (every link-preview fetcher it lists
plus an even spread of the rest) and 200 browser and in-app browser user agents from
ua-parser/uap-core's tests.

Before the rule set of our own (crawlerdetect 0.4 and a monitor list alone), 54 of the 300
crawlers (18.0%) passed as people and the Facebook in-app browser with carrier
``OrangeBotswana`` was refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from metrics.tracking.bot import is_bot

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "third-party" / "useragents"
MAX_CRAWLERS_COUNTED = 0.02  # at most 2% of listed crawlers may pass as people


def _load(name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((SAMPLES / name).read_text())
    return records


CRAWLERS = _load("crawler-user-agents.sample.json")
BROWSERS = _load("browser-user-agents.sample.json")


def test_the_samples_are_the_published_selection() -> None:
    assert len(CRAWLERS) == 300 and len(BROWSERS) == 200
    assert sum("social-preview" in c["tags"] for c in CRAWLERS) == 80


def test_at_most_two_percent_of_listed_crawlers_are_counted_as_people() -> None:
    counted = [c for c in CRAWLERS if not is_bot(c["ua"])]
    share = len(counted) / len(CRAWLERS)
    listing = "\n".join(f"  {c['pattern']} {c['tags']}: {c['ua']}" for c in counted)
    assert share <= MAX_CRAWLERS_COUNTED, (
        f"{len(counted)} of {len(CRAWLERS)} crawlers ({share:.1%}) pass as people:\n{listing}"
    )


def test_every_link_preview_fetcher_but_metas_in_app_browser_is_a_bot() -> None:
    # The list tags Facebook's current in-app browser ("… MetaIAB Facebook") as a preview agent;
    # it is people reading Facebook (its prefetches carry X-Purpose: preview, see test_bot.py).
    previews = [c for c in CRAWLERS if "social-preview" in c["tags"]]
    counted = [c["ua"] for c in previews if not is_bot(c["ua"])]
    assert all(ua.endswith("MetaIAB Facebook") for ua in counted), counted


def test_no_listed_browser_is_refused() -> None:
    refused = [f"  {b['family']}: {b['ua']}" for b in BROWSERS if is_bot(b["ua"])]
    assert refused == [], "browsers refused as bots:\n" + "\n".join(refused)


def test_the_facebook_in_app_browser_on_orange_botswana_is_a_person() -> None:
    (ua,) = [b["ua"] for b in BROWSERS if "OrangeBotswana" in b["ua"]]
    assert "FBAN/FBIOS" in ua
    assert not is_bot(ua)


@pytest.mark.parametrize("family", ["Facebook", "Instagram", "TikTok", "Snapchat", "Pinterest"])
def test_every_sampled_in_app_browser_of_the_platforms_is_a_person(family: str) -> None:
    uas = [b["ua"] for b in BROWSERS if b["family"] == family]
    assert uas
    assert [ua for ua in uas if is_bot(ua)] == []
