from django.db import migrations, models


def _compression(method: str):
    """KPI documents (a few kB of JSON each, hundreds per campaign, rewritten at every
    recompute) compressed with lz4 where PostgreSQL offers it: it writes them in about two
    thirds of pglz's time."""

    def apply(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s = ANY(enumvals) FROM pg_settings "
                           "WHERE name = 'default_toast_compression'", [method])
            row = cursor.fetchone()
            if row and row[0]:
                cursor.execute("ALTER TABLE metrics_kpisnapshot ALTER COLUMN data "
                               f"SET COMPRESSION {method}")

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0009_sentiment_unread'),
    ]

    operations = [
        migrations.AddField(
            model_name='kpisnapshot',
            name='digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=32),
        ),
        migrations.RunPython(_compression("lz4"), _compression("pglz")),
    ]
