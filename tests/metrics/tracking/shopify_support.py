"""Signed Shopify webhooks for tests: the published samples and ``post``, which sends one the
way Shopify does (topic, shop domain, delivery id and the body's HMAC)."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from metrics.tracking.webhooks import signature_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"  # tests/fixtures
SECRET = "shpss_test_secret"


def sample(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


ORDER = sample("shopify-orders-create.json")
REFUND = sample("shopify-refunds-create.json")


def post(
    client: Client, brand, payload: dict | bytes, *, topic: str = "orders/create",
    webhook_id: str | None = "wh-1", secret: str | None = SECRET, signature: str | None = None,
):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"HTTP_X_SHOPIFY_TOPIC": topic, "HTTP_X_SHOPIFY_SHOP_DOMAIN": "shop.myshopify.com"}
    if webhook_id:
        headers["HTTP_X_SHOPIFY_WEBHOOK_ID"] = webhook_id
    if signature is not None:
        headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = signature
    elif secret is not None:
        headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = signature_of(body, secret)
    return client.post(
        f"/hooks/shopify/{brand.key}", data=body, content_type="application/json", **headers
    )
