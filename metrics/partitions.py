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
PARTITIONED_TABLES = {"metrics_postmetrics": "captured_at", "metrics_click": "occurred_at"}
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


def convert_to_monthly_partitions(table: str, column: str, today: dt.date) -> None:
    """Rebuild ``table`` (PostgreSQL) as partitioned by UTC month of ``column``, keeping its
    rows, ids, check constraints, unique keys, indexes and foreign keys (for migrations).

    PostgreSQL wants the partition key in every unique key, so the primary key becomes
    ``(id, column)`` — ids still come from one sequence, so ``id`` stays unique and Django keeps
    using it alone — and every other unique key must already hold ``column``. Identity columns
    cannot be partitioned before PostgreSQL 17: ``id`` takes its values from an owned sequence,
    as a ``serial`` would. Partitions run from the earliest row's month (at most two years
    back; older rows go to a default partition) to ``MONTHS_AHEAD`` months ahead; ``column``
    gets a BRIN index (rows arrive in time order, so a block range summarises them)."""
    old, sequence = f"{table}_unpartitioned", f"{table}_id_seq"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, kind, definition in constraints:
            if kind == "u" and column not in definition:
                raise ValueError(f"{table}: unique key {name} lacks the partition key {column}")
        cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
        for name, _kind, _definition in constraints:
            cursor.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{name}" TO "{name}_old"')
        for name, _definition in indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name}_old"')
        cursor.execute(
            f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            f"PARTITION BY RANGE ({column})"
        )
        cursor.execute(f"CREATE SEQUENCE {sequence}_p OWNED BY {table}.id")
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}_p')")
        for name, kind, definition in constraints:
            if kind == "p":
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" PRIMARY KEY (id, {column})')
            elif kind == "u":
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:  # captured before the rename: names the new table
            cursor.execute(definition)
        cursor.execute(f"CREATE INDEX {table}_{column}_brin ON {table} USING brin ({column})")
        cursor.execute(f"SELECT min({column}) FROM {old}")  # noqa: S608 — fixed names
        earliest = cursor.fetchone()[0]
    oldest = month_start(today - dt.timedelta(days=2 * 365))
    month = max(month_start(min(earliest.date(), today) if earliest else today), oldest)
    last = month_start(today)
    for _ in range(MONTHS_AHEAD):
        last = next_month(last)
    while month <= last:
        create_month_partition(table, month)
        month = next_month(month)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")  # noqa: S608
        cursor.execute(
            f"SELECT setval('{sequence}_p', COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"  # noqa: S608
        )
        cursor.execute(f"DROP TABLE {old}")  # fails if a foreign key still points at it
        cursor.execute(f"ALTER SEQUENCE {sequence}_p RENAME TO {sequence}")
        for name, kind, definition in constraints:
            if kind == "f":
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
