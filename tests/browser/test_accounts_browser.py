"""Accounts in a real browser, as a new person meets them: an owner's invitation opened signed
out becomes an account that lands on the organization's dashboard, and a forgotten password is
reset through a mail delivered by a real local SMTP server (aiosmtpd), then used to sign in.
Screenshots go to ``$FUNNELBOARD_SCREENSHOTS`` (as ``accounts-browser-*.png``) when it is set."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.accounts.smtp import Delivered, Inbox, smtp_inbox
from tests.browser.test_pages_browser import CHROMIUM, Console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
__all__ = ["smtp_inbox"]  # a fixture, used by name

NEW_PASSWORD = "violet-canyon-harbor-42"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("FUNNELBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"accounts-browser-{name}.png"), full_page=True)


def _delivered_to(inbox: Inbox, address: str, timeout: float = 10.0) -> Delivered:
    """The one message the SMTP server accepted for ``address`` (waiting briefly for it)."""
    deadline = time.monotonic() + timeout
    while not inbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.05)
    [delivered] = inbox.to(address)
    return delivered


@pytest.fixture
def studio(transactional_db: None) -> Any:
    """An organization with its owner (the one who invites)."""
    from tests import factories

    f: Any = factories
    organization = f.OrganizationFactory(slug="harbor-studio", name="Harbor Studio")
    owner = f.UserFactory(username="harbor-owner", email="owner@harbor.example")
    f.MembershipFactory(organization=organization, user=owner, role="owner")
    return organization


def test_a_new_person_accepts_an_invitation_by_creating_an_account(
    browser: Any, live_server: Any, studio: Any
) -> None:
    from django.urls import reverse

    from accounts.models import Invitation, Membership, Role, User
    from accounts.selectors import Access
    from accounts.services import invitation_create

    owner = User.objects.get(username="harbor-owner")
    invitation, token = invitation_create(
        access=Access(organization=studio, role=Role.OWNER, user=owner),
        email="mia@example.com", role=Role.MANAGER,
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console = Console(page)

    # The link the owner sent, opened signed out.
    page.goto(f"{live_server.url}{reverse('accounts:invitation', args=[token])}")
    assert page.get_by_role("heading", name="Join Harbor Studio").is_visible()
    assert "as manager" in page.locator(".auth-card").inner_text()
    assert page.get_by_role("heading", name="Create an account").is_visible()
    assert page.input_value("#id_email") == "mia@example.com"  # bound to the invited address
    page.fill("#id_username", "mia")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    _shot(page, "invitation")
    page.get_by_role("button", name="Create account and join").click()

    # Signed in, on the organization's dashboard.
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Campaigns", exact=True).is_visible()
    assert page.locator(".org-name").inner_text().strip() == "Harbor Studio"
    assert (page.locator(".role-badge").text_content() or "").strip() == "manager"
    assert "Welcome to Harbor Studio." in page.locator(".messages").inner_text()
    _shot(page, "joined")

    mia = User.objects.get(username="mia")
    assert mia.email == "mia@example.com" and mia.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=mia, organization=studio)
    assert membership.role == Role.MANAGER
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == mia
    assert console.errors == []


def test_a_forgotten_password_is_reset_by_a_mail_and_the_new_one_signs_in(
    browser: Any, live_server: Any, studio: Any, smtp_inbox: Inbox
) -> None:
    from tests import factories

    f: Any = factories
    user = f.UserFactory(username="forgetful", email="forgetful@example.com")
    f.MembershipFactory(organization=studio, user=user, role="viewer")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console = Console(page)

    # The sign-in page → "Forgot your password?" → her address.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_selector("h1 >> text=Reset your password")
    page.fill("#id_email", "forgetful@example.com")
    _shot(page, "reset-request")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_selector("h1 >> text=Check your e-mail")

    # The mail went over SMTP to the local server; its link is opened in the browser.
    delivered = _delivered_to(smtp_inbox, "forgetful@example.com")
    assert delivered.subject.startswith("[Funnelboard]") and "Password Reset" in delivered.subject
    [reset_link] = [u for u in delivered.links() if "/password/reset/key/" in u]
    assert urlsplit(reset_link).netloc == urlsplit(live_server.url).netloc
    page.goto(f"{live_server.url}{urlsplit(reset_link).path}")
    page.wait_for_selector("h1 >> text=Choose a new password")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    _shot(page, "reset-new-password")
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_selector("h1 >> text=Password changed")

    # She signs in with the new password and reaches the dashboard.
    page.get_by_role("link", name="Sign in", exact=True).click()
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_username", "forgetful")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".org-name").inner_text().strip() == "Harbor Studio"
    _shot(page, "signed-in")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert console.errors == []
