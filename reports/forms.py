"""Forms of the client-report pages: a new share link."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("In 30 days")), ("7", _("In 7 days")), ("90", _("In 90 days")),
    ("365", _("In a year")), ("", _("Never")),
]


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        max_length=100, required=False, label=_("Label"),
        help_text=_("Who it is for, e.g. “Client weekly review”."),
    )
    expires_in = forms.ChoiceField(
        choices=EXPIRY_CHOICES, required=False, initial="30", label=_("Expires")
    )
    show_costs = forms.BooleanField(
        required=False, label=_("Show costs, fees and ROI"),
        help_text=_("Off by default: the client sees results, not what each creator is paid."),
    )

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


# --- Digests ----------------------------------------------------------------------------------
from reports.models import DigestFrequency  # noqa: E402 (the digest forms are appended here)

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]
HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
DAY_OF_MONTH_CHOICES = [(day, str(day)) for day in range(1, 29)]


class DigestScheduleForm(forms.Form):
    frequency = forms.ChoiceField(choices=DigestFrequency.choices, label=_("Frequency"))
    weekday = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES, coerce=int, label=_("Day of the week"),
        help_text=_("For weekly digests."),
    )
    day_of_month = forms.TypedChoiceField(
        choices=DAY_OF_MONTH_CHOICES, coerce=int, label=_("Day of the month"),
        help_text=_("For monthly digests: 1–28, so every month has it."),
    )
    hour = forms.TypedChoiceField(
        choices=HOUR_CHOICES, coerce=int, label=_("Hour"),
        help_text=_("In the organisation's time zone."),
    )
    is_active = forms.BooleanField(
        required=False, label=_("Active"),
        help_text=_("Off: nothing is sent until it is on again."),
    )


class DigestRecipientForm(forms.Form):
    email = forms.EmailField(
        max_length=254, label=_("E-mail address"),
        help_text=_("Anyone may receive the digest, inside or outside the organisation."),
    )
