"""`POST /hooks/shopify/<brand key>`: HMAC, dedupe, mapping, refunds, concurrency."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from metrics.models import Conversion, Refund, WebhookDelivery
from metrics.tracking.webhooks import signature_of
from tests import factories as f
from tests.concurrency import race
from tests.metrics.tracking.shopify_support import FIXTURES, ORDER, REFUND, SECRET, post


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

    def send(n: int) -> None:
        statuses.append(post(Client(), brand, ORDER, webhook_id=f"wh-{n % 3}").status_code)

    assert race(send, 10) == []
    assert statuses == [200] * 10
    assert WebhookDelivery.objects.count() == 3
    assert Conversion.objects.count() == 1


# Real payloads as Shopify sends them (numbers as floats, MoneyBags, null landing_site): the
# shape checks must accept every one of them. Copies of Shopify's published samples
# (tests/fixtures/third-party/SOURCES.md), unchanged.
REAL = FIXTURES / "third-party" / "shopify"
REAL_ORDER = json.loads((REAL / "order-450789469.json").read_text())
REAL_ORDER_UPDATED = json.loads((REAL / "order-450789469.note-attributes-updated.json").read_text())
REAL_REFUND = json.loads((REAL / "refund-509562969.json").read_text())


def real(name: str) -> bytes:
    """A sample's bytes, sent as published (no re-serialising: ids stay exact)."""
    return (REAL / name).read_bytes()


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


# --- Refunds listed inside order payloads ---------------------------------------------------
def with_refund(order: dict, refund: dict) -> dict:
    return {**order, "updated_at": "2026-10-20T09:05:00-04:00", "refunds": [refund]}


