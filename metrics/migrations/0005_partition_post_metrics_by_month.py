"""Post metrics become a table partitioned by UTC month of ``captured_at`` (PostgreSQL only;
``metrics.partitions.convert_to_monthly_partitions`` says how). The idempotency key
``(post, captured_at)`` already holds the partition key."""

from __future__ import annotations

import datetime as dt

from django.db import migrations


def partition(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from metrics.partitions import convert_to_monthly_partitions

    convert_to_monthly_partitions("metrics_postmetrics", "captured_at", dt.datetime.now(dt.UTC).date())


class Migration(migrations.Migration):
    dependencies = [("metrics", "0004_click_id_unique_without_pattern_index")]

    # Irreversible: a partitioned table is not turned back into one.
    operations = [migrations.RunPython(partition, elidable=False)]
