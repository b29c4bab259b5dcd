"""API keys' person becomes required (a separate migration: PostgreSQL will not alter a table
with pending trigger events from the data migration's updates in the same transaction)."""

from __future__ import annotations

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_key_owners_and_invitation_revocation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="apikey",
            name="created_by",
            field=models.ForeignKey(
                help_text="The member the key acts for.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_keys",
                to=settings.AUTH_USER_MODEL,
                verbose_name="belongs to",
            ),
        ),
    ]
