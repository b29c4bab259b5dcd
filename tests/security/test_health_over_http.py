"""Load balancers probe `/healthz` and `/readyz` over plain HTTP behind the TLS terminator: under
production settings the probes answer 200 while every other page still redirects to HTTPS, and
the host check stays as strict as everywhere else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory, override_settings

from config import wsgi

production = override_settings(
    DEBUG=False,
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31536000,
    ALLOWED_HOSTS=["funnelboard.example"],
)
HOST = "funnelboard.example"


def wsgi_get(path: str, **headers: Any) -> tuple[int, dict[str, str], bytes]:
    """A plain-HTTP GET through the real WSGI entry point, as gunicorn hands it over. The
    middleware reads its settings when it is built, so Django's handler is rebuilt under the
    production settings in force."""
    environ = RequestFactory().get(path, **headers).environ
    assert environ["wsgi.url_scheme"] == "http"
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    # As Django's test client does: the test's transaction holds the connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    built = wsgi.django_application
    wsgi.django_application = WSGIHandler()
    try:
        response = wsgi.application(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        wsgi.django_application = built
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


@production
@pytest.mark.parametrize(("path", "body"), [("/healthz", b"ok"), ("/readyz", b"ready")])
def test_a_plain_http_probe_gets_200(path, body, db):
    response = Client(HTTP_HOST=HOST).get(path)
    assert response.status_code == 200
    assert response.content == body
    # HSTS is only ever sent over HTTPS; a plain answer must not carry it.
    assert "Strict-Transport-Security" not in response


@production
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_wsgi_entry_point_answers_the_probe_over_http(path, db):
    status, headers, _ = wsgi_get(path, HTTP_HOST=HOST)
    assert status == 200
    assert "Location" not in headers


@production
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/api/v1/campaigns/", "/healthz/x",
                                  "/healthzz", "/xhealthz"])
def test_every_other_path_still_redirects_to_https(path, db):
    response = Client(HTTP_HOST=HOST).get(path)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}{path}"
    status, headers, _ = wsgi_get(path, HTTP_HOST=HOST)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}{path}"


@production
def test_a_probe_behind_the_proxy_over_https_still_gets_hsts(db):
    response = Client(HTTP_HOST=HOST).get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@production
def test_the_host_check_is_not_relaxed_for_probes(db):
    """A probe must name a configured host (most balancers let the health check set Host);
    one addressed by a bare IP that is not in DJANGO_ALLOWED_HOSTS is refused like any
    request."""
    assert Client(HTTP_HOST="10.0.0.7").get("/healthz").status_code == 400
    status, _, _ = wsgi_get("/healthz", HTTP_HOST="10.0.0.7")
    assert status == 400
