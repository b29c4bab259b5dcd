"""The site pixel: `POST /t/<brand key>/event`, `GET /t/<brand key>/p.gif`, and the snippet
`GET /t/<brand key>/pixel.js` a brand puts on its site.

A ``visit`` becomes a Visit; the funnel events (signup, download, registration, lead, demo,
trial) become Conversions of that kind with amount 0. Both are idempotent on ``event_id`` and
attributed by click id / UTM parameters like any conversion. CORS answers only the brand's
own website origin (and its ``www.`` twin); a browser request from any other origin is
refused. Malformed input is a 400 naming the reason, never a 500.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from campaigns.links import is_safe_destination
from campaigns.models import Brand
from metrics.models import EventKind, Source
from metrics.services.conversions import BulkItemError, ConversionItem, conversions_ingest
from metrics.services.visits import VisitItem, visits_ingest

EVENT_TYPES = (
    EventKind.VISIT, EventKind.SIGNUP, EventKind.DOWNLOAD, EventKind.REGISTRATION,
    EventKind.LEAD, EventKind.DEMO, EventKind.TRIAL,
)
MAX_BODY_BYTES = 16 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
SCRIPT_PATH = Path(settings.BASE_DIR) / "static" / "js" / "funnelboard-pixel.js"


class PixelError(ValueError):
    pass


NOT_JSON = object()


# --- CORS ---------------------------------------------------------------------------------------
def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def allowed_origins(website: str) -> set[str]:
    origin = _origin_of(website)
    if not origin:
        return set()
    scheme, host = origin.split("://", 1)
    twin = host[4:] if host.startswith("www.") else f"www.{host}"
    return {origin, f"{scheme}://{twin}"}


def _cors(response: HttpResponse, origin: str | None) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "86400"
    response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    return response


def _problem(status: int, reason: str, origin: str | None = None) -> HttpResponse:
    return _cors(JsonResponse({"detail": reason}, status=status), origin)


# --- Parsing --------------------------------------------------------------------------------------
def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PixelError(f"{name} must be a string.")
    value = value.strip()
    if len(value) > limit:
        raise PixelError(f"{name} is longer than {limit} characters.")
    return value


def _url(data: dict[str, Any], name: str) -> str:
    value = _text(data, name, 2000)
    if value and not is_safe_destination(value):
        raise PixelError(f"{name} must be an absolute http(s) URL.")
    return value


def parse_event(data: Any) -> dict[str, str]:
    """The event's fields, or ``PixelError`` saying what is wrong."""
    if not isinstance(data, dict):
        raise PixelError("The body must be a JSON object.")
    kind = _text(data, "type", 20).lower()
    if kind not in EVENT_TYPES:
        raise PixelError(f"type must be one of: {', '.join(EVENT_TYPES)}.")
    event = {
        "type": kind,
        "url": _url(data, "url"),
        "referrer": _url(data, "referrer"),
        "visitor_id": _text(data, "visitor_id", 100),
        "click_id": _text(data, "click_id", 32),
        "event_id": _text(data, "event_id", 100),
        "utm_campaign": _text(data, "utm_campaign", 100),
        "utm_content": _text(data, "utm_content", 100),
    }
    if event["event_id"] and not _TOKEN.match(event["event_id"]):
        raise PixelError("event_id may only hold letters, digits and _ . : -")
    return event


def _record(brand: Brand, event: dict[str, str]) -> None:
    now = timezone.now()
    if event["type"] == EventKind.VISIT:
        visits_ingest(
            brand=brand,
            source=Source.PIXEL,
            items=[
                VisitItem(
                    brand=brand, occurred_at=now, landing_url=event["url"],
                    referrer=event["referrer"], visitor_id=event["visitor_id"],
                    click_id=event["click_id"], external_id=event["event_id"],
                    utm_campaign=event["utm_campaign"], utm_content=event["utm_content"],
                )
            ],
        )
        return
    conversions_ingest(
        brand=brand,
        source=Source.PIXEL,
        items=[
            ConversionItem(
                brand=brand,
                external_id=event["event_id"] or f"px_{uuid.uuid4().hex}",
                occurred_at=now,
                kind=event["type"],
                currency=brand.currency,
                click_id=event["click_id"],
                landing_url=event["url"],
                utm_campaign=event["utm_campaign"],
                utm_content=event["utm_content"],
            )
        ],
    )


