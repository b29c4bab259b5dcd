"""Monthly partitions of the raw event tables on PostgreSQL (embedded SQLite keeps plain tables).

A partitioned table holds one partition per UTC calendar month of its time column, plus a
default partition for rows outside every month created (a backfill from long ago). The beat
runs ``ensure_month_partitions`` daily, so the months ahead exist before their first row: a
row never lands in the default partition by accident, and a month's partition can later be
detached and dropped whole (retention) instead of deleted row by row.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

# Table → the time column it is partitioned by.
PARTITIONED_TABLES = {"metrics_postmetrics": "captured_at"}
MONTHS_AHEAD = 3


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_y{month.year:04d}m{month.month:02d}"


def create_month_partition(table: str, month: dt.date) -> bool:
    """Create ``table``'s partition of ``month`` unless it exists; True when created."""
    name = partition_name(table, month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        cursor.execute(
            f"CREATE TABLE {connection.ops.quote_name(name)} PARTITION OF "  # noqa: S608
            f"{connection.ops.quote_name(table)} FOR VALUES FROM (%s) TO (%s)",
            [f"{month.isoformat()} 00:00:00+00", f"{next_month(month).isoformat()} 00:00:00+00"],
        )
    return True


def is_partitioned(table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table]
        )
        return cursor.fetchone() is not None


def ensure_month_partitions(today: dt.date, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the partitions of this month and the next ``months_ahead`` of every partitioned
    table; returns the names created (none on SQLite, and none when all exist)."""
    created = []
    for table in PARTITIONED_TABLES:
        if not is_partitioned(table):
            continue
        month = month_start(today)
        for _ in range(months_ahead + 1):
            try:
                with transaction.atomic():
                    if create_month_partition(table, month):
                        created.append(partition_name(table, month))
            except DatabaseError:
                # Rows of that month already sit in the default partition (the task did not
                # run for months): they must be moved by hand before the month can be split off.
                logger.exception("could not create %s", partition_name(table, month))
            month = next_month(month)
    if created:
        logger.info("created partitions %s", ", ".join(created))
    return created
