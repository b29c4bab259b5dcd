"""Create the database cache table of the embedded mode (API throttling and the debounced KPI
recompute use the cache), so `migrate` alone leaves a working server. A no-op when the cache is
Redis or the table exists."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
