"""The connectors' shared rules (metrics/connectors/base.py): backoff with jitter, Retry-After."""

from __future__ import annotations

import datetime as dt

from metrics.connectors.base import backoff_seconds, retry_after_seconds


def test_backoff_grows_with_jitter_and_respects_retry_after() -> None:
    delays = [backoff_seconds(attempt) for attempt in range(5)]
    assert all(30 <= d <= 60 for d in [delays[0]]) and 480 <= delays[4] <= 960
    assert backoff_seconds(0, retry_after=3600) >= 3600
    assert len({backoff_seconds(3) for _ in range(20)}) > 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Tue, 03 Mar 2026 12:05:00 GMT", now=now) == 300
    assert retry_after_seconds("soon") is None
