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
``NON_FIELD_ERRORS``. ``items_check`` raises ``BulkItemError`` (a Django ``ValidationError``
carrying the item's index) for the first bad item of a batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from metrics.models import COUNTERS, EventKind

Errors = dict[str, list[str]]
Item = Mapping[str, Any]

# The database's largest integer; anything above is a typo, not a count.
MAX_COUNT = 2**63 - 1
MAX_AMOUNT = Decimal("999999999999.99")
MAX_COMMENT_LENGTH = 10_000
MAX_EXTERNAL_ID_LENGTH = 100

REQUIRED = "This field is required."
NOT_INTEGER = "A valid integer is required."
NEGATIVE = "Ensure this value is greater than or equal to 0."
TOO_LARGE = f"Ensure this value is less than or equal to {MAX_COUNT}."
NOT_AWARE = "Give a date and time with a UTC offset."
EMPTY_SNAPSHOT = (
    f"Enter at least one metric: a snapshot with every counter empty ({', '.join(COUNTERS)}) "
    "says nothing."
)
ONE_ACCOUNT = (
    "Give exactly one account: either a brand account or a creator account "
    "(brand_account or social_account)."
)


class BulkItemError(ValidationError):
    """Item ``index`` of a batch is invalid; ``errors`` maps field → messages."""

    def __init__(self, index: int | None, errors: Mapping[str, list[str]]) -> None:
        super().__init__({k: list(v) for k, v in errors.items()})
        self.index = index
        self.errors = {k: list(v) for k, v in errors.items()}


# --- Field rules (shared by the kinds below) -------------------------------------------------
def count_problem(value: Any) -> str | None:
    if type(value) is not int:  # bool is an int subclass and never a count
        return NOT_INTEGER
    if value < 0:
        return NEGATIVE
    if value > MAX_COUNT:
        return TOO_LARGE
    return None


def _text_problem(value: Any, max_length: int | None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return REQUIRED
    if "\x00" in value:
        return "Null characters are not allowed."
    if max_length is not None and len(value) > max_length:
        return f"Ensure this field has no more than {max_length} characters."
    return None


def _aware_problem(value: Any) -> str | None:
    if value is None:
        return REQUIRED
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        return NOT_AWARE
    return None


def _require(item: Item, errors: Errors, *names: str) -> None:
    for name in names:
        if item.get(name) is None:
            errors.setdefault(name, []).append(REQUIRED)


# --- One function per input kind -------------------------------------------------------------
def has_counters(item: Item) -> bool:
    """Whether a snapshot reports at least one counter (a snapshot of nothing is refused)."""
    return any(item.get(name) is not None for name in COUNTERS)


def post_metrics_errors(item: Item) -> Errors:
    """A snapshot of a post's cumulative counters: a post, an aware time, each counter a
    count or ``None`` (not reported, never 0 for that), and at least one counter reported."""
    errors: Errors = {}
    _require(item, errors, "post")
    if problem := _aware_problem(item.get("captured_at")):
        errors["captured_at"] = [problem]
    for name in COUNTERS:
        value = item.get(name)
        if value is not None and (problem := count_problem(value)):
            errors[name] = [problem]
    if not has_counters(item):
        errors[NON_FIELD_ERRORS] = [EMPTY_SNAPSHOT]
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
        errors["brand_account"] = [ONE_ACCOUNT]
        errors["social_account"] = [ONE_ACCOUNT]
    day = item.get("date")
    if day is None:
        errors["date"] = [REQUIRED]
    elif not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors["date"] = ["Enter a date (YYYY-MM-DD)."]
    followers = item.get("followers")
    if followers is None:
        errors["followers"] = [REQUIRED]
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
        errors["kind"] = [f'"{kind}" is not a valid choice.']
    amount = item.get("amount")
    if amount is not None:
        if not isinstance(amount, Decimal) or not amount.is_finite():
            errors["amount"] = ["A valid number is required."]
        elif amount < 0:
            errors["amount"] = [NEGATIVE]
        elif amount > MAX_AMOUNT:
            errors["amount"] = [f"Ensure this value is less than or equal to {MAX_AMOUNT}."]
        elif amount != amount.quantize(Decimal("0.01")):
            errors["amount"] = ["Ensure that there are no more than 2 decimal places."]
    currency = item.get("currency") or ""
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        errors["currency"] = ["Use a three-letter ISO 4217 code, e.g. USD."]
    partnership = item.get("partnership")
    if partnership is not None and brand is not None and hasattr(partnership, "campaign"):
        if partnership.campaign.brand_id != getattr(brand, "pk", brand):
            errors["partnership"] = ["This partnership is not the brand's."]
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
        errors["external_id"] = [
            f"Ensure this field has no more than {MAX_EXTERNAL_ID_LENGTH} characters."
        ]
    return errors


def cost_errors(item: Item) -> Errors:
    """A campaign cost: an amount ≥ 0 and, when it is a partnership's, a partnership of the
    same campaign. ``campaign`` and ``partnership`` are instances or ``None``."""
    errors: Errors = {}
    amount = item.get("amount")
    if isinstance(amount, Decimal | int) and amount < 0:
        errors["amount"] = [NEGATIVE]
    campaign, partnership = item.get("campaign"), item.get("partnership")
    if campaign is not None and partnership is not None:
        if partnership.campaign_id != campaign.pk:
            errors["partnership"] = ["This partnership is in another campaign."]
    return errors


# --- Raising forms ---------------------------------------------------------------------------
def check(errors_of: Callable[[Item], Errors], item: Item) -> None:
    """Raise ``ValidationError({field: [message]})`` when ``item`` breaks a rule."""
    if errors := errors_of(item):
        raise ValidationError(errors)


def items_check(errors_of: Callable[[Item], Errors], items: Iterable[Item]) -> None:
    """Raise ``BulkItemError`` naming the first bad item of a batch and its fields."""
    for index, item in enumerate(items):
        if errors := errors_of(item):
            raise BulkItemError(index, errors)
