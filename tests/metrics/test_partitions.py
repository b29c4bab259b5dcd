"""metrics/partitions.py and its migrations — post metrics and clicks partitioned by month on
PostgreSQL; plain tables on SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from metrics import partitions
from metrics.models import PostMetrics
from metrics.services.ingestion import post_metrics_ingest
from metrics.tasks import ensure_event_partitions
from tests import factories as f

TABLE = "metrics_postmetrics"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)


def _partition_of(pk: int, table: str = TABLE) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_months_roll_over_the_year_and_name_their_partitions() -> None:
    assert partitions.next_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert partitions.month_start(dt.date(2026, 2, 28)) == dt.date(2026, 2, 1)
    assert partitions.partition_name(TABLE, dt.date(2027, 1, 1)) == f"{TABLE}_y2027m01"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps plain tables")
def test_embedded_mode_keeps_plain_tables(db) -> None:
    assert partitions.ensure_month_partitions(dt.date(2026, 12, 2)) == []


@postgresql_only
@pytest.mark.parametrize(("table", "unique_key"), [
    ("metrics_postmetrics", "(post_id, captured_at)"),
    ("metrics_click", "(click_id, occurred_at)"),
])
def test_the_tables_are_partitioned_with_a_brin_index_on_time(db, table, unique_key) -> None:
    column = partitions.PARTITIONED_TABLES[table]
    assert partitions.is_partitioned(table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        definitions = [row[0] for row in cursor.fetchall()]
    assert any(f"USING brin ({column})" in d for d in definitions)
    assert any("UNIQUE" in d and unique_key in d for d in definitions)
    assert any("_pkey" in d and f"(id, {column})" in d for d in definitions)


@postgresql_only
def test_a_click_lands_in_its_month_and_a_deleted_one_unlinks_its_visits(db) -> None:
    from metrics.models import Click, Visit

    now = dt.datetime.now(dt.UTC)
    click = f.ClickFactory(occurred_at=now)
    assert _partition_of(click.pk, "metrics_click") == partitions.partition_name(
        "metrics_click", now.date().replace(day=1))
    visit = f.VisitFactory(matched_click=click)
    click.delete()  # no database foreign key any more: Django still sets the visit's to NULL
    assert Visit.objects.get(pk=visit.pk).matched_click_id is None
    assert not Click.objects.exists()


@postgresql_only
def test_a_snapshot_lands_in_its_month_and_an_old_one_in_the_default(db) -> None:
    today = dt.datetime.now(dt.UTC)
    recent = f.PostMetricsFactory(captured_at=today)
    old = f.PostMetricsFactory(captured_at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    assert _partition_of(recent.pk) == partitions.partition_name(TABLE, today.date().replace(day=1))
    assert _partition_of(old.pk) == f"{TABLE}_default"
    assert PostMetrics.objects.count() == 2 and recent.pk != old.pk


@postgresql_only
def test_the_upsert_still_tells_new_rows_from_replaced_ones(db) -> None:
    post = f.PostFactory()
    organization = post.partnership.campaign.brand.organization
    items = [{"post": post, "captured_at": dt.datetime.now(dt.UTC), "likes": 5}]
    assert post_metrics_ingest(organization=organization, items=items)[0] == 1
    items[0]["likes"] = 9
    assert post_metrics_ingest(organization=organization, items=items)[0] == 0
    assert PostMetrics.objects.get().likes == 9


@postgresql_only
def test_the_beat_task_creates_the_months_ahead_once(db) -> None:
    far = dt.date(2031, 1, 15)
    created = partitions.ensure_month_partitions(far, months_ahead=2)
    assert created == [partitions.partition_name(table, dt.date(2031, m, 1))
                       for table in partitions.PARTITIONED_TABLES for m in (1, 2, 3)]
    assert partitions.ensure_month_partitions(far, months_ahead=2) == []
    assert ensure_event_partitions() == []  # this month and the next three exist already


@postgresql_only
def test_a_month_with_rows_in_the_default_partition_is_reported_not_raised(db, caplog) -> None:
    f.PostMetricsFactory(captured_at=dt.datetime(2020, 6, 3, tzinfo=dt.UTC))
    created = partitions.ensure_month_partitions(dt.date(2020, 6, 1), months_ahead=0)
    assert created == ["metrics_click_y2020m06"]  # the clicks' default partition was empty
    assert f"could not create {TABLE}_y2020m06" in caplog.text
    assert PostMetrics.objects.count() == 1
