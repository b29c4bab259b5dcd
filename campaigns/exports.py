"""Streamed CSV exports of the campaign report and its leaderboard.

The documents arrive already trimmed for the reader (``campaigns.selectors.kpi_document_for``);
the creators' export also drops the columns of values a reader below the compensation role may
not see, rather than leaving them empty.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are prefixed with a quote, so a creator named ``=HYPERLINK(...)``
cannot run anything in the reader's spreadsheet. Numbers we computed are written as numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from campaigns.selectors import is_cost_value
from metrics import registry
from metrics.display import value_at

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` for a CSV cell, defused when it is text a spreadsheet would evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _flatten(f"{prefix}[{i}]", inner)
    else:
        yield prefix, value


def report_rows(campaign_name: str, doc: Mapping[str, Any] | None) -> Iterator[list[Any]]:
    """``kpi, field, value`` rows of the campaign's KPI document, then its targets."""
    doc = doc or {}
    yield ["campaign", campaign_name]
    yield ["currency", doc.get("currency", "")]
    yield ["computed_at", doc.get("computed_at", "")]
    yield []
    yield ["kpi", "field", "value"]
    for group in registry.KPI_GROUPS:
        for name, value in _flatten("", doc.get(group.name) or {}):
            yield [group.name, name, _plain(value)]
    for name, value in _flatten("", doc.get("coverage") or {}):
        yield ["coverage", name, value]
    targets = doc.get("targets") or []
    if targets:
        yield []
        yield ["target metric", "target", "actual", "progress"]
        for target in targets:
            yield [
                target.get("metric"), target.get("target"), target.get("actual"),
                target.get("progress"),
            ]


# The leaderboard's columns, then a few more; each named by its registry export column.
LEADERBOARD_EXTRA = tuple((registry.export_column(path), path) for path in registry.EXPORT_EXTRA)


def leaderboard_columns(*, with_costs: bool) -> list[tuple[str, str]]:
    """``(column, document path)`` of the creators' export; without the cost values (ROI, CPA,
    total cost…) unless ``with_costs``."""
    columns = [
        *((registry.export_column(path), path) for _, _, path in registry.LEADERBOARD),
        *LEADERBOARD_EXTRA,
    ]
    return [(name, path) for name, path in columns if with_costs or not is_cost_value(path)]


def leaderboard_rows(
    rows: Iterable[Mapping[str, Any]], *, with_costs: bool
) -> Iterator[list[Any]]:
    """One row per partnership: creator, handle, status and the leaderboard's columns."""
    columns = leaderboard_columns(with_costs=with_costs)
    yield ["creator", "handle", "status", *(name for name, _ in columns)]
    for row in rows:
        doc = row["doc"]
        yield [
            row["name"], row["handle"], row["status"],
            *(_plain(value_at(doc, path)) for _, path in columns),
        ]


_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _plain(value: Any) -> Any:
    """Money arrives as a decimal string: keep it exact and write it as a number (a negative
    amount is a number, not a formula)."""
    if isinstance(value, str) and _DECIMAL.match(value):
        return Decimal(value)
    return value
