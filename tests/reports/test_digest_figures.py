"""What a digest reports (``reports.digest_figures``): how a headline KPI moved since the last
digest, in words. No database."""

from __future__ import annotations

import pytest

from reports.digest_figures import change_text, with_changes


@pytest.mark.parametrize(
    ("now", "before", "kind", "expected"),
    [
        (105, 84, "count", "+21 (+25.0%)"),
        (84, 105, "count", "−21 (−20.0%)"),
        (1250.5, 1000, "money", "+250.50 USD (+25.1%)"),
        (12, 0, "count", "+12"),
        (0.96, 1.36, "percent", "−0.40 pts"),
        (1.4, 1.2, "ratio", "+0.20×"),
        (84, 84, "count", "no change"),
        (84, None, "count", ""),
        (None, 84, "count", ""),
    ],
)
def test_change_text(now, before, kind, expected) -> None:
    assert change_text(now, before, kind, "USD") == expected


def test_the_first_digest_has_no_change_and_a_vanished_kpi_none() -> None:
    figures = {"currency": "USD", "kpis": [
        {"group": "conversion", "title": "Conversions", "kind": "count", "value": 90.0,
         "display": "90"},
        {"group": "traffic", "title": "Traffic", "kind": "count", "value": 10.0, "display": "10"},
    ]}
    assert [k["change"] for k in with_changes(figures, None)] == ["", ""]
    previous = {"kpis": [{"group": "conversion", "value": 60.0}]}
    assert [k["change"] for k in with_changes(figures, previous)] == ["+30 (+50.0%)", ""]
