"""How numbers and dates read in the reader's language: Persian digits, the Jalali calendar.

The language is Django's active translation; the digits are the reader's own setting (or the
language's habit), held for the request in a context variable the language middleware sets.
Values stay what they are in the database and the API — only their text on a page changes.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from typing import Any

import jdatetime
from django.conf import settings
from django.utils import timezone, translation

PERSIAN = "fa"
LATIN_TO_PERSIAN = str.maketrans("0123456789.,%", "۰۱۲۳۴۵۶۷۸۹٫٬٪")
PERSIAN_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")
JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
# "" = as the language writes them (Persian digits in Persian), "latin", "persian".
digits_setting: ContextVar[str] = ContextVar("digits_setting", default="")


def organization_language(organization: Any) -> translation.override:
    """Text written for an organisation rather than for a reader (a ledger line's description,
    a report laid out in the background) is in the organisation's language, else the site's."""
    return translation.override(organization.default_language or settings.LANGUAGE_CODE)


def is_persian() -> bool:
    return (translation.get_language() or "").split("-")[0] == PERSIAN


def persian_digits() -> bool:
    setting = digits_setting.get()
    if setting:
        return setting == "persian"
    return is_persian()


def digits(text: str) -> str:
    """``text`` with its digits (and decimal and thousands marks) as the reader writes them."""
    return text.translate(LATIN_TO_PERSIAN) if persian_digits() else text


def latin_digits(text: str) -> str:
    """Input typed with Persian or Arabic-Indic digits, as Python parses numbers."""
    return text.translate(PERSIAN_TO_LATIN)


def date_text(value: dt.date, english: str) -> str:
    """A date as the reader reads it: Jalali in Persian ("۱۲ آذر ۱۴۰۵"), else ``english``."""
    if not is_persian():
        return digits(english)
    jalali = jdatetime.date.fromgregorian(date=value)
    return digits(f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}")


def datetime_text(value: dt.datetime, english: str) -> str:
    """A local date and time: Jalali in Persian ("۱۲ آذر ۱۴۰۵، ۱۰:۲۲ EST"), else ``english``."""
    if not is_persian():
        return digits(english)
    day = date_text(value.date(), english)
    zone = value.tzname() or ""
    return digits(f"{day}، {value:%H:%M} {zone}".rstrip())


def jalali_input(value: dt.date) -> str:
    """A date as a Persian reader types it: "۱۴۰۵/۰۹/۱۲" (the form field's own format)."""
    jalali = jdatetime.date.fromgregorian(date=value)
    return digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}")


JALALI_INPUT = re.compile(r"^\s*(1[2-4]\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})\s*$")


def parse_jalali(text: str) -> dt.date | None:
    """A date typed in the Jalali calendar (1405/09/12, Persian digits allowed), or None when
    the text is not one. Years 1200–1499 are Jalali; Gregorian years are left to Django."""
    match = JALALI_INPUT.match(latin_digits(text))
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        return None


JALALI_DATETIME_INPUT = re.compile(
    r"^\s*(1[2-4]\d\d[/\-.]\d{1,2}[/\-.]\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?\s*$"
)


def parse_jalali_datetime(text: str) -> dt.datetime | None:
    """A Jalali date with an optional time ("1405/09/12 14:30") in the active time zone (the
    organisation's), or None when the text is not one."""
    match = JALALI_DATETIME_INPUT.match(latin_digits(text))
    if match is None:
        return None
    day = parse_jalali(match.group(1))
    if day is None:
        return None
    hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
