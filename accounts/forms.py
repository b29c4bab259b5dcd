"""Forms of the owner pages: invitations, roles, API keys and the organization's settings."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from accounts.models import Organization, Role

EXPIRY_CHOICES = [
    ("", "Never"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=254, required=False,
        help_text="Only the person signed in with this address can use the link. Leave it "
        "empty for a link anyone signed in can use once.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses the key, e.g. “Shopify sync”.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class OrganizationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices,
        help_text="Campaign dates and daily reports are read in this time zone.",
    )

    class Meta:
        model = Organization
        fields = ("name", "time_zone")
