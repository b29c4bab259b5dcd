import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f

LOGIN = reverse("accounts:login")


def test_a_member_signs_in_and_reaches_the_dashboard(client, team):
    response = client.post(LOGIN, {"username": team.manager.username, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_the_form_again(client, team):
    response = client.post(LOGIN, {"username": team.manager.username, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_out_and_are_logged(client, team, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            client.post(LOGIN, {"username": team.viewer.username, "password": "wrong-password"})
    attempt = AccessAttempt.objects.get(username=team.viewer.username)
    assert attempt.failures_since_start == 5
    assert any("lock" in record.getMessage().lower() for record in caplog.records)
    locked = client.post(LOGIN, {"username": team.viewer.username, "password": f.PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, team):
    for _ in range(4):
        client.post(LOGIN, {"username": team.viewer.username, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": team.viewer.username, "password": f.PASSWORD})
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2(team):
    assert team.owner.password.startswith("argon2")


@pytest.mark.parametrize("password", ["short-pass1", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("violet-canyon-harbor-42")


def test_logout_needs_a_post_and_ends_the_session(client_for, team):
    client = client_for(team.owner)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
