"""OAuth for the platform connectors: authorize URLs with a signed state, code exchange, token
refresh before expiry and revocation on disconnect.

Tokens never reach a log line, an exception message or a page: errors are built from the
platform's error code, and anything echoed back is passed through ``redact``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from metrics.connectors.base import (
    DEFAULT_TIMEOUT,
    AuthError,
    ConnectorError,
    PermanentError,
    RateLimited,
    TransientError,
    redact,
    retry_after_seconds,
)

logger = logging.getLogger(__name__)

STATE_SALT = "funnelboard.connectors.oauth-state"
STATE_MAX_AGE = 15 * 60  # seconds a user has to finish the platform's consent screen


@dataclass(frozen=True)
class Provider:
    platform: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    scope_separator: str
    client_id_setting: str
    client_secret_setting: str
    client_id_param: str = "client_id"
    revoke_url: str = ""
    # Refresh when fewer than this is left: Instagram's 60-day token is refreshed a week
    # ahead, TikTok's 24 h and Google's 1 h tokens shortly before (in practice every sync).
    refresh_margin: dt.timedelta = dt.timedelta(minutes=10)
    extra_authorize_params: tuple[tuple[str, str], ...] = ()

    @property
    def client_id(self) -> str:
        return str(getattr(settings, self.client_id_setting, "") or "")

    @property
    def client_secret(self) -> str:
        return str(getattr(settings, self.client_secret_setting, "") or "")

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret)


PROVIDERS: dict[str, Provider] = {
    "instagram": Provider(
        platform="instagram",
        authorize_url="https://www.instagram.com/oauth/authorize",
        token_url="https://api.instagram.com/oauth/access_token",
        scopes=(
            "instagram_business_basic",
            "instagram_business_manage_insights",
            "instagram_business_manage_comments",
        ),
        scope_separator=",",
        client_id_setting="INSTAGRAM_APP_ID",
        client_secret_setting="INSTAGRAM_APP_SECRET",
        refresh_margin=dt.timedelta(days=7),
    ),
    "youtube": Provider(
        platform="youtube",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        scopes=("https://www.googleapis.com/auth/youtube.readonly",),
        scope_separator=" ",
        client_id_setting="YOUTUBE_CLIENT_ID",
        client_secret_setting="YOUTUBE_CLIENT_SECRET",
        revoke_url="https://oauth2.googleapis.com/revoke",
        refresh_margin=dt.timedelta(minutes=5),
        # offline + consent: Google only hands out a refresh token on a fresh consent.
        extra_authorize_params=(
            ("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true"),
        ),
    ),
    "tiktok": Provider(
        platform="tiktok",
        authorize_url="https://www.tiktok.com/v2/auth/authorize/",
        token_url="https://open.tiktokapis.com/v2/oauth/token/",
        scopes=("user.info.basic", "user.info.stats", "video.list"),
        scope_separator=",",
        client_id_setting="TIKTOK_CLIENT_KEY",
        client_secret_setting="TIKTOK_CLIENT_SECRET",
        client_id_param="client_key",
        revoke_url="https://open.tiktokapis.com/v2/oauth/revoke/",
        refresh_margin=dt.timedelta(minutes=30),
    ),
}
SUPPORTED_PLATFORMS = tuple(PROVIDERS)

INSTAGRAM_GRAPH = "https://graph.instagram.com"
YOUTUBE_CHANNELS = "https://www.googleapis.com/youtube/v3/channels"


class OAuthStateError(Exception):
    """The state is forged, expired or belongs to another session."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str = ""
    expires_at: dt.datetime | None = None
    scopes: str = ""
    account_id: str = ""

    def __repr__(self) -> str:  # a TokenSet in a traceback must not leak the tokens
        return f"TokenSet(account_id={self.account_id!r}, expires_at={self.expires_at!r})"


def provider_for(platform: str) -> Provider:
    try:
        return PROVIDERS[platform]
    except KeyError:
        raise PermanentError(f"{platform}: no connector for this platform") from None


# --- state ----------------------------------------------------------------------------------


def state_sign(
    *, organization_id: int, user_id: int, account_kind: str, account_id: int, platform: str,
    nonce: str,
) -> str:
    """A tamper-proof, expiring state naming who started the flow for which account. The nonce
    is also kept in the user's session, so a state only completes in the browser that began it
    (login CSRF)."""
    payload = {
        "o": organization_id, "u": user_id, "k": account_kind, "a": account_id, "p": platform,
        "n": nonce,
    }
    return signing.dumps(payload, salt=STATE_SALT, compress=True)


