"""Clicks become a table partitioned by UTC month of ``occurred_at`` (PostgreSQL only;
``metrics.partitions.convert_to_monthly_partitions`` says how). The foreign keys of visits and
conversions to their matched click stay relations for Django (which still sets them to NULL
when a click goes) but are no longer database constraints: PostgreSQL cannot point one at a
partitioned table's ``id`` alone, and a month's partition must be droppable whole."""

from __future__ import annotations

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models


def partition(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from metrics.partitions import convert_to_monthly_partitions

    convert_to_monthly_partitions("metrics_click", "occurred_at", dt.datetime.now(dt.UTC).date())


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_partition_post_metrics_by_month")]

    operations = [
        migrations.AlterField(
            model_name="conversion",
            name="matched_click",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True,
                on_delete=django.db.models.deletion.SET_NULL, related_name="conversions",
                to="metrics.click",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="matched_click",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True,
                on_delete=django.db.models.deletion.SET_NULL, related_name="visits",
                to="metrics.click",
            ),
        ),
        # Irreversible: a partitioned table is not turned back into one.
        migrations.RunPython(partition, elidable=False),
    ]
