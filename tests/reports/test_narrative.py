"""The "what changed" sentences: the two largest movements of the last week against the week
before, and the target furthest behind pace (pure: no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reports.narrative import movement_sentence, movements, pace_sentence, sentences


def _series(**paths: list[float | None]) -> list[dict[str, Any]]:
    """Day documents whose ``group.field`` values follow the given cumulative lists."""
    length = len(next(iter(paths.values())))
    days: list[dict[str, Any]] = [{"currency": "USD"} for _ in range(length)]
    for path, values in paths.items():
        group, name = path.split(".")
        for doc, value in zip(days, values, strict=True):
            doc.setdefault(group, {})[name] = value
    return days


def _cumulative(per_day: list[float]) -> list[float]:
    out, total = [], 0.0
    for value in per_day:
        total += value
        out.append(total)
    return out


def test_the_largest_relative_movements_come_first() -> None:
    days = _series(**{
        # 10/day, then 30/day: +200%
        "ctr.clicks": _cumulative([10] * 8 + [30] * 7),
        # 100/day throughout: +0%
        "awareness.impressions": _cumulative([100] * 15),
        # 5/day, then 4/day: −20%
        "traffic.visits": _cumulative([5] * 8 + [4] * 7),
    })
    found = movements(days)
    assert [m.label for m in found] == ["Link clicks", "Site visits", "Impressions"]
    assert found[0].recent == 210 and found[0].before == 70
    assert movement_sentence(found[0], "USD") == (
        "Link clicks grew by 210 over the last 7 days, 200% more than in the 7 days before."
    )
    assert movement_sentence(found[1], "USD") == (
        "Site visits grew by 28 over the last 7 days, 20% less than in the 7 days before."
    )
    assert "about the same" in movement_sentence(found[2], "USD")


def test_a_short_series_compares_nothing_and_unreported_measures_are_left_out() -> None:
    days = _series(**{"conversion.revenue": [0, 50.5, 120.25], "ctr.clicks": [None, None, None]})
    (only,) = movements(days)
    assert only.before is None and only.days == 2
    assert movement_sentence(only, "EUR") == "Revenue grew by 120.25 EUR over the last 2 days."
    assert movements(days[:1]) == []


def test_a_fall_reads_as_a_fall() -> None:
    days = _series(**{"awareness.reach": [500, 450, 400]})
    assert movement_sentence(movements(days)[0], "") == "Reach fell by 100 over the last 2 days."


def _targets(*items: tuple[str, float, float]) -> dict[str, Any]:
    return {"currency": "USD", "targets": [
        {"metric": m, "target": t, "actual": a} for m, t, a in items
    ]}


def test_the_target_furthest_behind_pace_is_named() -> None:
    total = _targets(("conversion.conversions", 100, 20), ("awareness.impressions", 1000, 600))
    text = pace_sentence(total, date(2026, 3, 1), date(2026, 3, 10), today=date(2026, 3, 5))
    assert text == (
        "The target furthest behind pace is Conversions: 20 of 100 (20%) with 50% of the "
        "campaign's days gone."
    )


@pytest.mark.parametrize(
    ("total", "today", "expected"),
    [
        (_targets(("ctr.clicks", 100, 90)), date(2026, 3, 5), "Every target is on pace"),
        ({"targets": []}, date(2026, 3, 5), "No KPI targets are set"),
        (None, date(2026, 3, 5), "No KPI targets are set"),
        (_targets(("ctr.clicks", 100, 0)), date(2026, 2, 1), "has not started yet"),
    ],
)
def test_pace_without_a_laggard(total: Any, today: date, expected: str) -> None:
    assert expected in pace_sentence(total, date(2026, 3, 1), date(2026, 3, 10), today)


def test_there_are_always_three_sentences_or_a_clear_reason() -> None:
    days = _series(**{"ctr.clicks": [1, 2, 3], "traffic.visits": [1, 1, 4]})
    assert len(sentences(days, None, start=date(2026, 3, 1), end=date(2026, 3, 3),
                         today=date(2026, 3, 3))) == 3
    quiet = sentences([], None, start=date(2026, 3, 1), end=date(2026, 3, 3),
                      today=date(2026, 3, 3))
    assert quiet[0].startswith("No daily numbers have moved yet") and len(quiet) == 2
