"""`POST /hooks/shopify/<brand key>`: verify, deduplicate, store, hand over to a task.

The signature is checked on the raw body before anything is parsed: a bad or missing one is
a 401 and nothing is stored. A body whose shape is wrong (a value of the wrong type anywhere)
is a 400 naming the field, recorded as a processed delivery with that reason. The delivery is
stored once per ``X-Shopify-Webhook-Id`` (a replay answers the same and does nothing) and
processed by ``process_shopify_delivery`` after the commit, so Shopify gets its answer well
within its 5 seconds. The topic header is not signed: it only routes, the body decides.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.selectors import brands_by_public_key
from config.parsers import json_loads, unstorable_text
from metrics.tracking.shopify import TOPICS, shopify_delivery_receive

logger = logging.getLogger(__name__)


def signature_of(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_ok(body: bytes, secret: str, header: str | None) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(signature_of(body, secret).encode(), header.strip().encode())


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def shopify(request: HttpRequest, brand_key: str) -> HttpResponse:
    brand = (
        brands_by_public_key(brand_key)
        .only("pk", "shopify_webhook_secret", "website", "currency")
        .first()
    )
    if brand is None:
        return _problem(404, "Unknown brand key.")
    body = request.body
    signature = request.headers.get("X-Shopify-Hmac-Sha256")
    if not signature_ok(body, brand.shopify_webhook_secret, signature):
        return _problem(401, "Missing or invalid X-Shopify-Hmac-Sha256.")

    topic = (request.headers.get("X-Shopify-Topic") or "").strip().lower()
    if topic not in TOPICS:
        return HttpResponse(status=200)  # subscribed by mistake: acknowledge, keep nothing
    # Text no database stores, or nesting no order has, cannot even be recorded: refuse it.
    problem = unstorable_text(body)
    if problem:
        return _problem(400, f"The body is not storable JSON: {problem}")
    try:
        payload = json_loads(body)
    except ValueError as exc:  # UnicodeDecodeError and too deep included
        return _problem(400, f"The body is not JSON: {exc}")
    if not isinstance(payload, dict):
        return _problem(400, "The body is not a JSON object.")
    webhook_id = (request.headers.get("X-Shopify-Webhook-Id") or "").strip()
    if not (webhook_id.isascii() and webhook_id.isprintable()):
        webhook_id = ""  # the header is not signed: never store what a database may refuse
    if not webhook_id:
        # Shopify always sends one; a hand-made call is keyed by its content instead.
        webhook_id = "sha256:" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()[:80]
    reason = shopify_delivery_receive(
        brand=brand, webhook_id=webhook_id[:100], topic=topic, payload=payload
    )
    if reason:
        return _problem(400, f"Unusable {topic} payload: {reason}.")
    return HttpResponse(status=200)
