"""metrics/tracking/bot.py: bot flag, device class and prefetch detection."""

from __future__ import annotations

import pytest

from metrics.tracking.bot import classify, is_bot, is_prefetch

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
INSTAGRAM_IN_APP = IPHONE + " Instagram 330.0.0.0.0 (iPhone15,2; iOS 17_0; en_US)"


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "   ",
        None,
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "TelegramBot (like TwitterBot)",
        "Discordbot/2.0",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "UptimeRobot/2.0",
        "Pingdom.com_bot_version_1.4",
        "Datadog Agent/7.50",
        "kube-probe/1.29",
        "ELB-HealthChecker/2.0",
        "curl/8.5.0",
        "python-requests/2.32",
    ],
)
def test_it_flags_crawlers_link_previews_monitors_and_empty_agents(ua: str | None) -> None:
    assert is_bot(ua)
    agent = classify(ua)
    assert agent.is_bot and agent.device == "bot"


@pytest.mark.parametrize(
    ("ua", "device"),
    [
        (DESKTOP, "desktop"),
        (IPHONE, "mobile"),
        (ANDROID_PHONE, "mobile"),
        (IPAD, "tablet"),
        (ANDROID_TABLET, "tablet"),
        (INSTAGRAM_IN_APP, "mobile"),
    ],
)
def test_people_are_not_bots_and_get_a_device_class(ua: str, device: str) -> None:
    agent = classify(ua)
    assert not agent.is_bot
    assert agent.device == device


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Purpose": "prefetch"}, True),
        ({"Sec-Purpose": "prefetch"}, True),
        ({"Sec-Purpose": "prefetch;prerender"}, True),
        ({"X-Moz": "prefetch"}, True),
        ({"X-Purpose": "preview"}, True),
        ({}, False),
        ({"Accept": "text/html"}, False),
    ],
)
def test_it_recognises_prefetch_requests(headers: dict[str, str], expected: bool) -> None:
    assert is_prefetch(headers) is expected
