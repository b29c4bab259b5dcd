"""Numbers as a page reads them: separators, money with its currency, percentages, ratios,
short forms — with the digits the reader writes (``accounts.l10n``: Persian digits for a
Persian reader unless they chose Latin). "—" when a value is not known."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import pgettext_lazy

from accounts.l10n import digits
from metrics import registry

COUNT, MONEY, PERCENT, RATIO = registry.COUNT, registry.MONEY, registry.PERCENT, registry.RATIO
_RATIO_KINDS = (RATIO, "multiple")
# Currencies written without decimals (a rial or toman amount never has cents).
WHOLE_CURRENCIES = frozenset({"IRR", "IRT"})
# Currencies a language names by a word rather than the code: Persian writes «ریال», «تومان».
CURRENCY_WORDS: dict[str, Any] = {
    "IRR": (pgettext_lazy("currency", "rial"), "rial"),
    "IRT": (pgettext_lazy("currency", "toman"), "toman"),
}


def currency_text(code: str) -> str:
    """A currency as the reader reads it beside an amount: its word where the language has one
    (a Persian reader's rials and tomans), else the ISO code."""
    word, english = CURRENCY_WORDS.get(code, (None, None))
    if word is None or str(word) == english:
        return code
    return str(word)


def number(value: Any) -> float | None:
    """A document value as a float (money arrives as a decimal string); None stays None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


# --- Formatting -------------------------------------------------------------------------------
def format_value(value: Any, kind: str, currency: str = "") -> str:
    """How a KPI value reads on the page; "—" when it is not known."""
    return digits(_value_text(number(value), kind, currency))


def _value_text(num: float | None, kind: str, currency: str) -> str:
    if num is None:
        return "—"
    if kind == MONEY:
        text = f"{num:,.0f}" if currency in WHOLE_CURRENCIES else f"{num:,.2f}"
        return f"{text} {currency_text(currency)}".strip()
    if kind == PERCENT:
        return f"{num:,.2f}%"
    if kind in _RATIO_KINDS:
        return f"{num:,.2f}×"
    if abs(num - round(num)) < 1e-9:
        return f"{round(num):,}"
    return f"{num:,.2f}"


def format_rate(value: Any, currency: str = "") -> str:
    """An EMV rate: money with separators and the currency, keeping the card's precision
    (0.0125 stays 0.0125, 12.5 reads 12.50); "—" when unknown."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    places = max(2, -int(amount.normalize().as_tuple().exponent))
    return digits(f"{amount:,.{min(places, 6)}f} {currency_text(currency)}".strip())


def compact(value: Any) -> str:
    """Short form for tight spots: 1.2M, 34.5k."""
    num = number(value)
    if num is None:
        return "—"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(num) >= size:
            return digits(f"{num / size:.1f}{suffix}")
    return digits(f"{num:,.0f}" if abs(num - round(num)) < 1e-9 else f"{num:,.2f}")
