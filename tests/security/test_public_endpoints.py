"""The public ingestion endpoints against an outsider: the pixel (brand keys are public),
Shopify webhooks (signed, but replayable, with an unsigned topic header) and JSON bodies.

Each test replays one step of an attacker's probe: the pixel must not reach another source's
records, hostile bodies are a 4xx naming the field (never a 500, never a half-written row),
an old order payload cannot roll an order back, and the pixel has a request budget.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from config.parsers import MAX_JSON_DEPTH, JSONTooDeep, json_loads
from metrics.models import Conversion, Refund, Source, Visit, WebhookDelivery
from metrics.tracking.shopify import shopify_delivery_process
from tests import factories as f
from tests.metrics.tracking.shopify_support import ORDER, REFUND, SECRET, post

ORIGIN = "https://brand.example"


@pytest.fixture
def brand(db):
    return f.BrandFactory(
        website="https://brand.example/", currency="EUR", shopify_webhook_secret=SECRET
    )


def pixel(brand, body: Any, **extra: str):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client().post(f"/t/{brand.key}/event", data=data, content_type="text/plain",
                         HTTP_ORIGIN=ORIGIN, **extra)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(Client(), *args, **kwargs)

    return send


# --- 1. The pixel reaches only pixel records ------------------------------------------------
def test_the_pixel_cannot_turn_a_shopify_sale_into_a_signup(brand) -> None:
    sale = f.ConversionFactory(brand=brand, external_id="5987234019871234567",
                               amount=Decimal("64.60"), source=Source.SHOPIFY)
    response = pixel(brand, {"type": "signup", "event_id": "5987234019871234567"})
    assert response.status_code == 204
    sale.refresh_from_db()
    assert (sale.kind, sale.amount, sale.source) == ("sale", Decimal("64.60"), "shopify")
    # The pixel's event is a record of its own, beside the order.
    assert Conversion.objects.get(source="pixel").kind == "signup"


@pytest.mark.parametrize("source", [Source.API, Source.CSV, Source.MANUAL])
def test_the_pixel_cannot_change_a_conversion_of_any_other_source(brand, source) -> None:
    original = f.ConversionFactory(brand=brand, external_id="o-1", source=source)
    pixel(brand, {"type": "lead", "event_id": "o-1", "url": "https://brand.example/x"})
    original.refresh_from_db()
    assert original.kind == "sale" and original.amount == Decimal("100.00")
    assert original.landing_url == ""


def test_the_pixel_cannot_rewrite_an_api_visit(brand) -> None:
    visit = f.VisitFactory(brand=brand, external_id="evt-1", source=Source.API,
                           landing_url="https://brand.example/real")
    response = Client().get(f"/t/{brand.key}/p.gif",
                            {"type": "visit", "eid": "evt-1", "url": "https://brand.example/fake"})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.landing_url == "https://brand.example/real" and visit.source == "api"
    assert Visit.objects.filter(source="pixel").count() == 1


def test_a_pixel_event_resent_with_the_same_id_is_a_duplicate_and_the_first_write_wins(
    brand,
) -> None:
    first = pixel(brand, {"type": "signup", "event_id": "e-1", "utm_campaign": "spring"})
    again = pixel(brand, {"type": "trial", "event_id": "e-1", "utm_campaign": "other"})
    assert first.status_code == again.status_code == 204  # a duplicate tells nothing more
    conversion = Conversion.objects.get()
    assert conversion.kind == "signup" and conversion.utm_campaign == "spring"
    pixel(brand, {"type": "visit", "event_id": "v-1", "url": "https://brand.example/a"})
    pixel(brand, {"type": "visit", "event_id": "v-1", "url": "https://brand.example/b"})
    assert Visit.objects.get().landing_url == "https://brand.example/a"


# --- 5. No 500 from outsiders, no half-written rows -----------------------------------------
def test_a_pixel_body_nested_a_thousand_deep_is_a_400(brand) -> None:
    response = pixel(brand, "[" * 1000)
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.parametrize("field", ["visitor_id", "utm_campaign", "utm_content", "event_id",
                                   "click_id", "url", "referrer", "type"])
@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"])
def test_nul_or_a_lone_surrogate_in_a_pixel_field_is_a_400_naming_it(brand, field, bad) -> None:
    body = {"type": "visit", field: bad} if field != "type" else {"type": bad}
    # json.dumps escapes both as \u sequences, as a hostile client would send them.
    response = pixel(brand, json.dumps(body))
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert not Visit.objects.exists() and not Conversion.objects.exists()


@pytest.mark.parametrize("query", ["vid=a%00b", "utm_campaign=%00", "eid=x%00"])
def test_nul_in_the_image_pixel_query_is_a_400(brand, query) -> None:
    response = Client().get(f"/t/{brand.key}/p.gif?type=visit&{query}")
    assert response.status_code == 400
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/t/a%00b/event"), ("get", "/t/a%00b/p.gif?type=visit"),
     ("get", "/t/a%00b/pixel.js"), ("post", "/hooks/shopify/a%00b"),
     ("post", "/t/key%0A/event")],
)
def test_a_nul_in_the_brand_key_of_the_path_is_a_404_not_a_500(db, method, path) -> None:
    # PostgreSQL refuses a NUL in a query: the key must be rejected before it reaches one.
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(path)
    assert response.status_code == 404


PIXEL_FIELDS = ["type", "url", "referrer", "visitor_id", "click_id", "event_id", "utm_campaign",
                "utm_content"]
NASTY = st.one_of(
    st.sampled_from(["\x00", "\ud800", "\udfff", "x" * 3000, "http://[::1", "http://a b",
                     "https://brand.example/\x00", "ftp://x", "visit\x00", ""]),
    st.integers(), st.floats(), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers()),
    st.text(max_size=50),
)


def test_fuzzed_pixel_fields_are_never_a_500_nor_a_partial_write(brand, settings_override):
    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(field=st.sampled_from(PIXEL_FIELDS), value=NASTY,
           kind=st.sampled_from(["visit", "signup"]))
    def check(field: str, value: Any, kind: str) -> None:
        before = (Visit.objects.count(), Conversion.objects.count())
        response = pixel(brand, json.dumps({"type": kind, field: value}))
        assert response.status_code in (204, 400), (field, value, response.content[:200])
        if response.status_code == 400:
            assert (Visit.objects.count(), Conversion.objects.count()) == before

    check()


@pytest.fixture
def settings_override(settings):
    """Generous pixel budgets for tests that send many events."""
    settings.FUNNELBOARD_PIXEL_RATE_PER_IP = "100000/min"
    settings.FUNNELBOARD_PIXEL_RATE_PER_KEY = "100000/min"
    return settings


def test_the_json_reader_refuses_nesting_beyond_its_limit() -> None:
    assert json_loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(JSONTooDeep):
        json_loads("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(JSONTooDeep):
        json_loads('{"a":' * 100_000 + "1" + "}" * 100_000)  # deeper than Python's stack
    with pytest.raises(ValueError):
        json_loads("[NaN]")


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 2000])
def test_an_api_body_nested_too_deep_is_a_400(team, api_client_for, depth) -> None:
    client = api_client_for(team.organization, Role.OWNER)
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/conversions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper" in json.dumps(response.json())
    assert not Conversion.objects.exists()


ORDER_SHAPES = [
    ({"note_attributes": 5}, "note_attributes"),
    ({"note_attributes": [5]}, "note_attributes[0]"),
    ({"note_attributes": [{"name": "fb_click", "value": {"x": 1}}]}, "note_attributes[0].value"),
    ({"discount_codes": "MIA10"}, "discount_codes"),
    ({"discount_codes": [{"code": 10}]}, "discount_codes[0].code"),
    ({"landing_site": ["/"]}, "landing_site"),
    ({"currency": 840}, "currency"),
    ({"currency": "dollars"}, "currency"),
    ({"subtotal_price": {"shop_money": []}}, "subtotal_price"),
    ({"subtotal_price": True}, "subtotal_price"),
    ({"subtotal_price": "-5.00"}, "subtotal_price"),
    ({"created_at": 1760000000}, "created_at"),
    ({"created_at": "9999-12-31T23:59:59-14:00"}, "created_at"),
    ({"updated_at": "yesterday"}, "updated_at"),
    ({"cancelled_at": 5}, "cancelled_at"),
    ({"id": {"x": 1}}, "id"),
    ({"id": "9" * 101}, "id"),
]


@pytest.mark.parametrize(("change", "field"), ORDER_SHAPES)
def test_a_signed_order_of_the_wrong_shape_is_a_400_recorded_with_its_reason(
    brand, deliver, change, field
) -> None:
    response = deliver(brand, {**ORDER, **change})
    assert response.status_code == 400
    assert field in response.json()["detail"]
    delivery = WebhookDelivery.objects.get()
    assert field in delivery.error and delivery.processed_at is not None
    assert not Conversion.objects.exists()


REFUND_SHAPES = [
    ({"refund_line_items": [5]}, "refund_line_items[0]"),
    ({"refund_line_items": 5}, "refund_line_items"),
    ({"transactions": ["x"]}, "transactions[0]"),
    ({"refund_line_items": [], "transactions": [{"kind": "refund", "status": "success",
                                                 "amount": {"shop_money": 5}}]},
     "transactions[0].amount"),
    ({"order_id": [1]}, "order_id"),
]


@pytest.mark.parametrize(("change", "field"), REFUND_SHAPES)
def test_a_signed_refund_of_the_wrong_shape_is_a_400_and_writes_nothing(
    brand, deliver, change, field
) -> None:
    deliver(brand, ORDER, webhook_id="order")
    response = deliver(brand, {**REFUND, **change}, topic="refunds/create", webhook_id="r")
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert field in WebhookDelivery.objects.get(webhook_id="r").error
    assert not Refund.objects.exists()
    # Shopify retries a 4xx under the same delivery id: the same answer, nothing stored twice.
    again = deliver(brand, {**REFUND, **change}, topic="refunds/create", webhook_id="r")
    assert again.status_code == 400 and WebhookDelivery.objects.count() == 2


def test_a_delivery_that_fails_while_processing_leaves_nothing_half_written(
    brand, monkeypatch
) -> None:
    """Whatever fails after the first write (here: right after the refund row is written), the
    task rolls the delivery's writes back and records the reason."""
    from django.core.exceptions import ValidationError

    from metrics.tracking import shopify

    conversion = f.ConversionFactory(brand=brand, external_id=str(REFUND["order_id"]),
                                     source=Source.SHOPIFY)
    delivery = f.WebhookDeliveryFactory(brand=brand, topic="refunds/create", payload=REFUND)
    real_record = shopify.refund_record

    def record_then_fail(**kwargs: Any) -> Any:
        real_record(**kwargs)
        raise ValidationError({"amount": ["failed after the first write"]})

    monkeypatch.setattr(shopify, "refund_record", record_then_fail)
    shopify_delivery_process(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "failed after the first write" in delivery.error
    assert delivery.processed_at is not None
    assert not Refund.objects.filter(conversion=conversion).exists()


def test_a_signed_body_with_a_nul_or_nested_too_deep_is_a_400_and_stores_nothing(
    brand, deliver
) -> None:
    nul = json.dumps({**ORDER, "note": "a\x00b"}).encode()
    assert deliver(brand, nul).status_code == 400
    deep = b'{"id": 1, "x": ' + b"[" * 2000 + b"]" * 2000 + b"}"
    assert deliver(brand, deep, webhook_id="deep").status_code == 400
    assert not WebhookDelivery.objects.exists()


# --- 6. Replays and the unsigned topic header ------------------------------------------------
def _order(amount: str, updated_at: str, **extra: Any) -> dict[str, Any]:
    return {**ORDER, "subtotal_price": amount, "updated_at": updated_at, **extra}


def test_a_captured_create_replayed_after_an_update_does_not_restore_the_old_amount(
    brand, deliver
) -> None:
    created = _order("64.60", "2026-10-14T18:22:05-04:00")
    deliver(brand, created, webhook_id="a", topic="orders/create")
    deliver(brand, _order("50.00", "2026-10-15T09:00:00-04:00"), webhook_id="b",
            topic="orders/updated")
    assert deliver(brand, created, webhook_id="replay", topic="orders/create").status_code == 200
    conversion = Conversion.objects.get()
    assert conversion.amount == Decimal("50.00")
    assert conversion.source_updated_at == dt.datetime(2026, 10, 15, 13, tzinfo=dt.UTC)


def test_the_topic_header_alone_cannot_cancel_an_order(brand, deliver) -> None:
    body = _order("64.60", "2026-10-14T18:22:05-04:00")
    deliver(brand, body, webhook_id="a", topic="orders/create")
    deliver(brand, body, webhook_id="swap", topic="orders/cancelled")
    assert not Conversion.objects.get().is_cancelled


def test_cancelled_at_in_the_body_cancels_under_any_order_topic(brand, deliver) -> None:
    deliver(brand, _order("64.60", "2026-10-14T18:22:05-04:00"), webhook_id="a")
    deliver(brand, _order("64.60", "2026-10-15T10:00:00-04:00",
                          cancelled_at="2026-10-15T10:00:00-04:00"),
            webhook_id="b", topic="orders/updated")
    assert Conversion.objects.get().is_cancelled


def test_a_refund_finds_only_the_shopify_order_not_a_pixel_event_with_its_id(
    brand, deliver
) -> None:
    pixel(brand, {"type": "signup", "event_id": str(REFUND["order_id"])})
    deliver(brand, REFUND, topic="refunds/create", webhook_id="refund")
    assert not Refund.objects.exists()  # waits for the order, not the pixel's record
    deliver(brand, ORDER, webhook_id="order")
    assert Refund.objects.get().conversion.source == "shopify"


# --- 9. The pixel's request budgets ----------------------------------------------------------
@pytest.fixture
def tight(settings, pinned_budget_clock):
    settings.FUNNELBOARD_PIXEL_RATE_PER_IP = "3/min"
    settings.FUNNELBOARD_PIXEL_RATE_PER_KEY = "100000/min"
    settings.TRUSTED_PROXIES = []
    return settings


def test_one_address_gets_a_429_with_retry_after_beyond_its_budget(brand, tight) -> None:
    statuses = [pixel(brand, {"type": "visit"}).status_code for _ in range(3)]
    assert statuses == [204, 204, 204]
    refused = pixel(brand, {"type": "visit"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Visit.objects.count() == 3
    image = Client().get(f"/t/{brand.key}/p.gif", {"type": "visit"})
    assert image.status_code == 429
    # Another address has its own budget.
    assert pixel(brand, {"type": "visit"}, REMOTE_ADDR="198.51.100.7").status_code == 204


def test_a_forged_x_forwarded_for_does_not_buy_a_new_budget(brand, tight) -> None:
    for n in range(3):
        pixel(brand, {"type": "visit"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    refused = pixel(brand, {"type": "visit"}, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert refused.status_code == 429


def test_behind_a_configured_proxy_each_client_address_has_its_budget(brand, tight) -> None:
    tight.TRUSTED_PROXIES = ["10.0.0.0/8"]
    via = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        assert pixel(brand, {"type": "visit"}, HTTP_X_FORWARDED_FOR="203.0.113.1",
                     **via).status_code == 204
    assert pixel(brand, {"type": "visit"}, HTTP_X_FORWARDED_FOR="203.0.113.1",
                 **via).status_code == 429
    assert pixel(brand, {"type": "visit"}, HTTP_X_FORWARDED_FOR="203.0.113.2",
                 **via).status_code == 204


def test_one_brand_key_gets_a_429_beyond_its_budget_whatever_the_address(
    brand, settings, pinned_budget_clock
) -> None:
    settings.FUNNELBOARD_PIXEL_RATE_PER_IP = "100000/min"
    settings.FUNNELBOARD_PIXEL_RATE_PER_KEY = "3/min"
    for n in range(3):
        assert pixel(brand, {"type": "visit"}, REMOTE_ADDR=f"198.51.100.{n}").status_code == 204
    refused = pixel(brand, {"type": "visit"}, REMOTE_ADDR="198.51.100.50")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    other = f.BrandFactory(website="https://brand.example/")
    assert pixel(other, {"type": "visit"}, REMOTE_ADDR="198.51.100.50").status_code == 204
