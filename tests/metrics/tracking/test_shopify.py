"""`POST /hooks/shopify/<brand key>`: HMAC, dedupe, mapping, refunds, concurrency."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from metrics.models import Conversion, Refund, WebhookDelivery
from metrics.tracking.webhooks import signature_of
from tests import factories as f

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


@pytest.fixture
def brand(db):
    return f.BrandFactory(shopify_webhook_secret=SECRET, website="https://shop.example")


@pytest.fixture
def mia(brand):
    """Mia's partnership in a campaign of October 2026, with her code and her link."""
    campaign = f.CampaignFactory(
        brand=brand, slug="fall-glow", start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2026, 10, 31),
    )
    partnership = f.PartnershipFactory(campaign=campaign)
    f.PromoCodeFactory(partnership=partnership, code="MIA10")
    return partnership


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(Client(), *args, **kwargs)

    return send


def test_a_signed_order_becomes_a_sale_credited_to_the_promo_code(brand, mia, deliver) -> None:
    response = deliver(brand, ORDER)
    assert response.status_code == 200
    conversion = Conversion.objects.get()
    assert conversion.external_id == "5987234019871234567"  # exact, beyond 2^53
    assert conversion.amount == Decimal("106.20")  # subtotal_price, not total_price
    assert conversion.currency == "USD"
    assert conversion.occurred_at == dt.datetime(2026, 10, 14, 22, 22, 5, tzinfo=dt.UTC)
    assert conversion.partnership == mia and conversion.attribution == "promo_code"
    assert conversion.promo_code == "mia10"
    assert conversion.utm_campaign == "fall-glow" and conversion.utm_content == "mia"
    assert conversion.click_id == "c_8f2a1d"
    assert conversion.landing_url.startswith("https://shop.example/products/serum?")
    assert conversion.source == "shopify" and not conversion.is_cancelled
    assert WebhookDelivery.objects.get().processed_at is not None


def test_it_rejects_a_bad_hmac_and_stores_nothing(brand, deliver) -> None:
    response = deliver(brand, ORDER, secret="wrong-secret")
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists() and not Conversion.objects.exists()


def test_it_rejects_a_missing_hmac_and_stores_nothing(brand, deliver) -> None:
    assert deliver(brand, ORDER, secret=None).status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_the_signature_covers_the_raw_bytes(brand, deliver) -> None:
    body = json.dumps(ORDER).encode()
    signature = signature_of(body, SECRET)
    tampered = body.replace(b'"106.20"', b'"1.00"')
    assert deliver(brand, tampered, signature=signature).status_code == 401
    assert deliver(brand, body, signature=signature).status_code == 200


def test_a_brand_without_a_secret_accepts_no_webhook(brand, deliver) -> None:
    brand.shopify_webhook_secret = ""
    brand.save()
    assert deliver(brand, ORDER, secret="").status_code == 401


