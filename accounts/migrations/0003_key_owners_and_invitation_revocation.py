"""Every API key belongs to a person; invitations can be revoked and may leave the e-mail empty.

Keys made before keys had to belong to someone (by the command line or by another key) are
given to their organization's first owner (without an owner, its highest-ranked member), so
they work as long as that person stays a member, with at most that person's role. A key of an
organization without any member could never authenticate again: it is deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

RANK = {"owner": 3, "admin": 2, "manager": 1, "viewer": 0}


def give_every_key_a_person(apps: Any, schema_editor: Any) -> None:
    ApiKey = apps.get_model("accounts", "ApiKey")
    Membership = apps.get_model("accounts", "Membership")
    orphans = ApiKey.objects.filter(created_by__isnull=True)
    for organization_id in orphans.values_list("organization_id", flat=True).distinct():
        members = sorted(
            Membership.objects.filter(organization_id=organization_id),
            key=lambda m: (-RANK.get(m.role, 0), m.created_at, m.pk),
        )
        keys = orphans.filter(organization_id=organization_id)
        if members:
            keys.update(created_by_id=members[0].user_id)
        else:
            keys.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="email",
            field=models.EmailField(
                blank=True, help_text="Only the user with this address may accept; empty for anyone.",
                max_length=254,
            ),
        ),
        migrations.RunPython(give_every_key_a_person, migrations.RunPython.noop),
    ]
