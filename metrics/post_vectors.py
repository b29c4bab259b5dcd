"""A campaign's post delta vectors (``metrics.kpis.POST_VECTOR``: each post's counter changes,
summed per day of capture) summed the two ways the KPI builder reads them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Vector = list[int]


def summed(vectors: list[Any]) -> Vector:
    """The element-wise sum of delta vectors."""
    return [sum(column) for column in zip(*vectors, strict=True)]


@dataclass
class PostVectors:
    """The post delta vectors of a campaign, summed for the totals and for the series."""

    # (partnership, platform) → the sum of every day's deltas up to T.
    totals: dict[tuple[int, str], Vector]
    # (day, platform, the sum of that day's deltas over every partnership).
    days: list[tuple[dt.date | None, str, Vector]]


def post_vectors_split(rows: Iterable[tuple[Any, ...]]) -> PostVectors:
    """Rows ``(day, partnership, platform, *POST_VECTOR)`` → their ``PostVectors``. A row of
    zeros (a post moved away, a snapshot repeating the last) changes no sum and names no
    platform, so it is left out."""
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    by_day: dict[tuple[dt.date | None, str], list[Any]] = defaultdict(list)
    for row in rows:
        deltas = [int(v or 0) for v in row[3:]]
        if any(deltas):
            by_key[(row[1], row[2])].append(deltas)
            by_day[(row[0], row[2])].append(deltas)
    return PostVectors(
        totals={key: summed(vectors) for key, vectors in by_key.items()},
        days=[(day, platform, summed(vectors))
              for (day, platform), vectors in by_day.items()],
    )
