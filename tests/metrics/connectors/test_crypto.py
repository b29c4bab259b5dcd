"""Token crypto (metrics/connectors/crypto.py): round trip, key rotation, a malformed key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from metrics.connectors.crypto import TokenDecryptError, token_decrypt, token_encrypt
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN


def test_tokens_round_trip_and_the_cipher_hides_them() -> None:
    cipher = token_encrypt(ACCESS_TOKEN)
    assert ACCESS_TOKEN not in cipher and token_decrypt(cipher) == ACCESS_TOKEN
    assert token_encrypt(ACCESS_TOKEN) != cipher  # random IV: equal tokens look different
    assert token_encrypt("") == "" and token_decrypt("") == ""


def test_the_env_key_is_used_and_rotation_keeps_old_tokens_readable(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FUNNELBOARD_TOKEN_KEY = old
    cipher = token_encrypt("secret")
    assert Fernet(old.encode()).decrypt(cipher.encode()) == b"secret"
    settings.FUNNELBOARD_TOKEN_KEY = f"{new},{old}"
    assert token_decrypt(cipher) == "secret"
    assert Fernet(new.encode()).decrypt(token_encrypt("x").encode()) == b"x"
    settings.FUNNELBOARD_TOKEN_KEY = new
    with pytest.raises(TokenDecryptError):
        token_decrypt(cipher)


def test_a_malformed_key_is_a_configuration_error_that_does_not_echo_it(settings) -> None:
    settings.FUNNELBOARD_TOKEN_KEY = "not-a-fernet-key"
    with pytest.raises(ImproperlyConfigured) as caught:
        token_encrypt("x")
    assert "not-a-fernet-key" not in str(caught.value)
