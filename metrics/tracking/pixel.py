"""The site pixel: `POST /t/<brand key>/event`, `GET /t/<brand key>/p.gif`, and the snippet
`GET /t/<brand key>/pixel.js` a brand puts on its site.

A ``visit`` becomes a Visit; the funnel events (signup, download, registration, lead, demo,
trial) become Conversions of that kind with amount 0, attributed by click id / UTM parameters
like any conversion.

Brand keys are public (they sit in the snippet) and event ids are chosen by the sender, so the
pixel only ever creates pixel records: a record's identity is (brand, source, external id),
so an order from Shopify or a visit from the API cannot be reached, and an event re-sent with
an id already stored is a duplicate — the first write wins, and the answer is the same as for
a new event, so it does not tell whether an id exists. Each client address and each brand key
has a request budget (``FUNNELBOARD_PIXEL_RATE_PER_IP`` / ``_PER_KEY``); beyond it the answer
is a 429 with ``Retry-After``.

CORS answers only the brand's own website origin (and its ``www.`` twin); a browser request
from any other origin is refused. Malformed input is a 400 naming the reason, never a 500.
"""

from __future__ import annotations

import base64
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from campaigns.links import is_safe_destination
from campaigns.models import Brand
from campaigns.selectors import brands_by_public_key
from config.parsers import JSONTooDeep, json_loads
from config.ratelimit import Budget, budget_hit
from config.validation import BulkItemError
from metrics.models import EventKind, Source
from metrics.services.conversions import ConversionItem, conversions_ingest
from metrics.services.visits import VisitItem, visits_ingest
from metrics.tracking.redirect import client_ip

EVENT_TYPES = (
    EventKind.VISIT, EventKind.SIGNUP, EventKind.DOWNLOAD, EventKind.REGISTRATION,
    EventKind.LEAD, EventKind.DEMO, EventKind.TRIAL,
)
MAX_BODY_BYTES = 16 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
# NUL and lone surrogates are not text: PostgreSQL refuses them, so they must never reach it.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
SCRIPT_PATH = Path(settings.BASE_DIR) / "static" / "js" / "funnelboard-pixel.js"


class PixelError(ValueError):
    pass


NOT_JSON = object()
TOO_DEEP = object()


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


def _problem(
    status: int, reason: str, origin: str | None = None, *, retry_after: int | None = None
) -> HttpResponse:
    response = JsonResponse({"detail": reason}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return _cors(response, origin)


# --- Parsing --------------------------------------------------------------------------------------
def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PixelError(f"{name} must be a string.")
    if _NOT_TEXT.search(value):
        raise PixelError(f"{name} holds a NUL or a lone surrogate, which is not text.")
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
            first_write_wins=True,
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
        first_write_wins=True,
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
        brands_by_public_key(brand_key)
        .select_related("organization")
        .only("pk", "website", "currency", "organization__time_zone")
        .first()
    )


def _parse_body(body: bytes) -> Any:
    try:
        return json_loads(body or b"null")
    except JSONTooDeep:
        return TOO_DEEP
    except ValueError:  # UnicodeDecodeError included
        return NOT_JSON


def _over_budget(key: str, setting: str) -> int | None:
    """Seconds to wait when ``key`` has spent its budget (read on each call, so a test or a
    deployment can change it), else None."""
    return budget_hit(key, Budget.parse(getattr(settings, setting)))


class Answer(NamedTuple):
    status: int
    reason: str = ""
    origin: str | None = None  # the CORS origin to echo
    retry_after: int | None = None

    def response(self) -> HttpResponse:
        return _problem(self.status, self.reason, self.origin, retry_after=self.retry_after)


def _handle(request: HttpRequest, brand_key: str, data: Any) -> Answer:
    # The address budget comes first: a flood of made-up keys costs no database query.
    wait = _over_budget(f"pixel:ip:{client_ip(request)}", "FUNNELBOARD_PIXEL_RATE_PER_IP")
    if wait is not None:
        return Answer(429, "Too many events from this address.", retry_after=wait)
    brand = _brand(brand_key)
    if brand is None:
        return Answer(404, "Unknown brand key.")
    wait = _over_budget(f"pixel:brand:{brand.pk}", "FUNNELBOARD_PIXEL_RATE_PER_KEY")
    if wait is not None:
        return Answer(429, "Too many events for this brand.", retry_after=wait)
    origin = request.headers.get("Origin")
    allowed = origin if origin and origin in allowed_origins(brand.website) else None
    if origin and allowed is None:
        return Answer(403, "This origin is not the brand's website.")
    try:
        if data is NOT_JSON:
            raise PixelError("The body is not JSON.")
        if data is TOO_DEEP:
            raise PixelError("The body is nested too deeply.")
        event = parse_event(data)
        _record(brand, event)
    except PixelError as exc:
        return Answer(400, str(exc), allowed)
    except BulkItemError as exc:
        field, messages = next(iter(exc.errors.items()), ("body", ["is invalid"]))
        return Answer(400, f"{field}: {' '.join(messages)}", allowed)
    return Answer(204, "", allowed)


# --- Views ------------------------------------------------------------------------------------------
@csrf_exempt
def event(request: HttpRequest, brand_key: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return preflight(request, brand_key)
    if request.method != "POST":
        return _problem(405, "Use POST (or GET …/p.gif).")
    if len(request.body) > MAX_BODY_BYTES:
        return _problem(400, "The body is too large.")
    # sendBeacon posts text/plain to stay a "simple" request: accept any content type.
    answer = _handle(request, brand_key, _parse_body(request.body))
    if answer.status == 204:
        return _cors(HttpResponse(status=204), answer.origin)
    return answer.response()


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
    answer = _handle(request, brand_key, data)
    if answer.status != 204:
        return answer.response()
    response = HttpResponse(_GIF, content_type="image/gif")
    return _cors(response, answer.origin)


@lru_cache(maxsize=1)
def _script_source() -> str:
    return SCRIPT_PATH.read_text(encoding="utf-8")


def script(request: HttpRequest, brand_key: str) -> HttpResponse:
    """The snippet; it finds its endpoint from its own URL, so one file serves every brand."""
    if not brands_by_public_key(brand_key).exists():
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
