"""The ISO code lists (``config.iso``): well formed, and the traps of the issue excluded."""

from __future__ import annotations

import re

from config.iso import (
    COUNTRIES,
    COUNTRY_CHOICES,
    CURRENCIES,
    CURRENCY_CHOICES,
    is_country,
    is_currency,
)


def test_every_code_is_well_formed_and_named() -> None:
    assert all(re.fullmatch(r"[A-Z]{3}", c) and n for c, n in CURRENCIES.items())
    assert all(re.fullmatch(r"[A-Z]{2}", c) and n for c, n in COUNTRIES.items())
    assert len(COUNTRIES) == 249
    assert len(CURRENCY_CHOICES) == len(CURRENCIES) and len(COUNTRY_CHOICES) == len(COUNTRIES)


def test_the_common_codes_are_there_and_the_traps_are_not() -> None:
    for code in ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "BRL", "INR", "XOF"):
        assert is_currency(code), code
    for code in ("XYZ", "DOLLARS", "DOL", "usd", "", "XAU", "XTS", "HRK", None):
        assert not is_currency(code), code
    for code in ("US", "GB", "DE", "FR", "CA", "SI", "HK", "PR"):
        assert is_country(code), code
    for code in ("USA", "UK", "EU", "us", "", "XX", None):
        assert not is_country(code), code
