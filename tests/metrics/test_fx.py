"""metrics/fx.py (the one currency module) and `manage.py load_exchange_rates`."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal

from django.core.management import call_command

from metrics.fx import RateTable, rate_table
from metrics.models import ExchangeRate
from tests import factories as f

MONDAY = dt.date(2026, 3, 2)


def convert(amount: Decimal, source: str, target: str, day: dt.date) -> Decimal | None:
    """One amount with the rate table the engine loads for a recompute."""
    return rate_table({source, target}, {day}).convert(amount, source, target, day)


def test_it_converts_through_the_euro_rates_of_the_day(db) -> None:
    f.ExchangeRateFactory(currency="USD", date=MONDAY, per_euro=Decimal("1.08"))
    f.ExchangeRateFactory(currency="GBP", date=MONDAY, per_euro=Decimal("0.85"))
    assert convert(Decimal("108.00"), "USD", "EUR", MONDAY) == Decimal("100.00")
    assert convert(Decimal("100.00"), "EUR", "USD", MONDAY) == Decimal("108.00")
    assert convert(Decimal("108.00"), "USD", "GBP", MONDAY) == Decimal("85.00")
    assert convert(Decimal("5"), "USD", "USD", MONDAY) == Decimal("5")


def test_a_weekend_uses_the_last_rate_before_the_day(db) -> None:
    f.ExchangeRateFactory(currency="USD", date=MONDAY, per_euro=Decimal("1.10"))
    saturday = MONDAY + dt.timedelta(days=5)
    assert convert(Decimal("110"), "USD", "EUR", saturday) == Decimal("100")
    assert convert(Decimal("110"), "USD", "EUR", MONDAY - dt.timedelta(days=1)) is None


def test_an_old_rate_still_converts(db) -> None:
    # The finding: currency.py refused a rate older than a week while the engine used it, so
    # the same amount converted in one place and was "missing a rate" in the other.
    f.ExchangeRateFactory(currency="USD", date=MONDAY, per_euro=Decimal("1.10"))
    later = MONDAY + dt.timedelta(days=30)
    assert convert(Decimal("110"), "USD", "EUR", later) == Decimal("100")


def test_there_is_no_second_way_to_convert() -> None:
    import metrics.fx

    assert not hasattr(metrics.fx, "convert")


def test_amounts_are_not_rounded(db) -> None:
    f.ExchangeRateFactory(currency="USD", date=MONDAY, per_euro=Decimal("3"))
    assert convert(Decimal("1"), "USD", "EUR", MONDAY) == Decimal(1) / Decimal(3)


def test_a_currency_without_a_rate_gives_none(db) -> None:
    assert convert(Decimal("1"), "XYZ", "EUR", MONDAY) is None
    assert convert(Decimal("1"), "EUR", "XYZ", MONDAY) is None


def test_there_is_one_currency_module() -> None:
    assert importlib.util.find_spec("metrics.currency") is None


def test_the_command_loads_ecb_rates_and_keeps_edited_ones(db) -> None:
    edited = f.ExchangeRateFactory(currency="USD", date=dt.date(2024, 1, 2),
                                   per_euro=Decimal("9.000000"))
    call_command("load_exchange_rates", "--since", "2024-01-01", verbosity=0)
    assert ExchangeRate.objects.filter(currency="USD").count() > 200
    assert ExchangeRate.objects.filter(currency="EUR").count() == 0
    edited.refresh_from_db()
    assert edited.per_euro == Decimal("9.000000")
    call_command("load_exchange_rates", "--since", "2024-01-01", "--overwrite", verbosity=0)
    edited.refresh_from_db()
    assert Decimal("1") < edited.per_euro < Decimal("1.2")


def test_rate_table_uses_the_latest_rate_on_or_before_the_day(db):
    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 1, 2), per_euro=Decimal("1.2"))
    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 3, 6), per_euro=Decimal("1.1"))
    f.ExchangeRateFactory(currency="GBP", date=dt.date(2026, 3, 6), per_euro=Decimal("0.8"))
    table = rate_table(["USD", "GBP", "EUR"], [dt.date(2026, 3, 5), dt.date(2026, 3, 7)])
    assert table.per_euro("USD", dt.date(2026, 3, 5)) == Decimal("1.2")
    assert table.convert(Decimal("80"), "GBP", "USD", dt.date(2026, 3, 7)) == Decimal("110")
    assert table.convert(Decimal("10"), "GBP", "USD", dt.date(2026, 3, 5)) is None
    assert table.convert(Decimal("10"), "EUR", "USD", dt.date(2026, 3, 7)) == Decimal("11.0")
    assert RateTable(()).convert(Decimal("5"), "JPY", "JPY", dt.date(2026, 1, 1)) == 5
