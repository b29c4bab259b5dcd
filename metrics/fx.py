"""Currency conversion from ExchangeRate rows (ECB reference rates, "units per euro").

The one currency module: the KPI engine and every other caller convert with the same rule.
``amount_in_B = amount_in_A / per_euro_A × per_euro_B``; EUR is 1. The latest rate on or
before the day is used, however old — the ECB publishes none on weekends and holidays, and
a conversion left out of revenue for want of a fresh rate would silently under-report it.
No rate on or before the day → None, and the engine counts the conversion as excluded.
Amounts are not rounded here; pages and exports round when they display.

A recompute loads the few (currency, date) rates it needs in one query (``rate_table``) and
converts grouped sums in Python (``RateTable.convert``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery

from metrics.models import ExchangeRate

EUR = "EUR"


# Units of one currency in another, whatever the day: the toman is ten rials (Iran prices in
# tomans; the ECB publishes no rate for either).
FIXED_RATES: dict[tuple[str, str], Decimal] = {
    ("IRT", "IRR"): Decimal(10), ("IRR", "IRT"): Decimal("0.1"),
}


class RateTable:
    """Per currency, the dated ``per_euro`` rates loaded for one recompute."""

    def __init__(self, rows: Iterable[tuple[str, dt.date, Decimal]]) -> None:
        self._dates: dict[str, list[dt.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for currency, day, per_euro in sorted(rows):
            self._dates.setdefault(currency, []).append(day)
            self._rates.setdefault(currency, []).append(per_euro)

    def per_euro(self, currency: str, on_date: dt.date) -> Decimal | None:
        if currency == EUR:
            return Decimal("1")
        dates = self._dates.get(currency)
        if not dates:
            return None
        index = bisect.bisect_right(dates, on_date) - 1
        if index < 0:
            return None
        return self._rates[currency][index]

    def convert(self, amount: Decimal, from_currency: str, to_currency: str, on_date: dt.date
                ) -> Decimal | None:
        """``amount`` in ``to_currency``, or None when a rate for that day is missing."""
        if from_currency == to_currency:
            return Decimal(amount)
        fixed = FIXED_RATES.get((from_currency, to_currency))
        if fixed is not None:
            return Decimal(amount) * fixed
        source = self.per_euro(from_currency, on_date)
        target = self.per_euro(to_currency, on_date)
        if source is None or target is None or source == 0:
            return None
        return Decimal(amount) / source * target


def rate_table(currencies: Iterable[str], dates: Iterable[dt.date]) -> RateTable:
    """The rates of ``currencies`` needed for ``dates``, in one query: every rate between the
    first and last date, plus the latest one on or before the first date."""
    wanted = sorted({c for c in currencies if c != EUR})
    days = sorted(set(dates))
    if not wanted or not days:
        return RateTable(())
    first, last = days[0], days[-1]
    latest_before_first = (
        ExchangeRate.objects.filter(currency=OuterRef("currency"), date__lte=first)
        .values("currency")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    rows = ExchangeRate.objects.filter(currency__in=wanted, date__lte=last).filter(
        Q(date__gte=first) | Q(date=Subquery(latest_before_first))
    )
    return RateTable(rows.values_list("currency", "date", "per_euro"))

