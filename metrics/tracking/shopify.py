"""Shopify deliveries → conversions and refunds.

- revenue is ``subtotal_price`` (after discounts, before tax and shipping) in ``currency``;
  the ``current_*`` fields already net out refunds, so they are not used;
- ``created_at`` is the time; test orders are ignored;
- ``cancelled_at`` in the body marks the order cancelled (the topic header is not signed, so it
  only routes); an order payload whose ``updated_at`` is older than the stored one is ignored;
- ``discount_codes[].code`` are the promo codes, ``landing_site`` the landing URL,
  ``note_attributes`` may carry ``fb_click``;
- a refund subtracts its ``refund_line_items`` subtotals, or, only when it lists none, its
  successful ``refund`` transactions less its ``shipping_refund`` order adjustments (revenue
  is before shipping, so a shipping-only refund subtracts nothing);
- refunds arrive as ``refunds/create`` and inside order payloads (``refunds[]``); both go into
  one ledger, once per refund id, whichever comes first.
Ids are kept as text (they exceed 2^53). A value of the wrong type anywhere is a
``PayloadError``: the webhook answers 400 and the delivery keeps the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from campaigns.links import is_safe_destination, parse_landing
from campaigns.models import Brand, currency_code
from metrics.models import Conversion, EventKind, Source, WebhookDelivery
from metrics.services.conversions import ConversionItem, conversions_ingest, refund_record

logger = logging.getLogger(__name__)

ORDER_TOPICS = ("orders/create", "orders/paid", "orders/updated", "orders/cancelled")
REFUND_TOPIC = "refunds/create"
TOPICS = (*ORDER_TOPICS, REFUND_TOPIC)
WAITING_FOR_ORDER = "waiting for the order"


class PayloadError(ValueError):
    """The payload lacks something we need or has a value of the wrong type; the delivery
    keeps the message as its error and the webhook is answered with a 400."""


def _shown(value: Any) -> str:
    # Error messages end up in the answer and the delivery row: keep them short.
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _money(value: Any, name: str, *, signed: bool = False) -> Decimal:
    """An amount ≥ 0 (any sign with ``signed``: order adjustments are negative)."""
    if isinstance(value, dict):  # a Shopify MoneyBag ({"shop_money": {"amount": ...}})
        shop_money = value.get("shop_money")
        value = shop_money.get("amount") if isinstance(shop_money, dict) else None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PayloadError(f"{name} is not an amount: {_shown(value)}")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PayloadError(f"{name} is not an amount: {_shown(value)}") from None
    if not amount.is_finite() or (amount < 0 and not signed):
        raise PayloadError(f"{name} is not an amount: {_shown(value)}")
    return amount


def _time(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str):
        raise PayloadError(f"{name} is not a date-time: {_shown(value)}")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{name} is not a date-time: {_shown(value)}") from None
    if moment.tzinfo is None:
        raise PayloadError(f"{name} has no time zone: {_shown(value)}")
    try:
        return moment.astimezone(dt.UTC)  # the database stores UTC: year 9999 at -14:00 is not
    except OverflowError:
        raise PayloadError(f"{name} is out of range: {_shown(value)}") from None


def _id(value: Any, name: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PayloadError(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PayloadError(f"{name} is not an id: {_shown(value)}")
    text = str(value).strip()
    if len(text) > 100:
        raise PayloadError(f"{name} is longer than 100 characters")
    return text


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(f"{name} is not text: {_shown(value)}")
    return value.strip()


def _objects(value: Any, name: str) -> list[dict[str, Any]]:
    """A list of JSON objects (``null`` is an empty list)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{name} is not a list: {_shown(value)}")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise PayloadError(f"{name}[{index}] is not an object: {_shown(entry)}")
    return value


def _landing_url(brand: Brand, landing_site: str) -> str:
    """``landing_site`` is often relative (``/products/x?…``): make it absolute on the brand's
    website so it can be stored; '' when that gives no valid http(s) URL."""
    if not landing_site:
        return ""
    try:
        if urlsplit(landing_site).scheme:
            url = landing_site
        elif brand.website:
            url = urljoin(brand.website, landing_site)
        else:
            return ""
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return ""
    return url if is_safe_destination(url) else ""