def test_a_refund_inside_orders_updated_goes_into_the_ledger(brand, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    deliver(brand, with_refund(ORDER, REFUND), webhook_id="updated", topic="orders/updated")
    refund = Refund.objects.get()
    assert (refund.external_id, refund.amount) == ("890088186047892319", Decimal("53.10"))
    assert refund.occurred_at == dt.datetime(2026, 10, 20, 13, 2, 44, tzinfo=dt.UTC)


def test_a_refund_inside_orders_create_goes_into_the_ledger(brand, deliver) -> None:
    deliver(brand, with_refund(ORDER, REFUND), webhook_id="order")
    assert Refund.objects.get().amount == Decimal("53.10")


@pytest.mark.parametrize("first", ["orders/updated", "refunds/create"])
def test_a_refund_in_an_order_payload_and_in_refunds_create_counts_once(
    brand, deliver, first: str
) -> None:
    deliver(brand, ORDER, webhook_id="order")
    sends = {
        "orders/updated": lambda: deliver(brand, with_refund(ORDER, REFUND), webhook_id="upd",
                                          topic="orders/updated"),
        "refunds/create": lambda: deliver(brand, REFUND, webhook_id="ref",
                                          topic="refunds/create"),
    }
    second = next(topic for topic in sends if topic != first)
    assert sends[first]().status_code == 200
    assert sends[second]().status_code == 200
    assert Refund.objects.get().amount == Decimal("53.10")
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()


def test_a_waiting_refund_is_counted_once_when_its_order_arrives_listing_it(
    brand, deliver
) -> None:
    deliver(brand, REFUND, topic="refunds/create", webhook_id="refund")  # before its order
    deliver(brand, with_refund(ORDER, REFUND), webhook_id="order")
    assert Refund.objects.get().amount == Decimal("53.10")
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()


def test_refunds_in_an_older_order_payload_still_reach_the_ledger(brand, deliver) -> None:
    deliver(brand, {**ORDER, "updated_at": "2026-10-25T00:00:00Z"}, webhook_id="newer")
    late = {**with_refund(ORDER, REFUND), "subtotal_price": "1.00"}  # updated_at 20 Oct
    deliver(brand, late, webhook_id="older", topic="orders/updated")
    conversion = Conversion.objects.get()
    assert conversion.amount == Decimal("106.20")  # the older order state is not applied
    assert conversion.refunds.get().amount == Decimal("53.10")  # its refund is


def test_a_test_order_records_no_refund(brand, deliver) -> None:
    deliver(brand, {**with_refund(ORDER, REFUND), "test": True})
    assert not Conversion.objects.exists() and not Refund.objects.exists()


def test_a_wrongly_shaped_refund_inside_an_order_is_a_400_naming_it(brand, deliver) -> None:
    broken = with_refund(ORDER, {**REFUND, "created_at": "yesterday"})
    response = deliver(brand, broken)
    assert response.status_code == 400
    assert "refunds[0].created_at" in response.json()["detail"]
    assert not Conversion.objects.exists()


# --- Shipping is not revenue -----------------------------------------------------------------
def shipping_refund(amount: str, tax: str = "0.00") -> dict:
    return {"kind": "shipping_refund", "amount": f"-{amount}", "tax_amount": f"-{tax}",
            "reason": "Shipping refund"}


def test_a_shipping_only_refund_leaves_revenue_unchanged(brand, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    refund = {**REFUND, "refund_line_items": [],
              "transactions": [{"kind": "refund", "status": "success", "amount": "7.50"}],
              "order_adjustments": [shipping_refund("7.00", tax="0.50")]}
    deliver(brand, refund, topic="refunds/create", webhook_id="refund")
    assert Refund.objects.get().amount == Decimal("0.00")


def test_a_mixed_refund_subtracts_only_its_non_shipping_part(brand, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    refund = {**REFUND, "refund_line_items": [],
              "transactions": [{"kind": "refund", "status": "success", "amount": "30.00"}],
              "order_adjustments": [
                  shipping_refund("5.00", tax="0.40"),
                  {"kind": "refund_discrepancy", "amount": "-2.00", "tax_amount": "0.00"},
              ]}
    deliver(brand, refund, topic="refunds/create", webhook_id="refund")
    assert Refund.objects.get().amount == Decimal("24.60")  # 30.00 − (5.00 + 0.40)


def test_line_item_refunds_ignore_shipping_adjustments(brand, deliver) -> None:
    deliver(brand, ORDER, webhook_id="order")
    refund = {**REFUND, "order_adjustments": [shipping_refund("5.00")]}
    deliver(brand, refund, topic="refunds/create", webhook_id="refund")
    assert Refund.objects.get().amount == Decimal("53.10")  # subtotals never held shipping


# --- Shopify's published samples, replayed --------------------------------------------------
def net(conversion: Conversion) -> Decimal:
    return conversion.amount - sum((r.amount for r in conversion.refunds.all()), Decimal("0"))


def test_the_published_orders_create_sample_is_a_test_order_and_ignored(brand, deliver) -> None:
    response = deliver(brand, real("orders-create.shopify-sample.json"))
    assert response.status_code == 200
    assert not Conversion.objects.exists() and not Refund.objects.exists()
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None and delivery.error == ""


def test_the_docs_order_is_revenue_net_of_the_refund_it_lists(brand, deliver) -> None:
    assert deliver(brand, real("order-450789469.json")).status_code == 200
    conversion = Conversion.objects.get()
    assert (conversion.external_id, conversion.currency) == ("450789469", "USD")
    assert conversion.amount == Decimal("597.00")  # subtotal_price: before tax and shipping
    assert conversion.occurred_at == dt.datetime(2008, 1, 10, 16, 0, tzinfo=dt.UTC)
    assert conversion.promo_code == "TENOFF" and conversion.attribution == "unattributed"
    assert not conversion.is_cancelled
    refund = conversion.refunds.get()  # refunds[] of the order payload
    assert (refund.external_id, refund.amount) == ("509562969", Decimal("391.33"))
    assert net(conversion) == Decimal("205.67")


@pytest.mark.parametrize(
    "sequence",
    [
        # (file, topic) in delivery order
        [("order-450789469.json", "orders/create"), ("refund-509562969.json", "refunds/create"),
         ("order-450789469.note-attributes-updated.json", "orders/updated")],
        [("refund-509562969.json", "refunds/create"), ("order-450789469.json", "orders/create")],
        [("order-450789469.note-attributes-updated.json", "orders/updated"),
         ("order-450789469.json", "orders/create"), ("refund-509562969.json", "refunds/create")],
    ],
    ids=["order-refund-update", "refund-before-order", "update-before-create"],
)
def test_the_docs_refund_is_counted_once_however_it_arrives(
    brand, deliver, sequence: list[tuple[str, str]]
) -> None:
    for index, (name, topic) in enumerate(sequence):
        assert deliver(brand, real(name), topic=topic, webhook_id=f"d{index}").status_code == 200
    conversion = Conversion.objects.get()
    assert conversion.refunds.get().amount == Decimal("391.33")
    assert net(conversion) == Decimal("205.67")
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
    assert not WebhookDelivery.objects.exclude(error="").exists()


def test_the_docs_refunds_of_nothing_and_of_shipping_take_nothing_off(brand, deliver) -> None:
    deliver(brand, real("order-450789469.json"), webhook_id="order")
    # 929361466 lists one line item with a 0.00 subtotal (its 41.94 transaction is not read);
    # 929361467 refunds 5.00 of shipping only.
    for name in ("refund-929361466.json", "refund-929361467.json"):
        response = deliver(brand, real(name), topic="refunds/create", webhook_id=name)
        assert response.status_code == 200
    conversion = Conversion.objects.get()
    amounts = {r.external_id: r.amount for r in conversion.refunds.all()}
    assert amounts == {
        "509562969": Decimal("391.33"), "929361466": Decimal("0.00"),
        "929361467": Decimal("0.00"),
    }
    assert net(conversion) == Decimal("205.67")


def test_the_docs_order_as_orders_cancelled_without_cancelled_at_stays_counted(
    brand, deliver
) -> None:
    deliver(brand, real("order-450789469.json"), topic="orders/cancelled")
    assert not Conversion.objects.get().is_cancelled


@pytest.mark.parametrize(
    ("name", "currency", "amount"),
    [
        ("order-1073459962.json", "USD", "255.92"),
        ("order-1073459975.json", "EUR", "224.97"),  # the shop currency, not the brand's
        ("order-1073459981.json", "USD", "181.09"),
        ("order-1073459984.json", "USD", "199.00"),
    ],
)
def test_the_docs_new_orders_are_sales_in_their_own_currency(
    brand, deliver, name: str, currency: str, amount: str
) -> None:
    assert deliver(brand, real(name)).status_code == 200
    conversion = Conversion.objects.get()
    assert conversion.external_id == name.removeprefix("order-").removesuffix(".json")
    assert (conversion.currency, conversion.amount) == (currency, Decimal(amount))
    assert conversion.kind == "sale" and not conversion.is_cancelled
    assert not conversion.refunds.exists()


def test_the_docs_order_with_fake30_goes_to_the_partnership_owning_that_code(
    brand, deliver
) -> None:
    # Adapted data, not payload: this brand's creator owns the sample's code FAKE30.
    partnership = f.PartnershipFactory(campaign__brand=brand)
    f.PromoCodeFactory(partnership=partnership, code="fake30")
    deliver(brand, real("order-1073459981.json"))
    conversion = Conversion.objects.get()
    assert conversion.promo_code == "FAKE30"
    assert (conversion.partnership, conversion.attribution) == (partnership, "promo_code")


# --- UTM as found in the wild: no utm_content, parameters after '#' --------------------------
def utm_order(landing_site: str) -> dict:
    return {**ORDER, "discount_codes": [], "landing_site": landing_site}


def test_an_order_with_utm_campaign_alone_goes_to_the_one_partnership_using_it(
    brand, mia, deliver
) -> None:
    f.TrackingLinkFactory(partnership=mia, utm_campaign="fall-glow", utm_content="mia")
    f.TrackingLinkFactory(partnership=mia, utm_campaign="fall-glow", utm_content="")
    deliver(brand, utm_order("/products/serum#utm_source=ig&utm_campaign=Fall-Glow"))
    conversion = Conversion.objects.get()
    assert (conversion.partnership, conversion.attribution) == (mia, "utm")
    assert (conversion.utm_campaign, conversion.utm_content) == ("Fall-Glow", "")


def test_an_order_with_a_utm_campaign_shared_by_two_partnerships_says_why_not(
    brand, mia, deliver
) -> None:
    from metrics.tracking.attribution_candidates import explain_many, facts_for

    zoe = f.PartnershipFactory(campaign=mia.campaign)
    f.TrackingLinkFactory(partnership=mia, utm_campaign="fall-glow", utm_content="mia")
    f.TrackingLinkFactory(partnership=zoe, utm_campaign="fall-glow", utm_content="zoe")
    deliver(brand, utm_order("/products/serum?utm_campaign=fall-glow"))
    conversion = Conversion.objects.get()
    assert conversion.partnership is None and conversion.attribution == "unattributed"
    fact = facts_for(brand_id=brand.pk, occurred_at=conversion.occurred_at,
                     landing_url=conversion.landing_url)
    [reasons] = explain_many(brand, [fact])
    utm = reasons[-1]
    assert not utm.matched and "links of 2 partnerships" in utm.text
