from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_apikey_created_by_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="require_two_factor",
            field=models.BooleanField(
                default=False,
                help_text="Owners and admins without an authenticator app are sent to set one up before they can open this organization's pages.",
                verbose_name="require two-factor sign-in for owners and admins",
            ),
        ),
    ]
