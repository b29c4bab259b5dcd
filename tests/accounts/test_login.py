import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def signed_in_with_totp(team):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(team.manager, "JBSWY3DPEHPK3PXP")
    return team.manager

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


def test_a_member_signs_in_with_their_e_mail_address(client, team):
    response = client.post(LOGIN, {"username": "ACME-Manager@example.com",
                                   "password": f.PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(
        team.manager.pk)


def test_the_sign_in_form_is_allauths_with_the_username_field_name_kept(client, db):
    page = client.get(LOGIN).content.decode()
    assert 'name="username"' in page and 'id="id_username"' in page
    assert 'name="login"' not in page
    assert 'autocomplete="current-password"' in page


def test_failures_by_e_mail_address_count_against_the_account(client, team):
    """Typing the address or the username gains no extra attempts: both count as the account."""
    for attempt in range(5):
        login = team.viewer.email if attempt % 2 else team.viewer.username
        client.post(LOGIN, {"username": login, "password": "wrong-password"})
    attempt = AccessAttempt.objects.get(username=team.viewer.username)
    assert attempt.failures_since_start == 5
    for login in (team.viewer.email, team.viewer.username):
        locked = client.post(LOGIN, {"username": login, "password": f.PASSWORD})
        assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_holds_the_second_step_too(client, signed_in_with_totp):
    """A locked account is refused at the password already, before any code is asked."""
    user = signed_in_with_totp
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "wrong-password"})
    assert client.post(LOGIN, {"username": user.username, "password": f.PASSWORD}
                       ).status_code == 429


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
    assert validate_password("violet-canyon-harbor-42") is None


def test_logout_needs_a_post_and_ends_the_session(client_for, team):
    client = client_for(team.owner)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get("/").status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/").status_code == 302


def test_the_old_sign_in_address_still_works(client, team):
    assert LOGIN == "/accounts/login/" == reverse("account_login")
    response = client.post("/accounts/login/", {"username": team.manager.username,
                                                "password": f.PASSWORD, "next": "/brands/"})
    assert response.status_code == 302 and response["Location"] == "/brands/"


def test_sign_in_refuses_to_send_elsewhere(client, team):
    response = client.post(LOGIN, {"username": team.manager.username, "password": f.PASSWORD,
                                   "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
