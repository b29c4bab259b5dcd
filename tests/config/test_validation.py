"""The shape of a validation rule and how it raises (config/validation.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from config.validation import BulkItemError, Errors, check, items_check


def positive(item: Mapping[str, Any]) -> Errors:
    return {} if item.get("n", 0) > 0 else {"n": ["Must be positive."]}


def test_check_passes_a_good_item_and_raises_the_errors_of_a_bad_one() -> None:
    check(positive, {"n": 1})
    with pytest.raises(ValidationError) as caught:
        check(positive, {"n": 0})
    assert caught.value.message_dict == {"n": ["Must be positive."]}


def test_items_check_names_the_first_bad_item() -> None:
    with pytest.raises(BulkItemError) as caught:
        items_check(positive, [{"n": 1}, {"n": 0}, {"n": -1}])
    assert caught.value.index == 1
    assert caught.value.errors == {"n": ["Must be positive."]}
    assert caught.value.message_dict == {"n": ["Must be positive."]}


def test_items_check_passes_a_good_batch() -> None:
    checked: list[int] = []

    def counting(item: Mapping[str, Any]) -> Errors:
        checked.append(item["n"])
        return positive(item)

    items_check(counting, [{"n": 1}, {"n": 2}])  # raises on the first bad item
    assert checked == [1, 2]  # every item was checked and none refused
