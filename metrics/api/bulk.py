"""The bulk POST every ingestion endpoint shares: a lean item validator and the answer's shape.

A request is a JSON list of up to 10,000 items; the answer is ``{"created": n, "updated": n}``.
One bad item rejects the whole request with ``{"index": i, "errors": {"field": ["message"]}}``
(the first bad item) and stores nothing; a body that is not a list, or too long a list, has
``"index": null``.

Items are parsed by plain type checks rather than a serializer per item: 10,000 items must be
accepted within a second. What a valid item is (an empty snapshot, exactly one account, ranges)
is decided by ``metrics.validation``, the rules every other input path uses too; its errors are
answered here in the bulk shape. Related ids are resolved with one query per type, scoped to
the organization, so another organization's id is "does not exist".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.api import MAX_ID
from accounts.selectors import Access, visible
from config.validation import Errors, Item
from metrics.validation import count_problem

MAX_ITEMS = 10_000

# Translated when raised (the client's language); plain text in the answer.
REQUIRED = gettext_lazy("This field is required.")
UNKNOWN = gettext_lazy("Unknown field.")
NOT_NULL = gettext_lazy("This field may not be null.")
NOT_STRING = gettext_lazy("Not a valid string.")
BLANK = gettext_lazy("This field may not be blank.")
NUL = gettext_lazy("Null characters are not allowed.")
DATETIME_FORMAT = gettext_lazy(
    "Datetime has wrong format. Use ISO 8601 with a UTC offset, e.g. 2026-03-02T10:00:00+00:00."
)
DATETIME_NAIVE = gettext_lazy("Datetime needs a UTC offset (e.g. +00:00 or Z).")
DATE_FORMAT = gettext_lazy("Date has wrong format. Use YYYY-MM-DD.")


class Invalid(Exception):
    """One field of one item is wrong; the message is what the client sees."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))


# --- Per-field checks: take the raw JSON value, return the clean one or raise Invalid --------
def check_id(value: Any) -> int:
    if type(value) is not int:  # bool is an int subclass and never an id
        raise Invalid(_("Incorrect type. Expected pk value, received %(type)s.") % {
            "type": type(value).__name__,
        })
    if not 0 < value <= MAX_ID:
        raise Invalid(_no_object(value))
    return value


def check_counter(value: Any) -> int | None:
    """A cumulative counter, or null when the platform did not report it (never 0 for that)."""
    if value is None:
        return None
    return check_count(value)


def check_count(value: Any) -> int:
    if value is None:
        raise Invalid(NOT_NULL)
    if problem := count_problem(value):
        raise Invalid(problem)
    return value


def check_aware_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise Invalid(DATETIME_FORMAT)
    text = value.strip()
    if text[-1:] in ("z", "Z"):  # RFC 3339 allows a lower-case z too
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(DATETIME_FORMAT) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Invalid(DATETIME_NAIVE)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise Invalid(DATETIME_FORMAT) from None


def check_date(value: Any) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise Invalid(DATE_FORMAT)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(DATE_FORMAT) from None


def check_text(max_length: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value is None:
            raise Invalid(NOT_NULL)
        if not isinstance(value, str):
            raise Invalid(NOT_STRING)
        if "\x00" in value:
            raise Invalid(NUL)
        if not value.strip():
            raise Invalid(BLANK)
        if max_length is not None and len(value) > max_length:
            raise Invalid(
                _("Ensure this field has no more than %(max)s characters.") % {"max": max_length}
            )
        return value

    return check


@dataclass(frozen=True)
class Field:
    check: Callable[[Any], Any]
    required: bool = False
    # Related ids are looked up (scoped) once per request, after every item passed its checks.
    related: type[Model] | None = None


@dataclass(frozen=True)
class ItemSpec:
    fields: Mapping[str, Field]
    # Rules across fields of one item: returns {field: [message]} or {}.
    cross_check: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None
    related: tuple[tuple[str, type[Model]], ...] = field(init=False)

    def __post_init__(self) -> None:
        related = tuple((n, f.related) for n, f in self.fields.items() if f.related is not None)
        object.__setattr__(self, "related", related)

    def clean(self, item: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
        if not isinstance(item, dict):
            return {}, {"non_field_errors": [_("Expected an object with the item's fields.")]}
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        for name in item.keys() - self.fields.keys():
            errors[str(name)] = [str(UNKNOWN)]
        for name, spec in self.fields.items():
            if name not in item:
                if spec.required:
                    errors[name] = [str(REQUIRED)]
                continue
            try:
                values[name] = spec.check(item[name])
            except Invalid as exc:
                errors[name] = [str(exc)]
        if not errors and self.cross_check is not None:
            errors = self.cross_check(values)
        return values, errors


class BulkRejected(ValidationError):
    """400 ``{"index": i | null, "errors": {...}}``."""

    def __init__(self, index: int | None, errors: dict[str, list[str]]) -> None:
        super().__init__()
        # Set after the base class so DRF sends exactly this shape (not a list of ErrorDetail).
        self.detail = {"index": index, "errors": errors}  # type: ignore[dict-item]


def validate_items(access: Access, spec: ItemSpec, data: Any) -> list[dict[str, Any]]:
    """The clean items with related records as model instances, or BulkRejected."""
    if not isinstance(data, list):
        raise BulkRejected(None, {"non_field_errors": [_("Expected a JSON list of items.")]})
    if len(data) > MAX_ITEMS:
        raise BulkRejected(None, {"non_field_errors": [
            _("At most %(max)s items per request (%(count)s).") % {
                "max": MAX_ITEMS, "count": len(data),
            }
        ]})
    cleaned: list[dict[str, Any]] = []
    first_bad: tuple[int, dict[str, list[str]]] | None = None
    for index, item in enumerate(data):
        values, errors = spec.clean(item)
        if errors:
            first_bad = (index, errors)
            break
        cleaned.append(values)
    # Only the items before the first malformed one can hold an earlier error: unknown ids.
    found: dict[str, dict[int, Model]] = {}
    for name, model in spec.related:
        ids = {values[name] for values in cleaned if values.get(name) is not None}
        found[name] = {obj.pk: obj for obj in visible(access, model).filter(pk__in=ids)} if ids else {}
    for index, values in enumerate(cleaned):
        missing = {
            name: [_no_object(values[name])]
            for name, _model in spec.related
            if values.get(name) is not None and values[name] not in found[name]
        }
        if missing:
            raise BulkRejected(index, missing)
        for name, _model in spec.related:
            if values.get(name) is not None:
                values[name] = found[name][values[name]]
    if first_bad is not None:
        raise BulkRejected(*first_bad)
    return cleaned


def _no_object(value: Any) -> str:
    return _('Invalid pk "%(value)s" - object does not exist.') % {"value": value}


def api_errors(errors: Errors) -> dict[str, list[str]]:
    """The domain's errors under DRF's names (``non_field_errors`` for a rule of the item)."""
    return {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in errors.items()}


def domain_rules(errors_of: Callable[[Item], Errors]) -> Callable[[dict[str, Any]], Errors]:
    """The kind's rules as an item's cross-field check, so the first bad item is reported
    whichever way it is bad (the service checks again for every other caller)."""

    def cross_check(values: dict[str, Any]) -> Errors:
        return api_errors(errors_of(values))

    return cross_check


# --- The answer, for the OpenAPI document ---------------------------------------------------
class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Items that made a new row.")
    updated = serializers.IntegerField(help_text="Items that replaced a row with the same key.")


class BulkErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        allow_null=True, help_text="Position of the first bad item; null if the body is wrong."
    )
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages.",
    )
