"""`GET /r/<slug>`: the hot path from a creator's post to the brand's site.

One cached lookup (slug → destination and ids, from ``campaigns.link_cache``), one Redis round
trip (or one direct insert in embedded mode / when Redis is down), no session, no auth. The
Location is built only from the stored link and a fresh click id; nothing in the request takes
part.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signals
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django.urls import set_script_prefix
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from campaigns.link_cache import cached_link
from campaigns.links import CLICK_PARAM, merge_query
from metrics.tracking import bot
from metrics.tracking.clicks import ClickRecord, record_click

logger = logging.getLogger(__name__)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Headers CDNs and load balancers set with the visitor's country (first present wins), as
# WSGI keys: request.META is read directly on the hot path (request.headers copies it).
COUNTRY_HEADERS = ("HTTP_CF_IPCOUNTRY", "HTTP_CLOUDFRONT_VIEWER_COUNTRY", "HTTP_X_COUNTRY_CODE")
PREFETCH_HEADERS = {
    "Sec-Purpose": "HTTP_SEC_PURPOSE", "Purpose": "HTTP_PURPOSE", "X-Purpose": "HTTP_X_PURPOSE",
    "X-Moz": "HTTP_X_MOZ",
}


# --- Visitor identity --------------------------------------------------------------------------
@lru_cache(maxsize=4)
def daily_salt(day: dt.date) -> bytes:
    """A salt derived from SECRET_KEY and the UTC date: it rotates daily and is never stored,
    so yesterday's hashes cannot be recomputed from anything kept."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"visitor-salt:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()


def visitor_hash(ip: str, user_agent: str, day: dt.date) -> str:
    message = f"{ip}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(daily_salt(day), message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=1)
def _trusted_networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            logger.error("FUNNELBOARD_TRUSTED_PROXIES: %r is not an address or network", proxy)
    return tuple(networks)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, unless that is a trusted proxy — then the right-most
    X-Forwarded-For entry that is not itself a trusted proxy (entries further left are
    whatever the client claimed, so they are not believed)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.TRUSTED_PROXIES or not _is_trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


def referrer_host(request: HttpRequest) -> str:
    raw = request.META.get("HTTP_REFERER", "")
    if not raw:
        return ""
    try:
        return (urlsplit(raw).hostname or "")[:255]
    except ValueError:
        return ""


def country(request: HttpRequest) -> str:
    for header in COUNTRY_HEADERS:
        value = (request.META.get(header) or "").strip().upper()
        if _COUNTRY.match(value) and value not in ("XX", "T1", "A1", "A2", "O1"):
            return value
    return ""


def new_click_id() -> str:
    return "c_" + secrets.token_urlsafe(12)


# --- The view ----------------------------------------------------------------------------------
def _redirect(location: str) -> HttpResponse:
    response = HttpResponse(status=302)
    response["Location"] = location
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    response = render(request, "campaigns/link_not_found.html", status=404)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def follow_link(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    link = cached_link(slug)
    if link is None:
        return _not_found(request)

    destination: str = link["destination"]
    prefetch_headers = {
        name: request.META[key] for name, key in PREFETCH_HEADERS.items() if key in request.META
    }
    if request.method == "HEAD" or (prefetch_headers and bot.is_prefetch(prefetch_headers)):
        # Not a person following the link (yet): redirect, count nothing, hand out no id.
        return _redirect(destination)

    user_agent = request.META.get("HTTP_USER_AGENT", "")
    agent = bot.classify(user_agent)
    now = timezone.now()
    click_id = new_click_id()
    record_click(
        ClickRecord(
            click_id=click_id,
            link_id=link["id"],
            campaign_id=link["campaign_id"],
            occurred_at=now,
            visitor_hash=visitor_hash(client_ip(request), user_agent, now.date()),
            referrer_host=referrer_host(request),
            device=agent.device,
            country=country(request),
            is_bot=agent.is_bot,
        )
    )
    if agent.is_bot:
        return _redirect(destination)
    return _redirect(merge_query(destination, {CLICK_PARAM: click_id}))


# --- The lean WSGI path --------------------------------------------------------------------------
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PREFIX = "/r/"


def _serve(request: HttpRequest) -> HttpResponse:
    request.get_host()  # a bad Host header is a 400 here as on every other path
    slug = request.path_info[len(PREFIX):]
    if not SLUG.fullmatch(slug):
        return _not_found(request)
    return follow_link(request, slug)


# Only the security middleware (HTTPS redirect, HSTS, nosniff) wraps the hot path: the redirect
# uses no session, user, CSRF token, message, CSP-governed page or htmx.
_serve_secure = convert_exception_to_response(SecurityMiddleware(_serve))


def wsgi_redirect(environ: dict[str, Any], start_response: Any) -> Any:
    """Serve ``/r/<slug>`` without Django's full middleware stack (see config/wsgi.py),
    otherwise exactly as ``WSGIHandler`` does: signals (database connections), errors, headers."""
    set_script_prefix(get_script_name(environ))
    signals.request_started.send(sender=WSGIHandler, environ=environ)
    request = WSGIRequest(environ)
    response = cast(HttpResponseBase, _serve_secure(request))  # synchronous: no awaitable
    response._handler_class = WSGIHandler  # type: ignore[attr-defined]
    headers = [
        *response.items(),
        *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
    ]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return response
