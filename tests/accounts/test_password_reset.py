"""Passwords: reset by e-mail from the sign-in page (delivered over real SMTP and followed as a
person would), and changed by the signed-in person."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "violet-canyon-harbor-42"


def signs_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_the_sign_in_page_offers_a_password_reset(client, db):
    page = client.get(LOGIN).content.decode()
    assert reverse("account_reset_password") in page


def test_a_reset_mail_is_delivered_and_its_link_sets_a_new_password(client, team, smtp_inbox):
    user = f.UserFactory(username="forgetful", email="forgetful@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "Forgetful@Example.com"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200

    [delivered] = smtp_inbox.to("forgetful@example.com")
    assert "Password Reset" in delivered.subject and delivered.subject.startswith("[Funnelboard]")
    assert "forgetful" in delivered.text  # the mail reminds of the username
    [reset_link] = [u for u in delivered.links() if "/password/reset/key/" in u]

    opened = client.get(urlsplit(reset_link).path)
    assert opened.status_code == 302  # allauth moves the key out of the address bar
    form_url = opened["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and "Choose a new password" in page.content.decode()
    weak = client.post(form_url, {"password1": "short", "password2": "short"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    assert signs_in("forgetful", NEW_PASSWORD)
    assert not signs_in("forgetful", PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    # The link works once.
    again = client.get(urlsplit(reset_link).path, follow=True)
    assert "no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db, smtp_inbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert smtp_inbox.messages == []


def test_a_member_changes_their_password(signed_in, team):
    client = signed_in(team.manager)
    url = reverse("account_change_password")
    page = client.get(url)
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    wrong = client.post(url, {"oldpassword": "not-it", "password1": NEW_PASSWORD,
                              "password2": NEW_PASSWORD})
    assert wrong.status_code == 200
    weak = client.post(url, {"oldpassword": PASSWORD, "password1": "123456789012345",
                             "password2": "123456789012345"})
    assert weak.status_code == 200 and "entirely numeric" in weak.content.decode()
    done = client.post(url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD,
                             "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert signs_in(team.manager.username, NEW_PASSWORD)
    assert not signs_in(team.manager.username, PASSWORD)


def test_the_account_pages_need_a_signed_in_user(client, db):
    for name in ("account_change_password", "account_email", "mfa_index", "mfa_activate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_user_menu_leads_to_the_account_pages(client_for, team):
    page = client_for(team.viewer).get("/").content.decode()
    assert reverse("account_change_password") in page
    account = client_for(team.viewer).get(reverse("account_change_password")).content.decode()
    for name in ("account_email", "mfa_index"):
        assert reverse(name) in account
