"""Fixtures of the accounts tests: the real SMTP server (``smtp_inbox``) and signing in
through the sign-in form, as a person does (allauth records how a session was signed in)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.smtp import smtp_inbox  # noqa: F401  (a fixture)
from tests.factories import PASSWORD


def sign_in_through_the_form(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def signed_in():
    """``signed_in(user)`` → a client signed in through the sign-in form."""

    def make(user: User, password: str = PASSWORD) -> Client:
        client = Client()
        sign_in_through_the_form(client, user, password)
        return client

    return make
