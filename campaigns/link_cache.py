"""The tracking-link lookup cache: slug → what the `/r/` redirect needs, without a query per click.

Three layers: a few seconds in process (``LOCAL_CACHE_SECONDS``), ``LINK_CACHE_SECONDS`` in the
shared cache, else the database. Unknown, disabled and unsafe links are cached as missing.
``forget_link`` drops a slug from both layers after a link changed; the link services call it
on commit, and the redirect (``metrics.tracking.redirect``) reads through ``cached_link``.
Reads campaigns models only.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import cache

from campaigns.links import destination_error, destination_for

logger = logging.getLogger(__name__)

LINK_CACHE_SECONDS = 30
LOCAL_CACHE_SECONDS = 5.0
_MISSING = "missing"


def link_cache_key(slug: str) -> str:
    return f"fb:link:{slug}"


def load_link(slug: str) -> dict[str, Any] | None:
    """The redirect data of an active link with a safe destination, from the database."""
    from campaigns.models import TrackingLink

    link = (
        TrackingLink.objects.filter(slug=slug, is_active=True)
        .select_related("partnership__campaign")
        .only(
            "pk", "destination_url", "utm_source", "utm_medium", "utm_campaign", "utm_content",
            "utm_term", "partnership__campaign__brand_id", "partnership__campaign_id",
            "partnership_id",
        )
        .first()
    )
    if link is None or destination_error(link.destination_url):
        # An unsafe destination stored before validation existed is never served.
        return None
    return {
        "id": link.pk,
        "destination": destination_for(link, None),
        "partnership_id": link.partnership_id,
        "campaign_id": link.partnership.campaign_id,
        "brand_id": link.partnership.campaign.brand_id,
    }


_local: dict[str, tuple[float, dict[str, Any] | None]] = {}
_local_lock = threading.Lock()


def cached_link(slug: str) -> dict[str, Any] | None:
    """The link's redirect data: a few seconds in process, ``LINK_CACHE_SECONDS`` in the
    shared cache, else the database. Unknown slugs are cached too (as missing)."""
    now = time.monotonic()
    hit = _local.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = link_cache_key(slug)
    try:
        data = cache.get(key)
    except Exception as exc:  # a sick cache must not break redirects
        logger.warning("link cache unavailable: %s", exc)
        data = None
        cache_ok = False
    else:
        cache_ok = True
    if data is None:
        data = load_link(slug) or _MISSING
        if cache_ok:
            try:
                cache.set(key, data, LINK_CACHE_SECONDS)
            except Exception as exc:
                logger.warning("link cache unavailable: %s", exc)
    value = None if data == _MISSING else data
    with _local_lock:
        if len(_local) > 10_000:
            _local.clear()
        _local[slug] = (now + LOCAL_CACHE_SECONDS, value)
    return value


def forget_link(slug: str) -> None:
    """Drop a link from the caches after it changed (edited destination, disabled, deleted).

    Other processes still hold it for at most ``LOCAL_CACHE_SECONDS``."""
    _local.pop(slug, None)
    try:
        cache.delete(link_cache_key(slug))
    except Exception as exc:
        logger.warning("link cache unavailable: %s", exc)


def clear_local_cache() -> None:
    """Empty this process's layer (tests, and anything that must see the shared cache)."""
    with _local_lock:
        _local.clear()
