"""Template filters: the one place pages format numbers, names and times. Each is a one-line
wrapper around a pure function of ``metrics.display`` / ``metrics.display_report`` /
``metrics.registry``, or around Django's own localisation (times in the active time zone —
the organisation's, activated by ``accounts.middleware`` — and dates in the locale's format),
then ``accounts.l10n`` for a Persian reader: Jalali dates and, by their setting, Persian digits.

    {{ campaign.budget|money:campaign.currency }}   → 25,000.00 USD
    {{ value|count }}                              → 1,234,567
    {{ value|kpi:"percent" }}                      → 3.20%
    {{ "tiktok"|platform }}                        → TikTok
    {{ "link_clicks"|metric }}                     → Link clicks
    {{ order.occurred_at|local_datetime }}         → Jan. 5, 2026 19:00 EST
    {{ campaign.start_date|local_date }}           → Jan. 5, 2026
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.l10n import date_text, datetime_text, digits
from accounts.models import role_name as accounts_role_name
from influencers.models import Platform
from metrics import display, display_report, registry

register = template.Library()

PLATFORM_LABELS: dict[str, Any] = dict(Platform.choices)  # "Blog" is a lazy translation


@register.filter
def kpi(value: Any, kind: str = display.COUNT) -> str:
    """``{{ value|kpi:"percent" }}`` → "3.20%"; "—" when not reported."""
    return digits(display.format_value(value, kind))


@register.filter
def money(value: Any, currency: str = "") -> str:
    """``{{ amount|money:"USD" }}`` → "25,000.00 USD": separators and the currency, always."""
    return digits(display.format_value(value, display.MONEY, currency))


@register.filter
def count(value: Any) -> str:
    """``{{ n|count }}`` → "1,234,567" (or "۱٬۲۳۴٬۵۶۷" for a reader of Persian digits)."""
    return digits(display.format_value(value, display.COUNT))


@register.filter
def rate(value: Any, currency: str = "") -> str:
    """An EMV rate at its own precision: ``{{ "0.0125"|rate:"USD" }}`` → "0.0125 USD"."""
    return digits(display.format_rate(value, currency))


@register.filter
def compact(value: Any) -> str:
    return digits(display.compact(value))


@register.filter
def percent_of(part: Any, whole: Any) -> float:
    """Share of ``whole`` in percent for meters and bars (0 when unknown)."""
    return display_report.share_percent(part, whole)


@register.filter
def platform(value: Any) -> str:
    """A platform's name as the platform writes it: "tiktok" → "TikTok" (brand names stay as
    they are in every language; "Blog", a word, is translated)."""
    label = PLATFORM_LABELS.get(str(value), str(value).replace("_", " ").title())
    return gettext(str(label))


@register.filter
def role_name(value: Any) -> str:
    """A member's role in the reader's language: "owner" → "owner" / «مالک»."""
    return accounts_role_name(str(value))


@register.filter
def metric(value: Any) -> str:
    """A KPI path or platform counter by its human name, never the raw key."""
    return registry.metric_label(str(value))


@register.filter
def local_datetime(value: Any) -> str:
    """A moment in the active (the organisation's) time zone, with the zone's abbreviation:
    the date in the locale's format, then "19:00 EST"."""
    if not isinstance(value, dt.datetime):
        return "" if value in (None, "") else str(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    english = f"{formats.date_format(local, 'DATE_FORMAT')} {local_time(local)}"
    return datetime_text(local, english)


@register.filter
def local_time(value: Any) -> str:
    """Only the time of day, in the active time zone, with its abbreviation: "19:00 EST"."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return digits(f"{local:%H:%M} {local.tzname() or ''}".strip())


@register.filter
def local_date(value: Any) -> str:
    """A date (or a moment's date in the active time zone) in the locale's format."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.date):
        return "" if value in (None, "") else str(value)
    return date_text(value, formats.date_format(value, "DATE_FORMAT"))


@register.filter(expects_localtime=True)
def local_format(value: Any, fmt: str) -> str:
    """Django's ``|date:fmt`` for an English reader; for a Persian reader the Jalali date (and
    the time when ``fmt`` shows one), so every date on a page follows one calendar."""
    if not isinstance(value, dt.date):
        return "" if value in (None, "") else str(value)
    english = formats.date_format(value, fmt)
    if isinstance(value, dt.datetime) and "H" in fmt:
        return datetime_text(value, english)
    day = value.date() if isinstance(value, dt.datetime) else value
    return date_text(day, english)