def order_item(brand: Brand, order: dict[str, Any]) -> ConversionItem | None:
    """The conversion an order payload describes, or None for a test order.

    The body alone decides the order's state: it is cancelled only when it has
    ``cancelled_at`` (the unsigned topic header only routes), and its ``updated_at`` (or,
    without one, ``created_at``) orders it against what is stored.
    """
    if order.get("test") is True:
        return None
    note_click = ""
    for index, note in enumerate(_objects(order.get("note_attributes"), "note_attributes")):
        name = _text(note.get("name"), f"note_attributes[{index}].name")
        value = _text(note.get("value"), f"note_attributes[{index}].value")
        if name.lower() == "fb_click" and not note_click:
            note_click = value
    codes = [
        code
        for index, d in enumerate(_objects(order.get("discount_codes"), "discount_codes"))
        if (code := _text(d.get("code"), f"discount_codes[{index}].code"))
    ]
    landing_site = _text(order.get("landing_site"), "landing_site")
    landing = parse_landing(landing_site)
    currency = (_text(order.get("currency"), "currency") or brand.currency).upper()
    try:
        currency_code(currency)
    except ValidationError:
        raise PayloadError(f"currency is not a currency code: {_shown(currency)}") from None
    created_at = _time(order.get("created_at"), "created_at")
    updated_at = order.get("updated_at")
    cancelled_at = order.get("cancelled_at")
    if cancelled_at is not None:
        _time(cancelled_at, "cancelled_at")
    return ConversionItem(
        brand=brand,
        external_id=_id(order.get("id"), "id"),
        kind=EventKind.SALE,
        amount=_money(order.get("subtotal_price"), "subtotal_price"),
        currency=currency,
        occurred_at=created_at,
        codes=codes,
        click_id=landing.fb_click,
        note_click_id=note_click[:32],
        landing_url=_landing_url(brand, landing_site),
        utm_campaign=landing.utm_campaign,
        utm_content=landing.utm_content,
        is_cancelled=cancelled_at is not None,
        source_updated_at=created_at if updated_at is None else _time(updated_at, "updated_at"),
    )


class RefundLine(NamedTuple):
    """A refund for the ledger: its Shopify id, what it takes off revenue, and when."""

    external_id: str
    amount: Decimal
    occurred_at: dt.datetime


def refund_amount(refund: dict[str, Any], where: str = "") -> Decimal:
    """What the refund takes off revenue: its ``refund_line_items`` subtotals, or, only when it
    lists none, its successful ``refund`` transactions less its ``shipping_refund`` order
    adjustments (amount and tax: shipping was never revenue), never below zero. Every entry is
    checked either way; ``where`` prefixes the field names in errors."""
    lines = _objects(refund.get("refund_line_items"), f"{where}refund_line_items")
    transactions = _objects(refund.get("transactions"), f"{where}transactions")
    adjustments = _objects(refund.get("order_adjustments"), f"{where}order_adjustments")
    from_lines = sum(
        (
            _money(line.get("subtotal", line.get("subtotal_set")),
                   f"{where}refund_line_items[{index}].subtotal")
            for index, line in enumerate(lines)
        ),
        Decimal("0"),
    )
    from_transactions = sum(
        (
            _money(t.get("amount"), f"{where}transactions[{index}].amount")
            for index, t in enumerate(transactions)
            if t.get("kind") == "refund" and t.get("status") == "success"
        ),
        Decimal("0"),
    )
    shipping = Decimal("0")
    for index, adjustment in enumerate(adjustments):
        if adjustment.get("kind") != "shipping_refund":
            continue  # e.g. ``refund_discrepancy``: money on the goods, so it stays in
        name = f"{where}order_adjustments[{index}]"
        shipping += abs(_money(adjustment.get("amount", adjustment.get("amount_set")),
                               f"{name}.amount", signed=True))
        tax = adjustment.get("tax_amount", adjustment.get("tax_amount_set"))
        if tax is not None:
            shipping += abs(_money(tax, f"{name}.tax_amount", signed=True))
    if lines:
        return from_lines
    return max(from_transactions - shipping, Decimal("0"))


def refund_line(refund: dict[str, Any], where: str = "") -> RefundLine:
    """A refund object (a ``refunds/create`` body or an entry of an order's ``refunds[]``)."""
    return RefundLine(
        external_id=_id(refund.get("id"), f"{where}id"),
        amount=refund_amount(refund, where),
        occurred_at=_time(refund.get("created_at"), f"{where}created_at"),
    )


def order_refunds(order: dict[str, Any]) -> list[RefundLine]:
    """The refunds an order payload lists (``refunds[]``); none for a test order."""
    if order.get("test") is True:
        return []
    return [
        refund_line(refund, f"refunds[{index}].")
        for index, refund in enumerate(_objects(order.get("refunds"), "refunds"))
    ]


def shopify_payload_check(*, brand: Brand, topic: str, payload: Any) -> None:
    """``PayloadError`` when ``payload`` cannot be applied under ``topic``; reads nothing from
    the database, so the webhook can answer 400 before anything is stored."""
    if not isinstance(payload, dict):
        raise PayloadError("the body is not a JSON object")
    if topic in ORDER_TOPICS:
        order_item(brand, payload)
        order_refunds(payload)
    elif topic == REFUND_TOPIC:
        _id(payload.get("order_id"), "order_id")
        refund_line(payload)


