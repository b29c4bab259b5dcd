"""Fixed-window request budgets counted in the shared cache.

The count is one atomic ``INCR`` in Redis (real mode), so concurrent workers on several hosts
cannot overshoot a budget; the embedded mode's database cache is good enough for one process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

_PERIODS: dict[str, int] = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Budget:
    """``limit`` requests per ``window`` seconds."""

    limit: int
    window: int

    @classmethod
    def parse(cls, rate: str) -> Budget:
        """A rate as DRF writes one: ``"600/min"``, ``"20/s"``, ``"10000/hour"``; only the
        period's first letter counts (s, m, h, d)."""
        count, _, period = rate.partition("/")
        try:
            return cls(limit=int(count), window=_PERIODS[period.strip().lower()[:1]])
        except (KeyError, ValueError):
            raise ValueError(f"{rate!r} is not a rate like '1200/min'.") from None


def budget_hit(key: str, budget: Budget, *, now: float | None = None) -> int | None:
    """Count one request against ``key``. Returns ``None`` while within budget, else the
    seconds until the window ends (the ``Retry-After`` value, at least 1)."""
    now = time.time() if now is None else now
    window_start = int(now // budget.window) * budget.window
    cache_key = f"budget:{key}:{window_start}"
    # incr() is atomic in Redis; only the first request of a window also pays for add(), and
    # when two first requests race, the loser of add() counts through incr() after all.
    try:
        count = cache.incr(cache_key)
    except ValueError:
        count = 1 if cache.add(cache_key, 1, timeout=budget.window + 1) else cache.incr(cache_key)
    if count <= budget.limit:
        return None
    return max(1, int(window_start + budget.window - now))
