"""The WSGI entry point (config/wsgi.py) serves /r/ without the full middleware stack — and still
exactly as the redirect must behave: the stored destination, a recorded click, security headers,
404s, 400s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from config.wsgi import application
from metrics.models import Click
from metrics.tracking import clicks
from tests import factories as f

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def call(path: str, method: str = "get", **headers: Any) -> tuple[int, dict[str, str], bytes]:
    environ = getattr(RequestFactory(), method)(path, **headers).environ
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    # As Django's test client does: the test's transaction holds the connection, so the
    # per-request connection housekeeping must not close it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


@pytest.fixture
def link(db):
    return f.TrackingLinkFactory(slug="lean-path", destination_url="https://brand.example/shop?x=1")


def test_it_redirects_to_the_stored_destination_and_records_the_click(link):
    status, headers, _ = call("/r/lean-path?next=https://evil.example", HTTP_USER_AGENT=BROWSER)
    assert status == 302
    location = headers["Location"]
    assert location.startswith("https://brand.example/shop?x=1&utm_source=instagram")
    assert "fb_click=" in location and "evil" not in location
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    if settings.REDIS_URL:  # real mode buffers the click; the drain stores it
        clicks.drain()
    assert Click.objects.filter(link=link).count() == 1


def test_head_redirects_without_counting(link):
    status, _, _ = call("/r/lean-path", method="head", HTTP_USER_AGENT=BROWSER)
    assert status == 302
    assert not Click.objects.exists()


@pytest.mark.parametrize("path", ["/r/nope", "/r/..%2F..%2Fadmin", "/r/a/b", "/r/"])
def test_unknown_or_malformed_slugs_get_the_friendly_404(path, db):
    status, headers, body = call(path, HTTP_USER_AGENT=BROWSER)
    assert status == 404
    assert b"doesn't lead anywhere" in body
    assert "Location" not in headers


def test_a_bad_host_is_a_400(link):
    status, _, _ = call("/r/lean-path", HTTP_HOST="evil.example", HTTP_USER_AGENT=BROWSER)
    assert status == 400
    assert not Click.objects.exists()


def test_other_paths_still_go_through_the_whole_stack(db):
    status, headers, _ = call("/accounts/login/")
    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"]
