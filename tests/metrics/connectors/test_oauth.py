"""The OAuth calls (metrics/connectors/oauth.py): state signing, code exchange, refresh before
expiry, revocation, and no token in any error."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qs

import pytest
import responses

from metrics.connectors.base import AuthError, RateLimited
from metrics.connectors.oauth import (
    OAuthStateError,
    code_exchange,
    needs_refresh,
    state_sign,
    state_verify,
    token_refresh,
    token_revoke,
)
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN, REFRESH_TOKEN

NOW = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)


def test_a_state_round_trips_and_tampering_is_refused() -> None:
    state = state_sign(organization_id=1, user_id=2, account_kind="social", account_id=3,
                       platform="instagram", nonce="n")
    assert state_verify(state) == {"o": 1, "u": 2, "k": "social", "a": 3, "p": "instagram",
                                   "n": "n"}
    with pytest.raises(OAuthStateError):
        state_verify(state[:-2] + "xx")
    with pytest.raises(OAuthStateError, match="expired"):
        state_verify(state, max_age=-1)


@responses.activate
def test_a_youtube_code_exchange_stores_the_channel_and_the_refresh_token(settings) -> None:
    settings.YOUTUBE_CLIENT_ID, settings.YOUTUBE_CLIENT_SECRET = "cid", "csecret"
    responses.post("https://oauth2.googleapis.com/token", json={
        "access_token": "ya29.a", "expires_in": 3599, "refresh_token": "1//r",
        "scope": "https://www.googleapis.com/auth/youtube.readonly", "token_type": "Bearer"})
    responses.get("https://www.googleapis.com/youtube/v3/channels",
                  json={"items": [{"id": "UCchannel"}]})
    tokens = code_exchange(platform="youtube", code="4/code", redirect_uri="https://x/cb",
                           now=NOW)
    assert (tokens.access_token, tokens.refresh_token, tokens.account_id) == (
        "ya29.a", "1//r", "UCchannel")
    assert tokens.expires_at == NOW + dt.timedelta(seconds=3599)
    assert "ya29" not in repr(tokens)


@responses.activate
def test_tiktok_refresh_keeps_the_rotated_refresh_token(settings) -> None:
    settings.TIKTOK_CLIENT_KEY, settings.TIKTOK_CLIENT_SECRET = "tk", "ts"
    responses.post("https://open.tiktokapis.com/v2/oauth/token/", json={
        "access_token": "act.new", "expires_in": 86400, "refresh_token": "rft.new",
        "refresh_expires_in": 31536000, "open_id": "-000", "scope": "user.info.basic,video.list",
        "token_type": "Bearer"})
    tokens = token_refresh(platform="tiktok", access_token="act.old", refresh_token="rft.old",
                           now=NOW)
    assert (tokens.access_token, tokens.refresh_token) == ("act.new", "rft.new")
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["grant_type"] == ["refresh_token"] and sent["client_key"] == ["tk"]


@responses.activate
def test_a_dead_refresh_token_is_an_auth_error_without_the_token(settings, caplog) -> None:
    settings.YOUTUBE_CLIENT_ID, settings.YOUTUBE_CLIENT_SECRET = "cid", "csecret"
    responses.post("https://oauth2.googleapis.com/token", status=400, json={
        "error": "invalid_grant", "error_description": f"Token {REFRESH_TOKEN} has been revoked."})
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError) as caught:
        token_refresh(platform="youtube", access_token=ACCESS_TOKEN, refresh_token=REFRESH_TOKEN)
    assert REFRESH_TOKEN not in str(caught.value) and "invalid_grant" in str(caught.value)
    assert REFRESH_TOKEN not in caplog.text and ACCESS_TOKEN not in caplog.text


@responses.activate
def test_a_throttled_token_endpoint_is_retryable(settings) -> None:
    settings.TIKTOK_CLIENT_KEY, settings.TIKTOK_CLIENT_SECRET = "tk", "ts"
    responses.post("https://open.tiktokapis.com/v2/oauth/token/", status=429, json={},
                   headers={"Retry-After": "10"})
    with pytest.raises(RateLimited):
        token_refresh(platform="tiktok", access_token="a", refresh_token="r")


def test_tokens_are_refreshed_within_each_platforms_margin() -> None:
    assert needs_refresh(platform="instagram", expires_at=NOW + dt.timedelta(days=6), now=NOW)
    assert not needs_refresh(platform="instagram", expires_at=NOW + dt.timedelta(days=30),
                             now=NOW)
    assert needs_refresh(platform="youtube", expires_at=NOW + dt.timedelta(minutes=2), now=NOW)
    assert not needs_refresh(platform="youtube", expires_at=None, now=NOW)


@responses.activate
def test_google_revocation_posts_the_refresh_token() -> None:
    responses.post("https://oauth2.googleapis.com/revoke", body="")
    assert token_revoke(platform="youtube", access_token="ya29.a", refresh_token="1//r")
    assert parse_qs(responses.calls[0].request.body) == {"token": ["1//r"]}


@responses.activate
def test_instagram_has_no_revocation_endpoint_so_nothing_is_called() -> None:
    assert token_revoke(platform="instagram", access_token="IG") is False
    assert len(responses.calls) == 0
