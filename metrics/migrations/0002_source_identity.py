"""A conversion's and a visit's identity becomes (brand, source, external id), so the public
pixel can never overwrite a record Shopify, the API or an import wrote; Shopify's ``updated_at``
is kept so an older payload never overwrites a newer one. Every existing row already satisfies
the new constraints (they are wider than the old ones)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("metrics", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversion",
            name="source_updated_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the source last changed the record (Shopify's updated_at); a "
                "payload older than this is not applied.",
                null=True,
            ),
        ),
        # The new constraints first, so the table is never without one.
        migrations.AddConstraint(
            model_name="conversion",
            constraint=models.UniqueConstraint(
                fields=("brand", "source", "external_id"),
                name="conversion_unique_source_external",
            ),
        ),
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("brand", "source", "external_id"),
                name="visit_unique_source_external",
            ),
        ),
        migrations.RemoveConstraint(model_name="conversion", name="conversion_unique_external"),
        migrations.RemoveConstraint(model_name="visit", name="visit_unique_external"),
    ]
