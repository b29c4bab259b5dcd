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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signals
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.core.signals import setting_changed
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.http.request import split_domain_port, validate_host
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django.urls import set_script_prefix
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


@lru_cache(maxsize=4)
def _daily_hmac(salt: bytes) -> hmac.HMAC:
    return hmac.new(salt, digestmod=hashlib.sha256)


def visitor_hash(ip: str, user_agent: str, day: dt.date) -> str:
    """HMAC-SHA256 of address and user agent under the day's salt (the keyed state is set up
    once a day and copied, which halves the cost of a fresh ``hmac.new``)."""
    mac = _daily_hmac(daily_salt(day)).copy()
    mac.update(f"{ip}\n{user_agent}".encode("utf-8", "replace"))
    return mac.hexdigest()


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
    return client_ip_of(request.META)


def client_ip_of(meta: Mapping[str, Any]) -> str:
    """``client_ip`` from a WSGI environ (``request.META``)."""
    remote = meta.get("REMOTE_ADDR", "") or ""
    if not settings.TRUSTED_PROXIES or not _is_trusted(remote):
        return remote
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


def referrer_host_of(meta: Mapping[str, Any]) -> str:
    raw = meta.get("HTTP_REFERER", "")
    if not raw:
        return ""
    try:
        return (urlsplit(raw).hostname or "")[:255]
    except ValueError:
        return ""


def country_of(meta: Mapping[str, Any]) -> str:
    for header in COUNTRY_HEADERS:
        value = (meta.get(header) or "").strip().upper()
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

    return _redirect(record_and_locate(request.META, link, counted=request.method == "GET"))


# --- The lean WSGI path --------------------------------------------------------------------------
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PREFIX = "/r/"


def _serve(request: HttpRequest) -> HttpResponse:
    request.get_host()  # a bad Host header is a 400 here as on every other path
    slug = request.path_info[len(PREFIX):]
    if not SLUG.fullmatch(slug):
        return _not_found(request)
    return follow_link(request, slug)


# Only the security middleware (HTTPS redirect, HSTS, nosniff) wraps the Django path: the
# redirect uses no session, user, CSRF token, message, CSP-governed page or htmx.
_serve_secure = convert_exception_to_response(SecurityMiddleware(_serve))


def django_redirect(environ: dict[str, Any], start_response: Any) -> Any:
    """Serve ``/r/<slug>`` through a Django request and the security middleware, otherwise
    exactly as ``WSGIHandler`` does: signals (database connections), errors, headers. Every
    request the lean path below does not answer itself comes here."""
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


@dataclass(frozen=True)
class _Constants:
    """What the lean path needs from settings, computed once (and again after a setting
    changes): the 302's fixed headers — what ``_redirect`` plus ``SecurityMiddleware`` send —
    over plain HTTP and over HTTPS (HSTS), and when to leave a request to Django."""

    plain: tuple[tuple[str, str], ...]
    secure: tuple[tuple[str, str], ...]
    ssl_redirect: bool
    proxy_ssl: tuple[str, str] | None
    forwarded_host: bool


@lru_cache(maxsize=1)
def _constants() -> _Constants:
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "0"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Robots-Tag", "noindex, nofollow"),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    secure = list(headers)
    if settings.SECURE_HSTS_SECONDS:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        secure.append(("Strict-Transport-Security", sts))
    proxy_ssl = settings.SECURE_PROXY_SSL_HEADER
    return _Constants(
        plain=tuple(headers),
        secure=tuple(secure),
        ssl_redirect=bool(settings.SECURE_SSL_REDIRECT),
        proxy_ssl=(proxy_ssl[0], proxy_ssl[1]) if proxy_ssl else None,
        forwarded_host=bool(settings.USE_X_FORWARDED_HOST),
    )


@lru_cache(maxsize=256)
def _host_allowed(host: str) -> bool:
    """``request.get_host()``'s check of a Host header, per header value."""
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


_CLICK_MARK = "fbclickmark0e4f1d7a"


