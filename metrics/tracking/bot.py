"""Who is clicking, pure (no Django): bot flag and device class from the request headers.

Bots come from ``crawlerdetect`` (a maintained port of the PHP CrawlerDetect lists: search
crawlers, link-preview fetchers such as facebookexternalhit, Slackbot, Twitterbot, WhatsApp,
and HTTP libraries), plus the monitoring agents it misses. An empty user agent is a bot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect

# Uptime checkers and health probes that crawlerdetect does not list (checked against 0.4).
_MONITORS = re.compile(
    r"datadog|newrelic|nagios|zabbix|icinga|check_http|prometheus|blackbox[-_ ]exporter|"
    r"kube-probe|elb-healthchecker|googlehc|route53-health-check|uptime|statuscake|pingdom|"
    r"site24x7|freshping|hetrixtools|monitis|checkly|cron-job\.org|headlesschrome|phantomjs",
    re.IGNORECASE,
)
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
_MOBILE = re.compile(
    r"mobile|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone|webos",
    re.IGNORECASE,
)

_detector = CrawlerDetect()


class Device:
    DESKTOP = "desktop"
    MOBILE = "mobile"
    TABLET = "tablet"
    BOT = "bot"


@dataclass(frozen=True)
class Agent:
    is_bot: bool
    device: str


@lru_cache(maxsize=4096)
def classify(user_agent: str | None) -> Agent:
    """Bot flag and device class of a user agent (cached: real traffic repeats a few UAs)."""
    ua = (user_agent or "").strip()
    if not ua or is_bot(ua):
        return Agent(is_bot=True, device=Device.BOT)
    if _TABLET.search(ua):
        return Agent(is_bot=False, device=Device.TABLET)
    if _MOBILE.search(ua):
        return Agent(is_bot=False, device=Device.MOBILE)
    return Agent(is_bot=False, device=Device.DESKTOP)


def is_bot(user_agent: str | None) -> bool:
    ua = (user_agent or "").strip()
    if not ua:
        return True
    return bool(_detector.is_crawler(ua) or _MONITORS.search(ua))


def is_prefetch(headers: Mapping[str, str]) -> bool:
    """A speculative load (``Purpose: prefetch``, ``Sec-Purpose: prefetch``, Firefox's
    ``X-Moz: prefetch``) — not a person following the link yet, so not a click.

    ``headers`` uses HTTP header names in any case (``request.headers`` works).
    """
    for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"):
        value = headers.get(name) or ""
        if "prefetch" in value.lower() or "preview" in value.lower():
            return True
    return False
