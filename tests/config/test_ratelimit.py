"""The shared fixed-window budget: counts, refuses past the limit, tells when to come back."""

from __future__ import annotations

import pytest

from config.ratelimit import Budget, budget_hit

pytestmark = pytest.mark.django_db


def test_it_parses_rates() -> None:
    assert Budget.parse("600/min") == Budget(limit=600, window=60)
    assert Budget.parse("20/s") == Budget(limit=20, window=1)
    assert Budget.parse("10/hour") == Budget(limit=10, window=3600)


def test_it_refuses_a_rate_without_a_known_period() -> None:
    with pytest.raises(ValueError, match="not a rate"):
        Budget.parse("5/fortnight")


def test_it_lets_the_limit_through_then_says_when_to_retry() -> None:
    budget = Budget(limit=3, window=60)
    now = 1_000_040.0  # 20 s into the window that starts at 1,000,020 (a multiple of 60)
    answers = [budget_hit("k", budget, now=now) for _ in range(4)]
    assert answers[:3] == [None, None, None]
    assert answers[3] == 40


def test_budgets_are_per_key_and_per_window() -> None:
    budget = Budget(limit=1, window=60)
    assert budget_hit("a", budget, now=1_000_020.0) is None
    assert budget_hit("b", budget, now=1_000_020.0) is None
    assert budget_hit("a", budget, now=1_000_021.0) is not None
    assert budget_hit("a", budget, now=1_000_081.0) is None