@lru_cache(maxsize=1024)
def _location_parts(destination: str) -> tuple[str, str] | None:
    """The Location of a counted click around its id: ``head + click_id + tail`` equals
    ``merge_query(destination, {CLICK_PARAM: click_id})`` (click ids need no quoting)."""
    merged = merge_query(destination, {CLICK_PARAM: _CLICK_MARK})
    head, mark, tail = merged.partition(_CLICK_MARK)
    return (head, tail) if mark and _CLICK_MARK not in tail else None


def _click_location(destination: str, click_id: str) -> str:
    parts = _location_parts(destination)
    if parts is None:
        return merge_query(destination, {CLICK_PARAM: click_id})
    return parts[0] + click_id + parts[1]


def _forget_constants(**_kwargs: Any) -> None:
    _constants.cache_clear()
    _host_allowed.cache_clear()


setting_changed.connect(_forget_constants)


def _is_secure(environ: dict[str, Any], proxy_ssl: tuple[str, str] | None) -> bool:
    if proxy_ssl is not None:
        header, secure_value = proxy_ssl
        value = environ.get(header)
        if value is not None:
            return str(value).split(",", 1)[0].strip() == secure_value
    return bool(environ.get("wsgi.url_scheme") == "https")


def _release_database() -> None:
    """What ``request_finished`` does for a request that used the database (a cache miss, or
    the direct write when Redis is down); the common redirect opens no connection."""
    if any(conn.connection is not None for conn in connections.all(initialized_only=True)):
        signals.request_finished.send(sender=WSGIHandler)


def wsgi_redirect(environ: dict[str, Any], start_response: Any) -> Any:
    """Serve ``/r/<slug>`` (see config/wsgi.py) without building a Django request: an active
    link's GET or HEAD from an allowed host that needs no HTTPS redirect is answered here from
    precomputed headers, the cached link and one Redis round trip. Anything else (unknown
    slug → 404 page, bad host → 400, other methods, HTTPS redirect) goes to
    ``django_redirect``, which answers it as before."""
    constants = _constants()
    method = environ.get("REQUEST_METHOD")
    slug = environ.get("PATH_INFO", "")[len(PREFIX):]
    host = environ.get("HTTP_HOST")
    if (
        (method != "GET" and method != "HEAD")
        or not host
        or constants.forwarded_host
        or not SLUG.fullmatch(slug)
        or not _host_allowed(host)
    ):
        return django_redirect(environ, start_response)
    secure = _is_secure(environ, constants.proxy_ssl)
    if constants.ssl_redirect and not secure:
        return django_redirect(environ, start_response)
    link = cached_link(slug)
    if link is None:
        _release_database()
        return django_redirect(environ, start_response)
    try:
        location = record_and_locate(environ, link, counted=method == "GET")
    finally:
        _release_database()
    headers = [("Location", location), *(constants.secure if secure else constants.plain)]
    start_response("302 Found", headers)
    return [b""]


def record_and_locate(environ: Mapping[str, Any], link: dict[str, Any], *, counted: bool) -> str:
    """Record the click a request makes on ``link`` and return its Location: the destination
    with a click id for a person; the bare destination for a bot, a prefetch or preview, or a
    request that is not ``counted`` (HEAD). Both the Django view and the lean WSGI path call
    it with the environ (``request.META`` is one)."""
    destination: str = link["destination"]
    prefetch_headers = {
        name: environ[key] for name, key in PREFETCH_HEADERS.items() if key in environ
    }
    if not counted or (prefetch_headers and bot.is_prefetch(prefetch_headers)):
        return destination
    user_agent = environ.get("HTTP_USER_AGENT", "")
    agent = bot.classify(user_agent)
    now = dt.datetime.now(dt.UTC)
    click_id = new_click_id()
    record_click(
        ClickRecord(
            click_id=click_id,
            link_id=link["id"],
            campaign_id=link["campaign_id"],
            occurred_at=now,
            visitor_hash=visitor_hash(client_ip_of(environ), user_agent, now.date()),
            referrer_host=referrer_host_of(environ),
            device=agent.device,
            country=country_of(environ),
            is_bot=agent.is_bot,
        )
    )
    if agent.is_bot:
        return destination
    return _click_location(destination, click_id)
