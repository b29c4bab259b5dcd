"""Tracking URLs, pure (no ORM; refusals in the active language): the `/r/` destination,
landing-URL parsing, URL safety.

The destination of a tracking link is always the *stored* URL plus the link's own UTM
parameters and a click id. Nothing here takes anything from an incoming request.

Merge rules (``merge_query``):
- the destination's own query parameters are kept, in order, byte for byte;
- a parameter we set (``utm_*``, ``fb_click``) replaces any same-named parameter of the
  destination, so it appears exactly once;
- blank UTM fields are not added; the fragment stays last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, unquote_plus, urlsplit, urlunsplit

from django.utils.translation import gettext as _

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
CLICK_PARAM = "fb_click"
MAX_URL_LENGTH = 2000
_SAFE_SCHEMES = ("http", "https")
_LANDING_PARAMS = ("utm_campaign", "utm_content", CLICK_PARAM)
# Control characters, whitespace and backslashes: browsers "repair" them in ways that can turn
# a harmless-looking URL into a different host (``https://a.com\@evil.com``, ``java\tscript:``).
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")  # noqa: E501


@dataclass(frozen=True)
class LinkFields:
    """What a TrackingLink stores that shapes its destination."""

    destination_url: str
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""
    utm_term: str = ""

    def utm_params(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in UTM_FIELDS if getattr(self, name)}


@dataclass(frozen=True)
class LandingParams:
    """What attribution reads from a landing URL (all '' when absent)."""

    utm_campaign: str = ""
    utm_content: str = ""
    fb_click: str = ""


def destination_error(url: str) -> str | None:
    """Why ``url`` may not be a redirect destination, or None when it may.

    Only absolute http(s) URLs with a plain host name or IP: no ``javascript:``/``data:``,
    no scheme-relative ``//host``, no credentials (``https://brand.com@evil.com``), no
    whitespace, control characters or backslashes.
    """
    if not isinstance(url, str) or not url:
        return _("Enter a URL.")
    if len(url) > MAX_URL_LENGTH:
        return _("Use at most %(count)s characters.") % {"count": MAX_URL_LENGTH}
    if _UNSAFE_CHARS.search(url):
        return _("The URL contains spaces, control characters or backslashes.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("That is not a valid URL.")
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return _("Use an http:// or https:// URL.")
    if not parts.netloc or not parts.hostname:
        return _("The URL needs a host name.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return _("The URL may not contain a user name or password.")
    host = parts.hostname
    try:
        ascii_host = host.encode("idna").decode("ascii")  # internationalised names too
    except UnicodeError:
        ascii_host = ""
    if not (_HOST.match(ascii_host) or _is_ip_literal(host)):
        return _("The host name is not valid.")
    if port is not None and not 0 < port < 65536:
        return _("The port is not valid.")
    return None


def validate_destination(url: str) -> str:
    """``url`` unchanged when it is a safe destination, else ``ValueError`` saying why."""
    error = destination_error(url)
    if error:
        raise ValueError(error)
    return url


def is_safe_destination(url: str) -> bool:
    return destination_error(url) is None


def _is_ip_literal(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def merge_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` set in its query string (see the module's merge rules)."""
    if not params:
        return url
    parts = urlsplit(url)
    ours = {name for name in params}
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and unquote_plus(piece.split("=", 1)[0]) not in ours
    ]
    added = [f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in params.items()]
    query = "&".join(kept + added)
    return urlunsplit(SplitResult(parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def build_tracking_url(
    destination_url: str,
    *,
    utm_source: str = "",
    utm_medium: str = "",
    utm_campaign: str = "",
    utm_content: str = "",
    utm_term: str = "",
    click_id: str | None = None,
) -> str:
    """The destination with its UTM parameters (and ``fb_click`` when ``click_id``) merged in.

    Without ``click_id`` this is the URL a link builder previews; ``ValueError`` when the
    destination is unsafe (see ``destination_error``).
    """
    fields = LinkFields(
        destination_url=destination_url,
        utm_source=utm_source,
        utm_medium=utm_medium,
        utm_campaign=utm_campaign,
        utm_content=utm_content,
        utm_term=utm_term,
    )
    return destination_for(fields, click_id)


def destination_for(link: LinkFields | Mapping[str, Any] | Any, click_id: str | None) -> str:
    """Where ``/r/<slug>`` sends a visitor: stored URL + UTM parameters + ``fb_click``.

    ``link`` is a ``LinkFields``, a mapping with the same keys, or any object with those
    attributes (a TrackingLink). ``click_id`` None (bots, prefetches) adds no click id.
    """
    fields = _as_fields(link)
    validate_destination(fields.destination_url)
    params = fields.utm_params()
    if click_id:
        params[CLICK_PARAM] = click_id
    return merge_query(fields.destination_url, params)


def _as_fields(link: LinkFields | Mapping[str, Any] | Any) -> LinkFields:
    if isinstance(link, LinkFields):
        return link

    def get(name: str, default: str = "") -> Any:
        if isinstance(link, Mapping):
            return link.get(name, default)
        return getattr(link, name, default)

    return LinkFields(
        destination_url=str(get("destination_url", "") or ""),
        **{name: str(get(name, "") or "") for name in UTM_FIELDS},
    )


def parse_landing(url: str | None) -> LandingParams:
    """``utm_campaign``, ``utm_content`` and ``fb_click`` of a landing URL.

    Accepts absolute URLs and Shopify's relative ``landing_site`` (``/path?query``). Values are
    percent-decoded. Parameters after ``#`` count too (``/page#utm_campaign=x`` and hash
    routes ``/#/page?utm_campaign=x``, as some sites and plugins write them); a parameter in
    the query wins over the same one after ``#``, and the first value of a repeated parameter
    wins. Anything unparsable gives empty values.
    """
    if not url:
        return LandingParams()
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return LandingParams()
    fragment = parts.fragment
    if "?" in fragment:  # a hash route: the parameters follow its own '?'
        fragment = fragment.split("?", 1)[1]
    found: dict[str, str] = {}
    for part in (parts.query, fragment):
        for name, value in parse_qsl(part, keep_blank_values=False):
            if name in _LANDING_PARAMS and name not in found and value.strip():
                found[name] = value.strip()
    return LandingParams(
        utm_campaign=found.get("utm_campaign", "")[:100],
        utm_content=found.get("utm_content", "")[:100],
        fb_click=found.get(CLICK_PARAM, "")[:32],
    )
