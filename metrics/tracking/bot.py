"""Who is clicking, pure (no Django): the bot verdict and device class from request headers.

A request is a person's click only if nothing says otherwise, in this order:

1. a preview/prefetch header (``Sec-Purpose``, ``Purpose``, ``X-Purpose``, ``X-Moz`` naming a
   prefetch, prerender or preview) — a speculative load, not a person following the link yet;
2. an in-app browser (Instagram, Facebook, TikTok, Snapchat, LinkedIn, Pinterest) is a person,
   whatever else its user agent carries (a Facebook carrier field such as ``OrangeBotswana``);
3. an empty user agent, or one that does not start like a browser's (``Mozilla/<version>`` or
   ``Opera/<version>`` followed by more): HTTP libraries, feed readers and most link-preview fetchers;
4. a contact link or address in the user agent (``+https://…``, ``www.``, ``…@…``): the crawler
   convention, never sent by a browser;
5. our own named rules (``_NAMED``): link-preview fetchers, browser automation, uptime monitors,
   security scanners, feed readers and SEO tools, several of which pose as a browser;
6. ``crawlerdetect``'s lists (a maintained port of the PHP CrawlerDetect lists), except where
   all they found is "bot" inside a longer word ("Abbott", "Botswana", "robotics").

The user agent part is LRU-cached: real traffic repeats a few user agents. Measured on the
samples in ``tests/fixtures/third-party/useragents/`` by ``tests/metrics/tracking/
test_bot_samples.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect.providers.crawlers import data as crawler_patterns
from crawlerdetect.providers.exclusions import data as exclusion_patterns

# Headers a browser or app sets on a speculative load, as HTTP names (first present is read).
PURPOSE_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
_PREVIEW = re.compile(r"prefetch|prerender|preview", re.IGNORECASE)

# In-app browsers: a person reading Instagram, Facebook/Messenger, TikTok, Snapchat, LinkedIn or
# Pinterest. Each app's link-preview fetcher has another name (facebookexternalhit,
# SnapURLPreview, LinkedInBot, Pinterestbot, TikTokSpider), caught below.
_IN_APP = re.compile(
    r"\bInstagram \d"                               # "Instagram 330.0.0.0.0 (iPhone15,2; …)"
    r"|\[FB(?:AN|_IAB)/|\bFBAV/|\bMetaIAB\b"         # "[FBAN/FBIOS;…", "[FB_IAB/FB4A;FBAV/…"
    r"|\bmusical_ly|\bBytedanceWebview/|\btrill_\d"  # TikTok (global app, Asian app)
    r"|\bSnapchat/\d"                               # "Snapchat/10.38.0.25 (iPhone8,1; …)"
    r"|\bLinkedInApp\b"
    r"|\[Pinterest/|\bPinterest for (?:Android|iOS)\b",
)
_BROWSER_SHAPE = re.compile(r"(?:Mozilla|Opera)/\d[\d.]*(?![\d.])\s*\S")
_CONTACT = re.compile(r"https?://|\bwww\.|mailto:|\[at\]|[\w.+-]@[\w-]+\.[a-z]", re.IGNORECASE)

# Our own rules: what crawlerdetect (0.4) misses or what poses as a browser. "bot" only as a
# word of its own; tokens end on a word boundary or a "/" where a longer word could follow.
_NAMED = re.compile(
    r"\bbot\b"
    # link-preview fetchers and unfurlers
    r"|facebookexternalhit|\bFacebot\b|\bmeta-(?:externalagent|externalhit|externalads"
    r"|externalfetcher|webindexer)\b|SnapURLPreview|Snap URL Preview|^Viber\b|^Tumblr/"
    r"|Bluesky Cardyb|^bluesky\b|^Notion/|Slackbot|Slack-ImgProxy|Discordbot|Twitterbot"
    r"|LinkedInBot|^WhatsApp\b|TelegramBot|Iframely|Embedly|opengraph\.io|SkypeUriPreview"
    r"|LinkUnfurler|^(?:Friendica|Lemmy|Mastodon|Pleroma|Akkoma|Misskey)\b"
    # browser automation and HTTP clients
    r"|HeadlessChrome|Playwright|Puppeteer|PhantomJS|Selenium|\bManus-User\b|python-requests"
    r"|python-urllib|\bcurl/|\bwget\b|Go-http-client|okhttp|\baxios/|node-fetch|Scrapy"
    # uptime monitors and health probes
    r"|UptimeRobot|\buptime|\bPingdom|StatusCake|Site24x7|Datadog|newrelic|nagios|zabbix"
    r"|icinga|check_http|prometheus|blackbox[-_ ]exporter|kube-probe|ELB-HealthChecker"
    r"|GoogleHC|Route53-Health-Check|freshping|hetrixtools|monitis|checkly|cron-job\.org"
    # security and compliance scanners
    r"|\bnmap\b|Nikto|sqlmap|Nuclei|zgrab|masscan|SecurityHeaders|CookieHubScan|\bxmco\b"
    # feed readers
    r"|Feedly|Inoreader|NewsBlur|Feedbin|FreshRSS|\bFeed\b"
    # SEO tools
    r"|Ahrefs|Semrush|MJ12bot|DotBot|Screaming Frog|rogerbot|Sitebulb|MarketGoo|PWABuilder",
    re.IGNORECASE,
)

# crawlerdetect's lists, compiled once as the library does (CrawlerDetect.is_crawler stops at
# the first match and keeps it on the shared instance; we need every match, thread-safely).
_CRAWLERDETECT = re.compile("|".join(f"(?:{p})" for p in crawler_patterns), re.IGNORECASE)
_CRAWLERDETECT_SAFE = re.compile("|".join(f"(?:{p})" for p in exclusion_patterns), re.IGNORECASE)
_WORD_REST = re.compile(r"[a-z]+", re.IGNORECASE)  # the letters after a match, if any

# Android tablets are the Android user agents without "Mobile" anywhere (apps append "Android"
# after "Mobile Safari": Instagram, Pinterest).
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|^(?!.*mobile).*android", re.IGNORECASE)
_MOBILE = re.compile(
    r"mobile|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone|webos",
    re.IGNORECASE,
)


class Device:
    DESKTOP = "desktop"
    MOBILE = "mobile"
    TABLET = "tablet"
    BOT = "bot"


@dataclass(frozen=True)
class Agent:
    is_bot: bool
    device: str


def purpose_of(headers: Mapping[str, str]) -> str:
    """The first present of the preview/prefetch headers (``request.headers`` works)."""
    for name in PURPOSE_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return ""


def is_preview(purpose: str) -> bool:
    """Whether a purpose header value names a speculative load (prefetch, prerender, preview)."""
    return bool(purpose) and _PREVIEW.search(purpose) is not None


def is_prefetch(headers: Mapping[str, str]) -> bool:
    """A speculative load (``Sec-Purpose: prefetch``, ``Purpose: prefetch``, ``X-Purpose:
    preview``, Firefox's ``X-Moz: prefetch``): not a person following the link yet."""
    return is_preview(purpose_of(headers))


def is_bot(user_agent: str | None, purpose: str = "") -> bool:
    """The verdict: not a person's click. ``purpose`` is ``purpose_of(request headers)``."""
    return is_preview(purpose) or _agent_is_bot((user_agent or "").strip())


@lru_cache(maxsize=4096)
def classify(user_agent: str | None) -> Agent:
    """Bot flag and device class of a user agent (cached)."""
    ua = (user_agent or "").strip()
    if _agent_is_bot(ua):
        return Agent(is_bot=True, device=Device.BOT)
    if _TABLET.search(ua):
        return Agent(is_bot=False, device=Device.TABLET)
    if _MOBILE.search(ua):
        return Agent(is_bot=False, device=Device.MOBILE)
    return Agent(is_bot=False, device=Device.DESKTOP)


@lru_cache(maxsize=4096)
def _agent_is_bot(ua: str) -> bool:
    if not ua:
        return True
    if _IN_APP.search(ua) and ua.startswith("Mozilla/"):
        return False
    if not _BROWSER_SHAPE.match(ua) or _CONTACT.search(ua) or _NAMED.search(ua):
        return True
    return _crawlerdetect_says_bot(ua)


def _crawlerdetect_says_bot(ua: str) -> bool:
    agent = _CRAWLERDETECT_SAFE.sub("", ua)
    for match in _CRAWLERDETECT.finditer(agent):
        rest = _WORD_REST.match(agent, match.end())
        if match.group().lower().endswith("bot") and rest and rest.group().lower() != "s":
            continue  # "bot" inside a longer word: "OrangeBotswana", "Abbott", "robotics"
        return True
    return False
