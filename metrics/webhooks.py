"""`POST /hooks/shopify/<brand key>`: verify, deduplicate, store, hand over to a task.

The signature is checked on the raw body before anything is parsed: a bad or missing one is
a 401 and nothing is stored. The delivery is stored once per ``X-Shopify-Webhook-Id``
(a replay answers 200 and does nothing) and processed by ``process_shopify_delivery`` after
the commit, so Shopify gets its answer well within its 5 seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.models import Brand
from metrics.models import WebhookDelivery
from metrics.services.shopify import TOPICS

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
    brand = Brand.objects.filter(key=brand_key).only("pk", "shopify_webhook_secret").first()
    if brand is None:
        return _problem(404, "Unknown brand key.")
    body = request.body
    signature = request.headers.get("X-Shopify-Hmac-Sha256")
    if not signature_ok(body, brand.shopify_webhook_secret, signature):
        return _problem(401, "Missing or invalid X-Shopify-Hmac-Sha256.")

    topic = (request.headers.get("X-Shopify-Topic") or "").strip().lower()
    if topic not in TOPICS:
        return HttpResponse(status=200)  # subscribed by mistake: acknowledge, keep nothing
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return _problem(400, "The body is not JSON.")
    if not isinstance(payload, dict):
        return _problem(400, "The body is not a JSON object.")
    webhook_id = (request.headers.get("X-Shopify-Webhook-Id") or "").strip()
    if not webhook_id:
        # Shopify always sends one; a hand-made call is keyed by its content instead.
        webhook_id = "sha256:" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()[:80]
    webhook_id = webhook_id[:100]

    from metrics.tracking_tasks import process_shopify_delivery

    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                brand=brand, webhook_id=webhook_id, topic=topic, payload=payload
            )
            transaction.on_commit(lambda: process_shopify_delivery.delay(delivery.pk))
    except IntegrityError:
        return HttpResponse(status=200)  # a redelivery of one we already have
    return HttpResponse(status=200)
