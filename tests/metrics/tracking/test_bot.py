"""metrics/tracking/bot.py: the bot verdict, device class and prefetch detection. The verdict
over third-party samples of crawlers and browsers: test_bot_samples.py."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns import link_cache
from metrics.models import Click
from metrics.tracking.bot import classify, is_bot, is_prefetch, purpose_of
from tests import factories as f
from tests.config.test_wsgi import call  # the /r/ request through config/wsgi.py's lean path

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


# --- Preview and prefetch headers ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "purpose"),
    [
        ({"Sec-Purpose": "prefetch;prerender", "Purpose": "other"}, "prefetch;prerender"),
        ({"Purpose": "prefetch"}, "prefetch"),
        ({"X-Purpose": "preview"}, "preview"),
        ({"X-Moz": "prefetch"}, "prefetch"),
        ({"Sec-Purpose": "", "X-Purpose": "preview"}, "preview"),
        ({}, ""),
    ],
)
def test_the_purpose_is_the_first_present_preview_header(
    headers: dict[str, str], purpose: str
) -> None:
    assert purpose_of(headers) == purpose


@pytest.mark.parametrize("purpose", ["prefetch", "prefetch;prerender", "preview", "PREFETCH"])
def test_a_preview_or_prefetch_is_not_a_person_whatever_the_browser(purpose: str) -> None:
    assert is_bot(IPHONE, purpose)
    assert is_bot(INSTAGRAM_IN_APP, purpose)


def test_a_browser_without_a_purpose_header_is_a_person() -> None:
    assert not is_bot(IPHONE)
    assert not is_bot(IPHONE, "")


# --- In-app browsers are people; their apps' preview fetchers are not ------------------------------
ANDROID_WEBVIEW = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36"
)
IPHONE_WEBVIEW = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148"
)
IN_APP_BROWSERS = {
    "instagram-ios": INSTAGRAM_IN_APP,
    "instagram-android": ANDROID_WEBVIEW + " Instagram 343.0.0.33.101 Android (34/14; 420dpi; "
    "1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 627400398)",
    "facebook-ios": IPHONE_WEBVIEW + " [FBAN/FBIOS;FBAV/476.0.0.49.108;FBBV/617541402;"
    "FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/OrangeBotswana;FBID/phone;"
    "FBLC/en_GB;FBOP/5;FBRV/619238431]",
    "facebook-android": ANDROID_WEBVIEW + " [FB_IAB/FB4A;FBAV/476.0.0.49.74;]",
    "facebook-metaiab": IPHONE_WEBVIEW + " Safari/604.1 MetaIAB Facebook",
    "messenger-android": ANDROID_WEBVIEW + " [FB_IAB/Orca-Android;FBAV/331.0.0.15.119;]",
    "tiktok-ios": IPHONE_WEBVIEW + " musical_ly_35.6.0 JsSdk/2.0 NetType/WIFI Channel/App Store "
    "ByteLocale/en Region/US",
    "tiktok-android": ANDROID_WEBVIEW + " musical_ly_2023506030 AppName/musical_ly "
    "BytedanceWebview/d8a21c6",
    "snapchat": IPHONE_WEBVIEW + " Snapchat/13.3.0.43 (iPhone15,2; iOS 17.5; gzip)",
    "linkedin": IPHONE_WEBVIEW + " [LinkedInApp]/9.29.8960",
    "pinterest-ios": IPHONE_WEBVIEW + " [Pinterest/iOS]",
    "pinterest-android": ANDROID_WEBVIEW + " [Pinterest/Android]",
}


@pytest.mark.parametrize("ua", IN_APP_BROWSERS.values(), ids=IN_APP_BROWSERS.keys())
def test_in_app_browsers_are_people(ua: str) -> None:
    assert not is_bot(ua)
    assert classify(ua).device == "mobile"


@pytest.mark.parametrize(
    "ua",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "Mozilla/5.0 (compatible; SnapURLPreview/1.0; +https://www.snapchat.com)",
        "Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
        "Safari/537.36 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)",
    ],
)
def test_the_same_apps_link_preview_fetchers_are_bots(ua: str) -> None:
    assert is_bot(ua)


# --- Our own rules -------------------------------------------------------------------------------
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    "ua",
    [
        # link-preview fetchers
        "Viber",
        "Tumblr/14.0.835.186",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "Notion/1.0 (https://notion.so; team@makenotion.com)",
        "Slack-ImgProxy (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "WhatsApp/2.23.20.0 A",
        "Iframely/1.3.1 (+https://iframely.com/docs/about)",
        "Mozilla/5.0 (compatible; OpenGraph.io/1.1; +https://opengraph.io/ AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
        "Mozilla/5.0 (compatible; Meta-ExternalHit/1.1; +http://www.facebook.com/externalhit)",
        # automation posing as a browser
        CHROME.replace("Chrome/", "HeadlessChrome/"),
        CHROME + " Playwright/1.40.0",
        CHROME + " Puppeteer",
        CHROME + "; Manus-User/1.0",
        "Go-http-client/2.0",
        "Wget/1.21.4",
        # monitors and scanners
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "Mozilla/5.0 (compatible; StatusCake)",
        "Mozilla/5.0 (compatible; Datadog/Synthetics)",
        "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
        CHROME + " SecurityHeaders",
        # feed readers and SEO tools
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)",
        "Mozilla/5.0 (compatible; Inoreader)",
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        "Screaming Frog SEO Spider/19.0",
        # not shaped like a browser, or a bare token
        "Mozilla/5.0",
        "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240805.005)",
    ],
)
def test_our_rules_flag_previews_automation_monitors_scanners_feeds_and_seo(ua: str) -> None:
    assert is_bot(ua)


@pytest.mark.parametrize(
    "ua",
    [
        CHROME + " Abbott",
        CHROME.replace("Windows NT 10.0", "Linux; Botswana"),
        CHROME + " robotics-lab/1.0",
        "Mozilla/5.0 (Linux; U; Android 4.2.1; en-gb; CUBOT ONE Build/JOP40D) AppleWebKit/534.30 "
        "(KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
    ],
)
def test_bot_inside_another_word_is_not_a_bot(ua: str) -> None:
    assert not is_bot(ua)


def test_bot_as_a_word_of_its_own_is_a_bot() -> None:
    assert is_bot(CHROME + " (bot)")
    assert is_bot(CHROME + " robots/1.0")


def test_the_user_agent_verdict_is_cached_and_bounded() -> None:
    classify.cache_clear()
    classify(CHROME)
    classify(CHROME)
    info = classify.cache_info()
    assert info.hits == 1 and info.maxsize is not None


# --- The /r/ redirect passes the purpose headers ------------------------------------------------
@pytest.fixture
def link(db, settings):
    settings.REDIS_URL = ""  # clicks go straight to the database
    link_cache.clear_local_cache()
    return f.TrackingLinkFactory(destination_url="https://brand.example/shop", slug="mia-fall")


@pytest.mark.parametrize(
    "header",
    [{"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_PURPOSE": "prefetch"},
     {"HTTP_X_PURPOSE": "preview"}, {"HTTP_X_MOZ": "prefetch"}],
)
def test_a_prefetch_of_a_link_gets_its_302_but_no_counted_click(
    link, header: dict[str, str]
) -> None:
    response = Client().get("/r/mia-fall", HTTP_USER_AGENT=IN_APP_BROWSERS["facebook-metaiab"],
                            **header)
    assert response.status_code == 302
    assert response["Location"].startswith("https://brand.example/shop")
    assert "fb_click" not in response["Location"]
    assert not Click.objects.filter(is_bot=False).exists()


@pytest.mark.parametrize("header", [{"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_X_PURPOSE": "preview"}])
def test_the_lean_wsgi_path_does_not_count_a_prefetch_either(link, header: dict[str, str]) -> None:
    status, headers, _ = call("/r/mia-fall", HTTP_USER_AGENT=CHROME, **header)
    assert status == 302
    assert "fb_click" not in headers["Location"]
    assert not Click.objects.exists()
    _, headers, _ = call("/r/mia-fall", HTTP_USER_AGENT=CHROME)  # the click that follows
    assert "fb_click=" in headers["Location"]
    assert Click.objects.filter(is_bot=False).count() == 1


def test_the_same_in_app_browser_without_a_purpose_header_is_a_counted_click(link) -> None:
    response = Client().get("/r/mia-fall", HTTP_USER_AGENT=IN_APP_BROWSERS["facebook-metaiab"])
    assert response.status_code == 302
    assert "fb_click=" in response["Location"]
    assert Click.objects.get().is_bot is False


def test_a_terse_browser_agent_is_a_person_but_a_bare_mozilla_is_not():
    # Integrations and simple clients send short browser strings; only a bare "Mozilla/5.0"
    # (nothing after the version) is the HTTP-library disguise.
    assert not is_bot("Mozilla/5.0 Chrome/131")
    assert is_bot("Mozilla/5.0")
