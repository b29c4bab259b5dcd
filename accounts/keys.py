"""API key secrets: generation and hashing (pure, no database)."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "fb_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(raw: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough (no brute force possible) and
    # keeps authentication a single indexed lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


def display_prefix(raw: str) -> str:
    return raw[: len(KEY_PREFIX) + 6]
