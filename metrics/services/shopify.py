"""Shopify deliveries → conversions and refunds (DESIGN.md → Attribution, the Shopify part).

- revenue is ``subtotal_price`` (after discounts, before tax and shipping) in ``currency``;
  the ``current_*`` fields already net out refunds, so they are not used;
- ``created_at`` is the time; test orders are ignored;
- ``orders/cancelled``, or ``cancelled_at`` on any order payload, marks the order cancelled;
- ``discount_codes[].code`` are the promo codes, ``landing_site`` the landing URL,
  ``note_attributes`` may carry ``fb_click``;
- a refund subtracts its ``refund_line_items`` subtotals, or, only when it lists none, its
  successful ``refund`` transactions.
Ids are kept as text (they exceed 2^53).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.links import is_safe_destination, parse_landing
from campaigns.models import Brand
from metrics.models import Conversion, EventKind, Source, WebhookDelivery
from metrics.services.conversions import ConversionItem, conversions_ingest, refund_record

logger = logging.getLogger(__name__)

ORDER_TOPICS = ("orders/create", "orders/paid", "orders/updated", "orders/cancelled")
REFUND_TOPIC = "refunds/create"
TOPICS = (*ORDER_TOPICS, REFUND_TOPIC)
WAITING_FOR_ORDER = "waiting for the order"


class PayloadError(ValueError):
    """The payload lacks something we need; the delivery keeps the message as its error."""


def _money(value: Any, name: str) -> Decimal:
    if isinstance(value, dict):  # a Shopify MoneyBag ({"shop_money": {"amount": ...}})
        value = (value.get("shop_money") or {}).get("amount")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise PayloadError(f"{name} is not an amount: {value!r}") from None
    if not amount.is_finite():
        raise PayloadError(f"{name} is not an amount: {value!r}")
    return amount


def _time(value: Any, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{name} is not a date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise PayloadError(f"{name} has no time zone: {value!r}")
    return moment


def _id(value: Any, name: str) -> str:
    if value is None or isinstance(value, bool) or str(value).strip() == "":
        raise PayloadError(f"{name} is missing")
    return str(value).strip()


def _landing_url(brand: Brand, landing_site: str) -> str:
    """``landing_site`` is often relative (``/products/x?…``): make it absolute on the brand's
    website so it can be stored; '' when that gives no valid http(s) URL."""
    if not landing_site:
        return ""
    if urlsplit(landing_site).scheme:
        url = landing_site
    elif brand.website:
        url = urljoin(brand.website, landing_site)
    else:
        return ""
    return url if is_safe_destination(url) else ""


def order_item(brand: Brand, order: dict[str, Any], *, topic: str) -> ConversionItem | None:
    """The conversion an order payload describes, or None for a test order."""
    if order.get("test") is True:
        return None
    notes = order.get("note_attributes") or []
    note_click = next(
        (
            str(n.get("value") or "").strip()
            for n in notes
            if isinstance(n, dict) and str(n.get("name", "")).strip().lower() == "fb_click"
        ),
        "",
    )
    codes = [
        str(d.get("code") or "").strip()
        for d in order.get("discount_codes") or []
        if isinstance(d, dict) and d.get("code")
    ]
    landing_site = str(order.get("landing_site") or "")
    landing = parse_landing(landing_site)
    currency = str(order.get("currency") or brand.currency).upper()
    return ConversionItem(
        brand=brand,
        external_id=_id(order.get("id"), "id"),
        kind=EventKind.SALE,
        amount=_money(order.get("subtotal_price"), "subtotal_price"),
        currency=currency,
        occurred_at=_time(order.get("created_at"), "created_at"),
        codes=codes,
        click_id=landing.fb_click,
        note_click_id=note_click[:32],
        landing_url=_landing_url(brand, landing_site),
        utm_campaign=landing.utm_campaign,
        utm_content=landing.utm_content,
        is_cancelled=topic == "orders/cancelled" or bool(order.get("cancelled_at")),
    )


def refund_amount(refund: dict[str, Any]) -> Decimal:
    lines = refund.get("refund_line_items") or []
    if lines:
        return sum(
            (_money(line.get("subtotal", line.get("subtotal_set")), "refund_line_items.subtotal")
             for line in lines),
            Decimal("0"),
        )
    return sum(
        (
            _money(t.get("amount"), "transactions.amount")
            for t in refund.get("transactions") or []
            if t.get("kind") == "refund" and t.get("status") == "success"
        ),
        Decimal("0"),
    )


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
        try:
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


def _apply(brand: Brand, topic: str, payload: dict[str, Any]) -> bool:
    """Apply the payload; False when a refund's order has not arrived yet."""
    if topic in ORDER_TOPICS:
        item = order_item(brand, payload, topic=topic)
        if item is not None:
            conversions_ingest(brand=brand, items=[item], source=Source.SHOPIFY)
        return True
    if topic == REFUND_TOPIC:
        order_id = _id(payload.get("order_id"), "order_id")
        conversion = Conversion.objects.filter(brand=brand, external_id=order_id).first()
        if conversion is None:
            return False  # applied when the order arrives (Shopify does not promise order)
        refund_record(
            conversion=conversion,
            external_id=_id(payload.get("id"), "id"),
            amount=refund_amount(payload),
            occurred_at=_time(payload.get("created_at"), "created_at"),
        )
        return True
    return True  # topics we do not use are acknowledged and left alone


def _process_waiting_refunds(brand: Brand, order_id: str) -> None:
    waiting = WebhookDelivery.objects.filter(
        brand=brand, topic=REFUND_TOPIC, processed_at__isnull=True, error=WAITING_FOR_ORDER
    ).only("pk", "payload")
    for delivery in waiting:
        payload = delivery.payload if isinstance(delivery.payload, dict) else {}
        if str(payload.get("order_id", "")) == order_id:
            shopify_delivery_process(delivery_id=delivery.pk)
