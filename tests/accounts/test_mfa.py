"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) with recovery codes, and the
organization setting that requires it of owners and admins."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, Organization, Role
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
ACTIVATE = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows (RFC 6238 over RFC 4226, HMAC-SHA1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def test_the_rfc_6238_reference_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"


def activate(client: Client) -> tuple[str, list[str]]:
    """Turn TOTP on as a person does: confirm the password, read the secret off the page, type
    the app's code."""
    page = client.get(ACTIVATE)
    if page.status_code == 302 and page["Location"].startswith(REAUTHENTICATE):
        confirmed = client.post(page["Location"], {"password": PASSWORD})
        assert confirmed.status_code == 302 and confirmed["Location"] == ACTIVATE
        page = client.get(ACTIVATE)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body  # the QR code is drawn here, no CDN
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', body).group(1)
    wrong = client.post(ACTIVATE, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    done = client.post(ACTIVATE, {"code": totp(secret)})
    assert done.status_code == 302 and done["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.search(r'<textarea id="recovery_codes"[^>]*>([^<]*)</textarea>', codes_page)
    return secret, codes.group(1).split()


def sign_in_password_step(client: Client, username: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_a_member_turns_on_totp_and_sign_in_then_asks_for_the_code(signed_in, team):
    client = signed_in(team.manager)
    secret, codes = activate(client)
    assert len(codes) == 10
    assert Authenticator.objects.filter(user=team.manager,
                                        type=Authenticator.Type.TOTP).exists()
    index = client.get(reverse("mfa_index")).content.decode()
    assert "10 of 10 codes left" in index

    fresh = Client()
    step = sign_in_password_step(fresh, team.manager.username)
    assert step == reverse("mfa_authenticate")
    assert "_auth_user_id" not in fresh.session  # not signed in on the password alone
    assert fresh.get("/").status_code == 302
    assert fresh.post(step, {"code": "123456" if totp(secret) != "123456" else "654321"}
                      ).status_code == 200
    assert "_auth_user_id" not in fresh.session
    done = fresh.post(step, {"code": totp(secret)})
    assert done.status_code == 302 and fresh.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(signed_in, team):
    _, codes = activate(signed_in(team.viewer))
    first = Client()
    step = sign_in_password_step(first, team.viewer.username)
    assert first.post(step, {"code": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200

    second = Client()
    step = sign_in_password_step(second, team.viewer.username)
    again = second.post(step, {"code": codes[0]})
    assert again.status_code == 200 and "_auth_user_id" not in second.session
    assert second.post(step, {"code": codes[1]}).status_code == 302


def test_recovery_codes_can_be_shown_and_made_anew_and_totp_turned_off(signed_in, team):
    client = signed_in(team.manager)
    _, codes = activate(client)
    shown = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert all(code in shown for code in codes)
    assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    renewed = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert codes[0] not in renewed
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=team.manager).exists()
    assert sign_in_password_step(Client(), team.manager.username) == "/"


def test_setting_up_asks_for_the_password_again(signed_in, team):
    client = signed_in(team.manager)
    response = client.get(ACTIVATE)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Confirm it is you" in page.content.decode()
    wrong = client.post(response["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200
    assert client.get(ACTIVATE).status_code == 302


# --- The organization's requirement ---------------------------------------------------------
@pytest.fixture
def strict(team) -> Organization:
    Organization.objects.filter(pk=team.organization.pk).update(require_two_factor=True)
    return team.organization


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_the_setting_sends_owners_and_admins_to_set_up_first(client_for, team, strict, role):
    client = client_for(team.user(role))
    for url in ("/", reverse("influencers:list"), reverse("accounts:members")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, url
    assert client.get("/api/v1/campaigns/").status_code == 403
    # Their own account pages, signing out and the two-factor pages stay open.
    for name in ("account_change_password", "account_email", "mfa_index"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_the_setting_leaves_managers_and_viewers_alone(client_for, team, strict, role):
    client = client_for(team.user(role))
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/campaigns/").status_code == 200


def test_an_admin_who_set_up_totp_goes_on(signed_in, team, strict):
    client = signed_in(team.admin)
    assert client.get("/").status_code == 302
    page = client.get(ACTIVATE, follow=True)
    assert "requires two-factor sign-in" in page.content.decode()
    activate(client)
    assert client.get("/").status_code == 200


def test_the_setting_applies_in_its_own_organization_only(client_for, team, outsider_team,
                                                          strict):
    assert client_for(outsider_team.admin).get("/").status_code == 200
    # An admin of both is held to it only while working in the strict one.
    both = team.admin
    from tests import factories as f

    f.MembershipFactory(organization=outsider_team.organization, user=both, role=Role.ADMIN)
    client = client_for(both)
    assert client.get("/").status_code == 302
    client.post(reverse("accounts:switch"), {"organization": outsider_team.organization.pk})
    assert client.get("/").status_code == 200


def test_an_owner_turns_the_setting_on_and_it_is_audited(client_for, team):
    owner = team.owner
    TOTP.activate(owner, "JBSWY3DPEHPK3PXP")  # the owner already uses an app
    client = client_for(owner)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Require two-factor sign-in for owners and admins" in page
    response = client.post(reverse("accounts:settings"), {
        "name": "Acme", "time_zone": "UTC", "require_two_factor": "on",
    })
    assert response.status_code == 302
    team.organization.refresh_from_db()
    assert team.organization.require_two_factor
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.actor == owner and entry.changes == {"require_two_factor": [False, True]}
    assert client.get("/").status_code == 200
    assert client_for(team.admin).get("/").status_code == 302


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.VIEWER])
def test_only_owners_change_the_setting(client_for, team, role):
    client = client_for(team.user(role))
    response = client.post(reverse("accounts:settings"), {
        "name": "Acme", "time_zone": "UTC", "require_two_factor": "on",
    })
    assert response.status_code == 403
    team.organization.refresh_from_db()
    assert not team.organization.require_two_factor


def test_an_outsider_cannot_turn_it_on_for_another_organization(client_for, team,
                                                                outsider_team):
    client = client_for(outsider_team.owner)
    client.post(reverse("accounts:settings"), {
        "name": "Rival", "time_zone": "UTC", "require_two_factor": "on",
        "organization": team.organization.pk,
    })
    team.organization.refresh_from_db()
    outsider_team.organization.refresh_from_db()
    assert not team.organization.require_two_factor
    assert outsider_team.organization.require_two_factor