def _brand(brand_key: str) -> Brand | None:
    return (
        Brand.objects.filter(key=brand_key)
        .select_related("organization")
        .only("pk", "website", "currency", "organization__time_zone")
        .first()
    )


def _handle(request: HttpRequest, brand_key: str, data: Any) -> tuple[int, str, str | None]:
    """(status, reason, CORS origin to echo)."""
    brand = _brand(brand_key)
    if brand is None:
        return 404, "Unknown brand key.", None
    origin = request.headers.get("Origin")
    allowed = origin if origin and origin in allowed_origins(brand.website) else None
    if origin and allowed is None:
        return 403, "This origin is not the brand's website.", None
    try:
        if data is NOT_JSON:
            raise PixelError("The body is not JSON.")
        event = parse_event(data)
        _record(brand, event)
    except PixelError as exc:
        return 400, str(exc), allowed
    except BulkItemError as exc:
        field, messages = next(iter(exc.errors.items()), ("body", ["is invalid"]))
        return 400, f"{field}: {' '.join(messages)}", allowed
    return 204, "", allowed


# --- Views ------------------------------------------------------------------------------------------
@csrf_exempt
def event(request: HttpRequest, brand_key: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return preflight(request, brand_key)
    if request.method != "POST":
        return _problem(405, "Use POST (or GET …/p.gif).")
    if len(request.body) > MAX_BODY_BYTES:
        return _problem(400, "The body is too large.")
    try:
        # sendBeacon posts text/plain to stay a "simple" request: accept any content type.
        data: Any = json.loads(request.body or b"null")
    except (UnicodeDecodeError, ValueError):
        data = NOT_JSON
    status, reason, origin = _handle(request, brand_key, data)
    if status == 204:
        return _cors(HttpResponse(status=204), origin)
    return _problem(status, reason, origin)


def preflight(request: HttpRequest, brand_key: str) -> HttpResponse:
    brand = _brand(brand_key)
    if brand is None:
        return _problem(404, "Unknown brand key.")
    origin = request.headers.get("Origin")
    if not origin or origin not in allowed_origins(brand.website):
        return _problem(403, "This origin is not the brand's website.")
    return _cors(HttpResponse(status=204), origin)


_GET_NAMES = {"ref": "referrer", "vid": "visitor_id", "cid": "click_id", "eid": "event_id"}


@csrf_exempt
def image(request: HttpRequest, brand_key: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _problem(405, "Use GET.")
    data: dict[str, Any] = {}
    for name, value in request.GET.items():
        data[_GET_NAMES.get(name, name)] = value
    status, reason, origin = _handle(request, brand_key, data)
    if status != 204:
        return _problem(status, reason, origin)
    response = HttpResponse(_GIF, content_type="image/gif")
    return _cors(response, origin)


@lru_cache(maxsize=1)
def _script_source() -> str:
    return SCRIPT_PATH.read_text(encoding="utf-8")


def script(request: HttpRequest, brand_key: str) -> HttpResponse:
    """The snippet; it finds its endpoint from its own URL, so one file serves every brand."""
    if not Brand.objects.filter(key=brand_key).exists():
        return _problem(404, "Unknown brand key.")
    response = HttpResponse(_script_source(), content_type="application/javascript")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def pixel_snippet(brand: Brand, *, window_days: int = 30) -> str:
    """The HTML a brand pastes into its site's <head> (shown with a copy button)."""
    src = f"{settings.FUNNELBOARD_BASE_URL}/t/{brand.key}/pixel.js"
    return (
        f'<script async src="{escape(src)}" data-window-days="{int(window_days)}"></script>'
    )
