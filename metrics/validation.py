"""The rules an incoming record must meet, once per input kind.

Every path that writes post metrics, comments, follower counts, conversions or visits — the
API, the entry forms, the CSV import, the platform exports and the connectors — reaches these
rules through the ingestion services, which refuse a batch whose item breaks one. Callers only
turn their own text (JSON, form fields, CSV cells) into Python values and show the errors in
their own shape; they do not restate a rule.

Each ``*_errors`` function is pure and cheap (no query; a 10,000-item batch is checked in
milliseconds): it takes one item as a mapping of field name → parsed value (related records as
model instances or ids, ``None`` when absent) and returns ``{field: [message]}``, empty when
the item is valid. A rule across fields that belongs to no single field is keyed
``NON_FIELD_ERRORS``. Raising is ``config.validation``'s: ``check`` for one item,
``items_check`` (``BulkItemError``, carrying the item's index) for the first bad item of a batch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.iso import CURRENCY_ERROR, is_currency
from config.validation import NEGATIVE, Errors, Item
from metrics.models import COUNTERS, EventKind

# A trillion: above any figure a platform reports (the most-viewed videos have tens of
# billions of views), far below the database's integer limit, and readable in an error.
MAX_COUNT = 10**12
MAX_AMOUNT = Decimal("999999999999.99")
MAX_COMMENT_LENGTH = 10_000
MAX_EXTERNAL_ID_LENGTH = 100

# Translated when shown (lazy); the rules below return them as plain text.
REQUIRED = gettext_lazy("This field is required.")
NOT_INTEGER = gettext_lazy("A valid integer is required.")
TOO_LARGE = lazy(
    lambda: _("Must be at most %(max)s: no platform reports a larger count.")
    % {"max": f"{MAX_COUNT:,}"},
    str,
)()
NOT_AWARE = gettext_lazy("Give a date and time with a UTC offset.")
EMPTY_SNAPSHOT = lazy(
    lambda: _("Enter at least one metric: a snapshot with every counter empty (%(counters)s) "
              "says nothing.") % {"counters": ", ".join(COUNTERS)},
    str,
)()
# A device clock a little ahead of ours is not a snapshot "from the future".
CLOCK_SKEW = dt.timedelta(minutes=1)
ONE_ACCOUNT = gettext_lazy(
    "Give exactly one account: either a brand account or a creator account "
    "(brand_account or social_account)."
)


# --- Field rules (shared by the kinds below) -------------------------------------------------
def count_problem(value: Any) -> str | None:
    if type(value) is not int:  # bool is an int subclass and never a count
        return str(NOT_INTEGER)
    if value < 0:
        return str(NEGATIVE)
    if value > MAX_COUNT:
        return str(TOO_LARGE)
    return None


def _text_problem(value: Any, max_length: int | None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return str(REQUIRED)
    if "\x00" in value:
        return _("Null characters are not allowed.")
    if max_length is not None and len(value) > max_length:
        return _too_long(max_length)
    return None


def _too_long(max_length: int) -> str:
    return _("Ensure this field has no more than %(max)s characters.") % {"max": max_length}


def _aware_problem(value: Any) -> str | None:
    if value is None:
        return str(REQUIRED)
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        return str(NOT_AWARE)
    return None


def future_problem(value: Any, now: dt.datetime | None = None) -> str | None:
    """A snapshot records totals already seen: a time after now (beyond ``CLOCK_SKEW``) is
    refused, said in the zone the time was given in (a form's: the organization's)."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        return None
    now = now or dt.datetime.now(dt.UTC)
    if value <= now + CLOCK_SKEW:
        return None
    local_now = now.astimezone(value.tzinfo)
    return _(
        "%(when)s is in the future (it is now %(now)s): a snapshot records totals already "
        "seen, so give the time they were read."
    ) % {
        "when": f"{value:%Y-%m-%d %H:%M} {value.tzname()}",
        "now": f"{local_now:%Y-%m-%d %H:%M} {local_now.tzname()}",
    }


def _require(item: Item, errors: Errors, *names: str) -> None:
    for name in names:
        if item.get(name) is None:
            errors.setdefault(name, []).append(str(REQUIRED))


# --- One function per input kind -------------------------------------------------------------
def has_counters(item: Item) -> bool:
    """Whether a snapshot reports at least one counter (a snapshot of nothing is refused)."""
    return any(item.get(name) is not None for name in COUNTERS)


