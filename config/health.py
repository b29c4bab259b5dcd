"""Liveness and readiness probes for load balancers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready: the database (and Redis, in real mode) answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if settings.REDIS_URL:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except Exception as exc:  # any failure of a dependency means "not ready"
        logger.warning("readiness check failed: %s", exc)
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")