def state_verify(state: str, *, max_age: int = STATE_MAX_AGE) -> dict[str, Any]:
    try:
        payload = signing.loads(state, salt=STATE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise OAuthStateError(_("The connection request expired; start again.")) from None
    except signing.BadSignature:
        raise OAuthStateError(_("The connection request is not valid.")) from None
    if not isinstance(payload, dict) or set(payload) != {"o", "u", "k", "a", "p", "n"}:
        raise OAuthStateError(_("The connection request is not valid."))
    return payload


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def authorize_url(*, platform: str, state: str, redirect_uri: str) -> str:
    provider = provider_for(platform)
    params = {
        provider.client_id_param: provider.client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": provider.scope_separator.join(provider.scopes),
        "state": state,
        **dict(provider.extra_authorize_params),
    }
    return f"{provider.authorize_url}?{urlencode(params)}"


# --- token calls ----------------------------------------------------------------------------


def _call(
    platform: str, method: str, url: str, *, secrets_in_play: tuple[str, ...],
    session: requests.Session | None = None, **kwargs: Any,
) -> dict[str, Any]:
    http = session or requests.Session()
    try:
        response = http.request(method, url, timeout=DEFAULT_TIMEOUT, **kwargs)
    except requests.Timeout:
        raise TransientError(f"{platform}: the token request timed out") from None
    except requests.ConnectionError:
        raise TransientError(f"{platform}: could not reach the platform") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    error = _error_text(body)
    if response.ok and not error:
        return body
    text = redact(f"{platform}: {error or 'token request refused'} (HTTP {response.status_code})",
                  *secrets_in_play)
    if response.status_code == 429:
        raise RateLimited(text, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if response.status_code >= 500:
        raise TransientError(text)
    # invalid_grant and friends: the grant is dead; only the user can reconnect.
    raise AuthError(text)


def _error_text(body: dict[str, Any]) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        if code in (None, "ok", "", 0):
            return ""
        return str(error.get("message") or code)[:300]
    if isinstance(error, str) and error:
        return f"{error}: {str(body.get('error_description', ''))[:200]}".rstrip(": ")
    if body.get("error_type") or body.get("error_message"):
        return str(body.get("error_message") or body.get("error_type"))[:300]
    return ""


def _expiry(body: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    seconds = body.get("expires_in")
    if isinstance(seconds, int | float) and seconds > 0:
        return now + dt.timedelta(seconds=seconds)
    return None


def code_exchange(
    *, platform: str, code: str, redirect_uri: str, now: dt.datetime | None = None,
    session: requests.Session | None = None,
) -> TokenSet:
    """Trade the authorization code for tokens (and, for Instagram, a 60-day token)."""
    provider = provider_for(platform)
    if not provider.configured:
        raise PermanentError(f"{platform}: the app id and secret are not configured")
    now = now or dt.datetime.now(dt.UTC)
    hidden = (code, provider.client_secret)
    form = {
        provider.client_id_param: provider.client_id,
        "client_secret": provider.client_secret,
        "code": code,
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
    }
    body = _call(platform, "POST", provider.token_url, data=form, secrets_in_play=hidden,
                 session=session)
    if platform == "instagram":
        return _instagram_long_lived(body, provider, now, session)
    access = str(body.get("access_token", ""))
    if not access:
        raise AuthError(f"{platform}: the platform returned no access token")
    tokens = TokenSet(
        access_token=access,
        refresh_token=str(body.get("refresh_token", "")),
        expires_at=_expiry(body, now),
        scopes=_scopes_text(body.get("scope"), provider),
        account_id=str(body.get("open_id", "")),
    )
    if platform == "youtube":
        tokens = TokenSet(**{**tokens.__dict__, "account_id": _youtube_channel(tokens, session)})
    return tokens


def _scopes_text(raw: Any, provider: Provider) -> str:
    if isinstance(raw, list):
        return ",".join(str(s) for s in raw)
    if isinstance(raw, str) and raw:
        return ",".join(s for s in raw.replace(",", " ").split() if s)
    return ",".join(provider.scopes)


def _instagram_long_lived(
    body: dict[str, Any], provider: Provider, now: dt.datetime, session: requests.Session | None
) -> TokenSet:
    # Instagram answers either {"data": [{...}]} or the object itself.
    data = body.get("data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else body
    short = str(first.get("access_token", ""))
    if not short:
        raise AuthError("instagram: the platform returned no access token")
    long_lived = _call(
        "instagram", "GET", f"{INSTAGRAM_GRAPH}/access_token",
        params={
            "grant_type": "ig_exchange_token", "client_secret": provider.client_secret,
            "access_token": short,
        },
        secrets_in_play=(short, provider.client_secret), session=session,
    )
    access = str(long_lived.get("access_token", ""))
    if not access:
        raise AuthError("instagram: the platform returned no long-lived token")
    return TokenSet(
        access_token=access,
        expires_at=_expiry(long_lived, now),
        scopes=_scopes_text(first.get("permissions"), provider),
        account_id=str(first.get("user_id", "")),
    )


def _youtube_channel(tokens: TokenSet, session: requests.Session | None) -> str:
    body = _call(
        "youtube", "GET", YOUTUBE_CHANNELS, params={"part": "id", "mine": "true"},
        headers={"Authorization": f"Bearer {tokens.access_token}"},
        secrets_in_play=(tokens.access_token,), session=session,
    )
    items = body.get("items") or []
    if not items:
        raise PermanentError("youtube: this Google account has no YouTube channel")
    return str(items[0].get("id", ""))


def needs_refresh(*, platform: str, expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    if expires_at is None:
        return False
    return expires_at - now <= provider_for(platform).refresh_margin


def token_refresh(
    *, platform: str, access_token: str, refresh_token: str, now: dt.datetime | None = None,
    session: requests.Session | None = None,
) -> TokenSet:
    """New tokens. Instagram refreshes its long-lived access token itself; Google and TikTok use
    the refresh token (Google keeps the old one, TikTok may rotate it)."""
    provider = provider_for(platform)
    now = now or dt.datetime.now(dt.UTC)
    if platform == "instagram":
        body = _call(
            platform, "GET", f"{INSTAGRAM_GRAPH}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": access_token},
            secrets_in_play=(access_token,), session=session,
        )
        new_access = str(body.get("access_token", ""))
        if not new_access:
            raise AuthError("instagram: the refresh returned no token")
        return TokenSet(access_token=new_access, expires_at=_expiry(body, now))
    if not refresh_token:
        raise AuthError(f"{platform}: no refresh token stored; reconnect the account")
    body = _call(
        platform, "POST", provider.token_url,
        data={
            provider.client_id_param: provider.client_id,
            "client_secret": provider.client_secret,
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        },
        secrets_in_play=(refresh_token, access_token, provider.client_secret), session=session,
    )
    new_access = str(body.get("access_token", ""))
    if not new_access:
        raise AuthError(f"{platform}: the refresh returned no token")
    return TokenSet(
        access_token=new_access,
        refresh_token=str(body.get("refresh_token") or refresh_token),
        expires_at=_expiry(body, now),
        scopes=_scopes_text(body.get("scope"), provider) if body.get("scope") else "",
    )


def token_revoke(
    *, platform: str, access_token: str, refresh_token: str = "",
    session: requests.Session | None = None,
) -> bool:
    """Revoke the grant at the platform. False when the platform offers no revocation endpoint
    (Instagram Login: the user removes the app in Instagram's settings) — the caller discards
    the tokens either way."""
    provider = provider_for(platform)
    token = refresh_token or access_token
    if not token:
        return False
    if not provider.revoke_url:
        logger.info("%s: no revocation endpoint; the stored token is discarded", platform)
        return False
    hidden = (access_token, refresh_token, provider.client_secret)
    if platform == "youtube":
        _call(platform, "POST", provider.revoke_url, data={"token": token},
              secrets_in_play=hidden, session=session)
    else:
        _call(
            platform, "POST", provider.revoke_url,
            data={
                provider.client_id_param: provider.client_id,
                "client_secret": provider.client_secret, "token": access_token or token,
            },
            secrets_in_play=hidden, session=session,
        )
    return True


__all__ = [
    "SUPPORTED_PLATFORMS", "ConnectorError", "OAuthStateError", "TokenSet", "authorize_url",
    "code_exchange", "needs_refresh", "new_nonce", "provider_for", "state_sign", "state_verify",
    "token_refresh", "token_revoke",
]
