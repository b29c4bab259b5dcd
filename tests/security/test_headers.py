"""Security headers and host checking, as a browser and a load balancer see them."""

from __future__ import annotations

import pytest
from django.test import Client


def test_pages_send_a_strict_content_security_policy(client_for, team):
    response = client_for(team.viewer).get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives.get("script-src", "'self'")
    assert "'unsafe-inline'" not in directives.get("style-src", "'self'")
    assert directives["frame-ancestors"] == "'none'"


def test_pages_cannot_be_framed(client_for, team):
    assert client_for(team.viewer).get("/")["X-Frame-Options"] == "DENY"


def test_responses_forbid_content_sniffing(client, db):
    assert client.get("/accounts/login/")["X-Content-Type-Options"] == "nosniff"


def test_a_bad_host_header_is_a_400(db):
    response = Client(HTTP_HOST="evil.example").get("/accounts/login/")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_production_settings_send_hsts_and_secure_cookies(settings, db, path):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = Client().get(path, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    if path == "/accounts/login/":
        assert response.cookies["csrftoken"]["secure"]


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
