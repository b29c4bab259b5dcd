"""How a validation rule is written and how it raises, shared by every app's rules
(``metrics.validation`` for ingested records, ``campaigns.validation`` for costs).

A rule is a pure function ``errors_of(item) -> Errors``: it takes one item as a mapping of
field name → parsed value and returns ``{field: [message]}``, empty when the item is valid.
``check`` raises a Django ``ValidationError`` for one item; ``items_check`` raises
``BulkItemError`` (a ``ValidationError`` carrying the item's index) for the first bad item of
a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

Errors = dict[str, list[str]]
Item = Mapping[str, Any]

# Django's own wording (``MinValueValidator(0)``), so every rule set says it the same way.
NEGATIVE = "Ensure this value is greater than or equal to 0."


class BulkItemError(ValidationError):
    """Item ``index`` of a batch is invalid; ``errors`` maps field → messages."""

    def __init__(self, index: int | None, errors: Mapping[str, list[str]]) -> None:
        super().__init__({k: list(v) for k, v in errors.items()})
        self.index = index
        self.errors = {k: list(v) for k, v in errors.items()}


def check(errors_of: Callable[[Item], Errors], item: Item) -> None:
    """Raise ``ValidationError({field: [message]})`` when ``item`` breaks a rule."""
    if errors := errors_of(item):
        raise ValidationError(errors)


def items_check(errors_of: Callable[[Item], Errors], items: Iterable[Item]) -> None:
    """Raise ``BulkItemError`` naming the first bad item of a batch and its fields."""
    for index, item in enumerate(items):
        if errors := errors_of(item):
            raise BulkItemError(index, errors)
