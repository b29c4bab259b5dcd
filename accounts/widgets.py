"""Form widgets that follow the reader's language: a date typed and shown in the Jalali
calendar for a Persian reader (stored as an ordinary date), the browser's date picker for
everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from accounts.l10n import (
    digits,
    is_persian,
    jalali_input,
    latin_digits,
    parse_jalali,
    parse_jalali_datetime,
)


class LocalDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if is_persian():
            widget = context["widget"]
            widget["type"] = "text"
            widget["attrs"].update(
                {"dir": "ltr", "inputmode": "numeric", "placeholder": digits("1405/09/12"),
                 "autocomplete": "off"}
            )
            if isinstance(value, dt.date):
                widget["value"] = jalali_input(value)
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """A Jalali date (Persian or Latin digits) arrives as the ISO date the field parses;
        anything else is handed on as typed, for the field to accept or explain."""
        raw = super().value_from_datadict(data, files, name)
        if not isinstance(raw, str):
            return raw
        gregorian = parse_jalali(raw)
        return gregorian.isoformat() if gregorian else latin_digits(raw)


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, or for a Persian reader a Jalali date and a time
    typed as text ("1405/09/12 14:30"), handed on as the ISO value the field parses."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if is_persian():
            widget = context["widget"]
            widget["type"] = "text"
            widget["attrs"].update(
                {"dir": "ltr", "placeholder": digits("1405/09/12 14:30"), "autocomplete": "off"}
            )
            if isinstance(value, dt.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                widget["value"] = f"{jalali_input(local.date())} {digits(f'{local:%H:%M}')}"
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = super().value_from_datadict(data, files, name)
        if not isinstance(raw, str):
            return raw
        moment = parse_jalali_datetime(raw)
        return moment.isoformat(timespec="minutes") if moment else latin_digits(raw)
