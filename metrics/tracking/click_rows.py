"""The drain's write of a batch of clicks: one multi-row INSERT that skips stored click ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection

from metrics.models import Click

if TYPE_CHECKING:
    from metrics.tracking.clicks import ClickRecord

CLICK_COLUMNS = (
    "link_id", "click_id", "occurred_at", "visitor_hash", "referrer_host", "device", "country",
    "is_bot", "is_unique",
)


def insert_ignoring_duplicates(records: list[tuple[ClickRecord, bool]]) -> None:
    """One multi-row ``INSERT … ON CONFLICT (click_id) DO NOTHING`` for the whole batch: one
    round trip, and no model instance per click (building them cost the drain about a third of
    its time). 9 parameters a click, well under PostgreSQL's 65,535 for BATCH_SIZE; SQLite
    (3.24+) reads the same statement. A click id already stored (a redelivered entry) is
    skipped, as ``bulk_create(ignore_conflicts=True)`` would."""
    if not records:
        return
    adapt_time = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for record, unique in records:
        params += (
            record.link_id, record.click_id, adapt_time(record.occurred_at), record.visitor_hash,
            record.referrer_host, record.device, record.country, record.is_bot,
            unique and not record.is_bot,
        )
    row = "(" + ", ".join(["%s"] * len(CLICK_COLUMNS)) + ")"
    table = connection.ops.quote_name(Click._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in CLICK_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(records))} "  # noqa: S608
            "ON CONFLICT (click_id) DO NOTHING",
            params,
        )