def test_an_unknown_brand_key_is_a_404(db) -> None:
    response = Client().post("/hooks/shopify/nope", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_a_signed_body_that_is_not_json_is_a_400(brand, deliver) -> None:
    assert deliver(brand, b"not json").status_code == 400
    assert not WebhookDelivery.objects.exists()


def test_a_replayed_delivery_is_stored_once(brand, mia, deliver) -> None:
    assert deliver(brand, ORDER, webhook_id="same").status_code == 200
    assert deliver(brand, ORDER, webhook_id="same").status_code == 200
    assert WebhookDelivery.objects.count() == 1
    assert Conversion.objects.count() == 1


def test_the_same_order_in_several_deliveries_is_one_conversion(brand, mia, deliver) -> None:
    deliver(brand, ORDER, webhook_id="a", topic="orders/create")
    deliver(brand, ORDER, webhook_id="b", topic="orders/paid")
    updated = {**ORDER, "subtotal_price": "90.00"}
    deliver(brand, updated, webhook_id="c", topic="orders/updated")
    conversion = Conversion.objects.get()
    assert conversion.amount == Decimal("90.00")


def test_test_orders_are_ignored(brand, deliver) -> None:
    deliver(brand, {**ORDER, "test": True})
    assert not Conversion.objects.exists()
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_cancelled_order_is_marked_and_stays_cancelled(brand, mia, deliver) -> None:
    deliver(brand, ORDER, webhook_id="a")
    deliver(brand, {**ORDER, "cancelled_at": "2026-10-15T10:00:00-04:00"}, webhook_id="b",
            topic="orders/cancelled")
    assert Conversion.objects.get().is_cancelled
    deliver(brand, ORDER, webhook_id="c", topic="orders/updated")  # an older payload, late
    assert Conversion.objects.get().is_cancelled


def test_cancelled_at_on_any_order_payload_cancels(brand, deliver) -> None:
    deliver(brand, {**ORDER, "cancelled_at": "2026-10-15T10:00:00-04:00"}, topic="orders/updated")
    assert Conversion.objects.get().is_cancelled


def test_a_refund_subtracts_its_line_item_subtotals(brand, mia, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    assert deliver(brand, REFUND, topic="refunds/create", webhook_id="refund").status_code == 200
    refund = Refund.objects.get()
    assert refund.amount == Decimal("53.10")  # not the 57.35 transaction, which includes tax
    assert refund.external_id == "890088186047892319"
    assert refund.conversion.external_id == "5987234019871234567"
    # A replay under another delivery id adds nothing to the ledger.
    deliver(brand, REFUND, topic="refunds/create", webhook_id="refund-again")
    assert Refund.objects.count() == 1


def test_a_refund_without_line_items_uses_its_successful_refund_transactions(
    brand, deliver
) -> None:
    deliver(brand, ORDER, webhook_id="order")
    refund = copy.deepcopy(REFUND)
    refund["refund_line_items"] = []
    refund["transactions"] += [
        {"kind": "refund", "status": "failure", "amount": "10.00"},
        {"kind": "sale", "status": "success", "amount": "99.00"},
    ]
    deliver(brand, refund, topic="refunds/create", webhook_id="refund")
    assert Refund.objects.get().amount == Decimal("57.35")


def test_refunds_never_exceed_the_order_revenue(brand, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    full = copy.deepcopy(REFUND)
    full["refund_line_items"] = []
    full["transactions"] = [{"kind": "refund", "status": "success", "amount": "114.70"}]
    deliver(brand, full, topic="refunds/create", webhook_id="refund")
    assert Refund.objects.get().amount == Decimal("106.20")  # net revenue exactly 0


def test_a_refund_before_its_order_is_applied_when_the_order_arrives(brand, deliver) -> None:
    deliver(brand, REFUND, topic="refunds/create", webhook_id="refund")
    assert not Refund.objects.exists()
    assert WebhookDelivery.objects.get().processed_at is None
    deliver(brand, ORDER, webhook_id="order")
    assert Refund.objects.get().amount == Decimal("53.10")
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()


def test_a_click_id_in_note_attributes_attributes_the_order(brand, deliver) -> None:
    partnership = f.PartnershipFactory(campaign__brand=brand)
    click = f.ClickFactory(
        link__partnership=partnership, click_id="c_note",
        occurred_at=dt.datetime(2026, 10, 14, tzinfo=dt.UTC),
    )
    order = {**ORDER, "discount_codes": [], "landing_site": "/",
             "note_attributes": [{"name": "fb_click", "value": "c_note"}]}
    deliver(brand, order)
    conversion = Conversion.objects.get()
    assert conversion.attribution == "link" and conversion.matched_click == click
    assert conversion.partnership == partnership


def test_an_unusable_payload_is_recorded_with_its_error(brand, deliver) -> None:
    assert deliver(brand, {**ORDER, "subtotal_price": "lots"}).status_code == 400
    delivery = WebhookDelivery.objects.get()
    assert "subtotal_price" in delivery.error and not Conversion.objects.exists()


@pytest.mark.realmode
@pytest.mark.django_db(transaction=True)
def test_ten_threads_posting_the_same_order_store_one_conversion() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    brand = f.BrandFactory(shopify_webhook_secret=SECRET)
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def send(n: int) -> None:
        try:
            barrier.wait()
            statuses.append(post(Client(), brand, ORDER, webhook_id=f"wh-{n % 3}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 10
    assert WebhookDelivery.objects.count() == 3
    assert Conversion.objects.count() == 1


# Real payloads as Shopify sends them (numbers as floats, MoneyBags, null landing_site): the
# shape checks must accept every one of them.
REAL_ORDER = sample("shopify-order-450789469.json")
REAL_ORDER_UPDATED = sample("shopify-order-450789469-updated.json")
REAL_REFUND = sample("shopify-refund-509562969.json")


def test_real_payloads_pass_the_shape_checks_and_the_refund_uses_their_subtotals(
    brand, deliver
) -> None:
    assert deliver(brand, REAL_ORDER, webhook_id="order").status_code == 200
    assert deliver(brand, REAL_REFUND, topic="refunds/create", webhook_id="r").status_code == 200
    conversion = Conversion.objects.get()
    assert conversion.amount == Decimal("597.00") and conversion.promo_code == "TENOFF"
    assert conversion.refunds.get().amount == Decimal("391.33")  # 195.66 + 195.67
    assert not WebhookDelivery.objects.exclude(error="").exists()


def test_an_older_real_payload_after_its_update_changes_nothing(brand, deliver) -> None:
    deliver(brand, REAL_ORDER_UPDATED, webhook_id="updated", topic="orders/updated")
    newer = Conversion.objects.get().source_updated_at
    assert newer == dt.datetime(2024, 4, 2, 14, 3, 51, tzinfo=dt.UTC)
    assert deliver(brand, REAL_ORDER, webhook_id="late-create").status_code == 200
    assert Conversion.objects.get().source_updated_at == newer


def test_the_orders_cancelled_topic_without_cancelled_at_is_an_update(brand, deliver) -> None:
    deliver(brand, REAL_ORDER, webhook_id="a", topic="orders/cancelled")
    conversion = Conversion.objects.get()
    assert not conversion.is_cancelled and conversion.amount == Decimal("597.00")


def test_an_order_without_updated_at_is_ordered_by_created_at(brand, deliver) -> None:
    deliver(brand, ORDER)  # the small fixture has no updated_at
    assert Conversion.objects.get().source_updated_at == dt.datetime(
        2026, 10, 14, 22, 22, 5, tzinfo=dt.UTC
    )


def test_a_wrongly_shaped_payload_is_a_400_recorded_on_the_delivery(brand, deliver) -> None:
    response = deliver(brand, {**ORDER, "note_attributes": 5})
    assert response.status_code == 400
    assert "note_attributes" in response.json()["detail"]
    delivery = WebhookDelivery.objects.get()
    assert "note_attributes" in delivery.error and delivery.processed_at is not None
    assert not Conversion.objects.exists()
