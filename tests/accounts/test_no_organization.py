"""A signed-in person with no organization sees why, and can sign out from that page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f


@pytest.mark.django_db
def test_a_user_without_an_organization_can_sign_out(client_for):
    user = f.UserFactory(username="loner")
    client = client_for(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You are not in an organization yet" in body
    assert f'action="{reverse("accounts:logout")}"' in body and ">Sign out</button>" in body
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
