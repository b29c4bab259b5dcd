"""metrics/services/rollup_store.py — ``array_literal``, the form in which the bulk writes hand
PostgreSQL a column of thousands of values: every value must come back as it went in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from metrics.services.rollup_store import array_literal

TEXTS = ["plain", "", 'a "quoted" word', "back\\slash", "{braces}, commas", "NULL", "تبلیغ",
         "  spaced  ", None]


def test_integers_are_joined_as_they_are() -> None:
    assert array_literal([1, -2, 30]) == "{1,-2,30}"
    assert array_literal([1, None, 3]) == "{1,NULL,3}"
    assert array_literal([]) == "{}"


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "cast"), [
    (TEXTS, "text[]"),
    ([3, None, -9_000_000_000], "bigint[]"),
    ([dt.date(2026, 12, 3), None], "date[]"),
    ([dt.datetime(2026, 12, 3, 10, 30, 5, 123456, tzinfo=dt.UTC), None], "timestamptz[]"),
    ([Decimal("12.40"), Decimal("-0.01"), None], "numeric[]"),
    ([True, False, None], "boolean[]"),
])
def test_postgresql_reads_back_exactly_what_was_sent(values, cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("array literals are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{cast}", [array_literal(values)])
        assert cursor.fetchone()[0] == values
