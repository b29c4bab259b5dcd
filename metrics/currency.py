"""Currency conversion through the ExchangeRate table (ECB reference rates: units per euro)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from metrics.models import ExchangeRate

# The ECB publishes no rates on weekends and TARGET holidays; the last rate before the day
# stands in, but not one older than this (an old rate is worse than none).
MAX_RATE_AGE_DAYS = 7
CENT = Decimal("0.01")


def rate_per_euro(currency: str, on_date: dt.date) -> Decimal | None:
    """Units of ``currency`` per euro on ``on_date`` (or the latest of the week before)."""
    currency = currency.upper()
    if currency == "EUR":
        return Decimal("1")
    row = (
        ExchangeRate.objects.filter(
            currency=currency,
            date__lte=on_date,
            date__gte=on_date - dt.timedelta(days=MAX_RATE_AGE_DAYS),
        )
        .order_by("-date")
        .values_list("per_euro", flat=True)
        .first()
    )
    return row if row else None


def convert(
    amount: Decimal, from_currency: str, to_currency: str, on_date: dt.date
) -> Decimal | None:
    """``amount`` in ``to_currency`` (rounded to cents), or None when a rate is missing."""
    if from_currency.upper() == to_currency.upper():
        return amount
    source = rate_per_euro(from_currency, on_date)
    target = rate_per_euro(to_currency, on_date)
    if source is None or target is None:
        return None
    return (amount / source * target).quantize(CENT, rounding=ROUND_HALF_UP)