def shopify_delivery_receive(
    *, brand: Brand, webhook_id: str, topic: str, payload: Any
) -> str:
    """Store a verified delivery once per webhook id and have it processed after the commit.

    Returns why the payload is refused ('' when it is accepted). A refused delivery is stored
    too, already processed and with its reason, so the shop owner can see what was dropped; a
    redelivery of an id we already have stores nothing (and is refused again if it was).
    """
    from metrics.tracking.tasks import process_shopify_delivery

    try:
        shopify_payload_check(brand=brand, topic=topic, payload=payload)
        reason = ""
    except PayloadError as exc:
        reason = str(exc)
    delivery = WebhookDelivery(
        brand=brand, webhook_id=webhook_id, topic=topic,
        payload=payload if isinstance(payload, dict) else None, error=reason,
        processed_at=timezone.now() if reason else None,
    )
    delivery.full_clean(exclude=["brand"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            delivery.save()
            if not reason:
                transaction.on_commit(lambda: process_shopify_delivery.delay(delivery.pk))
    except IntegrityError:
        pass  # a redelivery of one we already have
    if reason:
        logger.warning("Shopify delivery %s of brand %s refused: %s", webhook_id, brand.pk,
                       reason)
    return reason


def shopify_delivery_process(*, delivery_id: int) -> None:
    """Process one stored delivery (a no-op when already processed)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("brand__organization")
            .filter(pk=delivery_id, processed_at__isnull=True)
            .first()
        )
        if delivery is None:
            return
        payload = delivery.payload if isinstance(delivery.payload, dict) else {}
        _lock_order(delivery.brand_id, payload)
        try:
            with transaction.atomic():  # a savepoint: a payload that fails writes nothing
                done = _apply(delivery.brand, delivery.topic, payload)
        except (PayloadError, ValidationError) as exc:
            delivery.error = str(exc)
            delivery.processed_at = timezone.now()  # it will not get better by retrying
            delivery.save(update_fields=["error", "processed_at"])
            logger.warning("Shopify delivery %s rejected: %s", delivery.pk, exc)
            return
        if done:
            delivery.processed_at = timezone.now()
            delivery.error = ""
        else:
            delivery.error = WAITING_FOR_ORDER
        delivery.save(update_fields=["error", "processed_at"])
        if done and delivery.topic in ORDER_TOPICS:
            _process_waiting_refunds(delivery.brand, str(payload.get("id", "")))


def _lock_order(brand_id: int, payload: dict[str, Any]) -> None:
    """Serialise deliveries of one order until commit (PostgreSQL), so two deliveries of a new
    order processed at the same moment cannot both insert and let the older one win; a
    refund waits on its order's lock as well. SQLite already serialises writers."""
    if connection.vendor != "postgresql":
        return
    order_id = payload.get("order_id") or payload.get("id")
    key = f"shopify-order:{brand_id}:{order_id}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _apply(brand: Brand, topic: str, payload: dict[str, Any]) -> bool:
    """Apply the payload; False when a refund's order has not arrived yet."""
    if topic in ORDER_TOPICS:
        item = order_item(brand, payload)
        if item is None:
            return True  # a test order
        refunds = order_refunds(payload)
        conversions_ingest(brand=brand, items=[item], source=Source.SHOPIFY)
        # The refunds it lists go into the ledger even when the payload itself is older than
        # the stored order (the ledger dedupes by refund id), so a missed ``refunds/create``
        # never leaves revenue gross.
        if refunds:
            _record_refunds(brand, item.external_id, refunds)
        return True
    if topic == REFUND_TOPIC:
        order_id = _id(payload.get("order_id"), "order_id")
        refund = refund_line(payload)
        if not _record_refunds(brand, order_id, [refund]):
            return False  # applied when the order arrives (Shopify does not promise order)
        return True
    return True  # topics we do not use are acknowledged and left alone


def _record_refunds(brand: Brand, order_id: str, refunds: list[RefundLine]) -> bool:
    """Add ``refunds`` to the order's ledger (each once per refund id); False when the order
    is not stored (yet)."""
    conversion = Conversion.objects.filter(
        brand=brand, source=Source.SHOPIFY, external_id=order_id
    ).first()
    if conversion is None:
        return False
    for refund in refunds:
        refund_record(
            conversion=conversion, external_id=refund.external_id, amount=refund.amount,
            occurred_at=refund.occurred_at,
        )
    return True


def _process_waiting_refunds(brand: Brand, order_id: str) -> None:
    waiting = WebhookDelivery.objects.filter(
        brand=brand, topic=REFUND_TOPIC, processed_at__isnull=True, error=WAITING_FOR_ORDER
    ).only("pk", "payload")
    for delivery in waiting:
        payload = delivery.payload if isinstance(delivery.payload, dict) else {}
        if str(payload.get("order_id", "")) == order_id:
            shopify_delivery_process(delivery_id=delivery.pk)
