"""Post metrics become a table partitioned by month of ``captured_at`` (PostgreSQL only).

PostgreSQL wants the partition key in every unique key: the primary key becomes ``(id,
captured_at)`` (ids still come from one sequence, so ``id`` stays unique and Django keeps using
it alone) and the idempotency key ``(post, captured_at)`` already holds it. Identity columns
cannot be partitioned before PostgreSQL 17, so ``id`` takes its values from an owned sequence,
as a ``serial`` would. Rows are copied into monthly partitions (from the earliest snapshot's
month, at most two years back, to three months ahead, plus a default partition), and
``captured_at`` gets a BRIN index: snapshots arrive in time order, so a block range summarises
them in a few bytes.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

TABLE = "metrics_postmetrics"
OLD = "metrics_postmetrics_unpartitioned"
SEQUENCE = "metrics_postmetrics_id_seq"


def _names(cursor, table: str, kind: str) -> list[str]:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = %s",
        [table, kind],
    )
    return [row[0] for row in cursor.fetchall()]


def partition(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from metrics.partitions import (
        MONTHS_AHEAD,
        create_month_partition,
        month_start,
        next_month,
    )

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        # Free the names the new table takes over (primary key, unique key, foreign key, index).
        for kind in ("p", "u", "f"):
            for name in _names(cursor, OLD, kind):
                cursor.execute(f'ALTER TABLE {OLD} RENAME CONSTRAINT "{name}" TO "{name}_old"')
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [OLD, f"{TABLE}_post_id%"],
        )
        post_indexes = [row[0] for row in cursor.fetchall()]
        for name in post_indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name}_old"')
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY RANGE (captured_at)"
        )
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE}_p OWNED BY {TABLE}.id")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}_p')")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, captured_at)")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT postmetrics_unique_time UNIQUE (post_id, captured_at)"
        )
        for name in post_indexes:
            cursor.execute(f'CREATE INDEX "{name}" ON {TABLE} (post_id)')
        cursor.execute(f"CREATE INDEX {TABLE}_captured_brin ON {TABLE} USING brin (captured_at)")
        cursor.execute(f"SELECT min(captured_at) FROM {OLD}")
        earliest = cursor.fetchone()[0]
    today = dt.datetime.now(dt.UTC).date()
    # Months before the last two years go to the default partition (a stray old date would
    # otherwise create hundreds of partitions).
    oldest = month_start(today - dt.timedelta(days=2 * 365))
    month = max(month_start(min(earliest.date(), today) if earliest else today), oldest)
    last = month_start(today)
    for _ in range(MONTHS_AHEAD):
        last = next_month(last)
    while month <= last:
        create_month_partition(TABLE, month)
        month = next_month(month)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
        cursor.execute(
            f"SELECT setval('{SEQUENCE}_p', COALESCE((SELECT max(id) FROM {TABLE}), 0) + 1, false)"
        )
        for name in _names(cursor, OLD, "f"):
            cursor.execute(f'ALTER TABLE {OLD} DROP CONSTRAINT "{name}"')
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE}_p RENAME TO {SEQUENCE}")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_post_id_fk_campaigns_post_id "
            "FOREIGN KEY (post_id) REFERENCES campaigns_post (id) DEFERRABLE INITIALLY DEFERRED"
        )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0004_click_id_unique_without_pattern_index")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
