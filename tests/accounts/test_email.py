"""E-mail addresses: adding one sends a verification link (delivered over real SMTP), only a
verified address becomes the primary one, and the settings pick the mail backend by mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import Role
from accounts.services import invitation_create
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent.parent
EMAIL = reverse("account_email")


def test_a_new_address_is_verified_through_the_delivered_link_then_made_primary(
    client_for, team, smtp_inbox
):
    user = team.manager
    client = client_for(user)
    page = client.get(EMAIL)
    assert page.status_code == 200 and user.email in page.content.decode()

    added = client.post(EMAIL, {"action_add": "", "email": "Manager.New@Example.com"})
    assert added.status_code == 302
    address = EmailAddress.objects.get(user=user, email="manager.new@example.com")
    assert not address.verified and not address.primary

    [delivered] = smtp_inbox.to("manager.new@example.com")
    assert delivered.subject.startswith("[Funnelboard]")
    [confirm_link] = [u for u in delivered.links() if "/confirm-email/" in u]
    path = urlsplit(confirm_link).path
    page = client.get(path)
    assert page.status_code == 200 and "manager.new@example.com" in page.content.decode()
    assert client.post(path).status_code == 302
    address.refresh_from_db()
    assert address.verified

    assert client.post(EMAIL, {"action_primary": "", "email": address.email}).status_code == 302
    user.refresh_from_db()
    assert user.email == "manager.new@example.com"
    # The old primary address is told about the change.
    assert any("acme-manager@example.com" in m.recipients for m in smtp_inbox.messages)


def test_an_unverified_address_cannot_become_primary(client_for, team, smtp_inbox):
    user = team.manager
    client = client_for(user)
    client.post(EMAIL, {"action_add": "", "email": "mia@example.com"})
    response = client.post(EMAIL, {"action_primary": "", "email": "mia@example.com"},
                           follow=True)
    assert "Verify this address" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "acme-manager@example.com"


def test_an_added_unverified_address_does_not_open_an_invitation_for_it(client_for, team,
                                                                       smtp_inbox):
    """Invitations are bound to the account's (primary) e-mail, which only a verified address
    can become: adding someone else's address gains nothing."""
    _, token = invitation_create(access=team.access(), email="mia@example.com", role=Role.ADMIN)
    eve = f.UserFactory(username="eve", email="eve@example.com")
    client = client_for(eve)
    client.post(EMAIL, {"action_add": "", "email": "mia@example.com"})
    client.post(EMAIL, {"action_primary": "", "email": "mia@example.com"})
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 403
    assert not team.organization.memberships.filter(user=eve).exists()


def test_a_bad_confirmation_link_says_so(client_for, team):
    page = client_for(team.viewer).get(reverse("account_confirm_email", args=["nonsense"]))
    assert page.status_code == 200 and "not valid" in page.content.decode()


def _email_settings(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "FUNNELBOARD_", "EMAIL_", "DATABASE_URL",
                                  "DEFAULT_FROM_EMAIL"))}
    code = ("from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, "
            "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, sep='|')")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout.strip()


def test_embedded_mode_prints_mail_and_real_mode_sends_it_over_smtp(tmp_path):
    embedded = _email_settings()
    assert embedded.startswith("django.core.mail.backends.console.EmailBackend|")
    real = _email_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="587", EMAIL_HOST_USER="mailer", EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="true", DEFAULT_FROM_EMAIL="Funnelboard <no-reply@example.com>",
    )
    assert real == ("django.core.mail.backends.smtp.EmailBackend|smtp.example.com|587|mailer|"
                    "True|Funnelboard <no-reply@example.com>")