def post_metrics_errors(item: Item) -> Errors:
    """A snapshot of a post's cumulative counters: a post, an aware time not in the future,
    each counter a count or ``None`` (not reported, never 0 for that), and at least one counter reported."""
    errors: Errors = {}
    _require(item, errors, "post")
    captured_at = item.get("captured_at")
    if problem := _aware_problem(captured_at) or future_problem(captured_at):
        errors["captured_at"] = [problem]
    for name in COUNTERS:
        value = item.get(name)
        if value is not None and (problem := count_problem(value)):
            errors[name] = [problem]
    if not has_counters(item):
        errors[NON_FIELD_ERRORS] = [str(EMPTY_SNAPSHOT)]
    return errors


def comment_errors(item: Item) -> Errors:
    """A comment on a post: its platform id (the idempotency key), its text and when."""
    errors: Errors = {}
    _require(item, errors, "post")
    if problem := _text_problem(item.get("external_id"), MAX_EXTERNAL_ID_LENGTH):
        errors["external_id"] = [problem]
    if problem := _text_problem(item.get("text"), MAX_COMMENT_LENGTH):
        errors["text"] = [problem]
    if problem := _aware_problem(item.get("posted_at")):
        errors["posted_at"] = [problem]
    return errors


def follower_snapshot_errors(item: Item) -> Errors:
    """Followers of exactly one account — a brand account or a creator's social account — on
    a day. (The ``followersnapshot_one_account`` constraint holds the same rule in the
    database.)"""
    errors: Errors = {}
    given = [n for n in ("brand_account", "social_account") if item.get(n) is not None]
    if len(given) != 1:
        errors["brand_account"] = [str(ONE_ACCOUNT)]
        errors["social_account"] = [str(ONE_ACCOUNT)]
    day = item.get("date")
    if day is None:
        errors["date"] = [str(REQUIRED)]
    elif not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors["date"] = [_("Enter a date (YYYY-MM-DD).")]
    followers = item.get("followers")
    if followers is None:
        errors["followers"] = [str(REQUIRED)]
    elif problem := count_problem(followers):
        errors["followers"] = [problem]
    return errors


def conversion_errors(item: Item) -> Errors:
    """An order or funnel event of a brand: its id (the idempotency key), an aware time, a
    gross amount ≥ 0 with at most two decimals, an ISO 4217 currency (blank: the brand's),
    and a hand-picked partnership only of the same brand."""
    errors: Errors = {}
    brand = item.get("brand")
    _require(item, errors, "brand")
    if problem := _text_problem(item.get("external_id"), MAX_EXTERNAL_ID_LENGTH):
        errors["external_id"] = [problem]
    if problem := _aware_problem(item.get("occurred_at")):
        errors["occurred_at"] = [problem]
    kind = item.get("kind")
    if kind is not None and kind not in EventKind.values:
        errors["kind"] = [_('"%(value)s" is not a valid choice.') % {"value": kind}]
    amount = item.get("amount")
    if amount is not None:
        if not isinstance(amount, Decimal) or not amount.is_finite():
            errors["amount"] = [_("A valid number is required.")]
        elif amount < 0:
            errors["amount"] = [str(NEGATIVE)]
        elif amount > MAX_AMOUNT:
            errors["amount"] = [
                _("Ensure this value is less than or equal to %(max)s.") % {"max": MAX_AMOUNT}
            ]
        elif amount != amount.quantize(Decimal("0.01")):
            errors["amount"] = [_("Ensure that there are no more than 2 decimal places.")]
    currency = item.get("currency") or ""
    if currency and not is_currency(currency):
        errors["currency"] = [str(CURRENCY_ERROR)]
    partnership = item.get("partnership")
    if partnership is not None and brand is not None and hasattr(partnership, "campaign"):
        if partnership.campaign.brand_id != getattr(brand, "pk", brand):
            errors["partnership"] = [_("This partnership is not the brand's.")]
    return errors


def visit_errors(item: Item) -> Errors:
    """A landing on a brand's site: the brand and an aware time; the optional external id is
    the idempotency key."""
    errors: Errors = {}
    _require(item, errors, "brand")
    if problem := _aware_problem(item.get("occurred_at")):
        errors["occurred_at"] = [problem]
    external_id = item.get("external_id") or ""
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        errors["external_id"] = [_too_long(MAX_EXTERNAL_ID_LENGTH)]
    return errors
