"""Encryption of OAuth tokens at rest (Fernet: AES-128-CBC + HMAC-SHA256, timestamped).

The key comes from ``FUNNELBOARD_TOKEN_KEY`` (settings refuse to start without it when
``DJANGO_DEBUG=false``). Several comma-separated keys rotate: the first encrypts, every one
decrypts. In embedded/debug mode without a key, a development key is derived from SECRET_KEY so
a laptop install works out of the box; such tokens become unreadable once a real key is set,
which only means reconnecting the accounts.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TokenDecryptError(Exception):
    """A stored token cannot be decrypted (wrong or rotated-out key, or tampered data)."""


def _development_key() -> bytes:
    digest = hashlib.sha256(f"funnelboard-token-key:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    raw: str = getattr(settings, "FUNNELBOARD_TOKEN_KEY", "") or ""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        return MultiFernet([Fernet(_development_key())])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        # Never echo the key itself.
        raise ImproperlyConfigured(
            "FUNNELBOARD_TOKEN_KEY must be 32 url-safe base64-encoded bytes "
            "(generate one with Fernet.generate_key())."
        ) from exc


def token_encrypt(plain: str) -> str:
    """Cipher text for a token; an empty token stays empty (nothing to protect)."""
    if not plain:
        return ""
    return _fernet().encrypt(plain.encode()).decode()


def token_decrypt(cipher: str) -> str:
    if not cipher:
        return ""
    try:
        return _fernet().decrypt(cipher.encode()).decode()
    except InvalidToken:
        raise TokenDecryptError(
            "A stored token cannot be decrypted with the configured key; reconnect the account."
        ) from None
