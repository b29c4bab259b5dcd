"""Forms of the client-report pages: a new share link."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

EXPIRY_CHOICES = [
    ("30", "In 30 days"), ("7", "In 7 days"), ("90", "In 90 days"), ("365", "In a year"),
    ("", "Never"),
]


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        max_length=100, required=False, help_text="Who it is for, e.g. “Client weekly review”.",
    )
    expires_in = forms.ChoiceField(
        choices=EXPIRY_CHOICES, required=False, initial="30", label="Expires"
    )
    show_costs = forms.BooleanField(
        required=False, label="Show costs, fees and ROI",
        help_text="Off by default: the client sees results, not what each creator is paid.",
    )

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


# --- Digests ----------------------------------------------------------------------------------
from reports.models import DigestFrequency  # noqa: E402 (the digest forms are appended here)

WEEKDAY_CHOICES = [
    (0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
    (5, "Saturday"), (6, "Sunday"),
]
HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
DAY_OF_MONTH_CHOICES = [(day, str(day)) for day in range(1, 29)]


class DigestScheduleForm(forms.Form):
    frequency = forms.ChoiceField(choices=DigestFrequency.choices)
    weekday = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES, coerce=int, label="Day of the week",
        help_text="For weekly digests.",
    )
    day_of_month = forms.TypedChoiceField(
        choices=DAY_OF_MONTH_CHOICES, coerce=int, label="Day of the month",
        help_text="For monthly digests: 1–28, so every month has it.",
    )
    hour = forms.TypedChoiceField(
        choices=HOUR_CHOICES, coerce=int, label="Hour",
        help_text="In the organisation's time zone.",
    )
    is_active = forms.BooleanField(
        required=False, label="Active", help_text="Off: nothing is sent until it is on again.",
    )


class DigestRecipientForm(forms.Form):
    email = forms.EmailField(
        max_length=254, label="E-mail address",
        help_text="Anyone may receive the digest, inside or outside the organisation.",
    )
