"""Celery tasks of the tracking side: the click-buffer drain and Shopify delivery processing."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(name="metrics.tasks.drain_click_buffer", ignore_result=True)
def drain_click_buffer() -> int:
    """Move buffered `/r/` clicks from Redis into the database (a no-op in embedded mode,
    where the redirect writes clicks directly)."""
    if not settings.REDIS_URL:
        return 0
    from metrics.tracking.clicks import drain

    return drain()


@shared_task(name="metrics.tasks.process_shopify_delivery", ignore_result=True)
def process_shopify_delivery(delivery_id: int) -> None:
    """Turn a stored Shopify delivery into conversions or refunds (idempotent)."""
    from metrics.tracking.shopify import shopify_delivery_process

    shopify_delivery_process(delivery_id=delivery_id)
