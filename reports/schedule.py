"""When a digest is due (pure: no Django, no ORM).

A schedule names a local wall-clock hour — every Monday at 09:00, the 1st of the month at
08:00 — in the organisation's time zone. Each local date the schedule names has exactly one
slot, the UTC moment of that hour on that date:

- an hour that does not exist on that date (clocks jump forward over it) is read with the
  offset in force before the jump (``fold=0``), which lands on the same moment as the first
  hour after the gap — 02:00 on New York's spring-forward day is 03:00 EDT;
- an hour that happens twice (clocks fall back) is its first occurrence (``fold=0``).

Slots are computed from candidate local dates around "now" and compared in UTC, so no rule
about the local clock's odd days is needed beyond the two above.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKLY = "weekly"
MONTHLY = "monthly"


@dataclass(frozen=True)
class Timing:
    """What a ``DigestSchedule`` says about time; ``weekday`` 0 = Monday."""

    frequency: str
    weekday: int = 0
    day_of_month: int = 1
    hour: int = 9

    def __post_init__(self) -> None:
        if self.frequency not in (WEEKLY, MONTHLY):
            raise ValueError(f"Unknown frequency {self.frequency!r}.")
        if not (0 <= self.weekday <= 6 and 1 <= self.day_of_month <= 28 and 0 <= self.hour <= 23):
            raise ValueError("weekday 0–6, day_of_month 1–28 and hour 0–23.")

    @classmethod
    def of(cls, schedule: Any) -> Timing:
        """The timing of anything with these four attributes (a ``DigestSchedule``)."""
        return cls(schedule.frequency, schedule.weekday, schedule.day_of_month, schedule.hour)


def slot_at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The UTC moment of ``hour``:00 local on ``day`` (see the module's rules for gaps and
    repeated hours)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _local_dates(timing: Timing, around: date) -> Iterator[date]:
    """The dates the schedule names from about two periods before ``around`` to one after:
    enough for the slot before and the slot after any moment of that local day."""
    if timing.frequency == WEEKLY:
        start = around - timedelta(days=14)
        first = start + timedelta(days=(timing.weekday - start.weekday()) % 7)
        for week in range(4):
            yield first + timedelta(weeks=week)
        return
    for offset in (-2, -1, 0, 1):
        month_index = around.year * 12 + around.month - 1 + offset
        year, month = divmod(month_index, 12)
        # day_of_month is at most 28, so every month has it; checked anyway.
        day = min(timing.day_of_month, calendar.monthrange(year, month + 1)[1])
        yield date(year, month + 1, day)


def _slots(timing: Timing, zone: ZoneInfo, now: datetime) -> list[datetime]:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime.")
    local_day = now.astimezone(zone).date()
    return sorted(slot_at(day, timing.hour, zone) for day in _local_dates(timing, local_day))


def latest_slot(timing: Timing, zone: ZoneInfo, now: datetime) -> datetime:
    """The last slot at or before ``now`` (aware), as an aware UTC datetime."""
    return max(slot for slot in _slots(timing, zone, now) if slot <= now)


def next_slot(timing: Timing, zone: ZoneInfo, now: datetime) -> datetime:
    """The first slot after ``now`` (aware), as an aware UTC datetime: "next digest on …"."""
    return min(slot for slot in _slots(timing, zone, now) if slot > now)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe(timing: Timing) -> str:
    """"Weekly on Monday at 09:00", "Monthly on day 1 at 08:00"."""
    if timing.frequency == WEEKLY:
        return f"Weekly on {WEEKDAYS[timing.weekday]} at {timing.hour:02d}:00"
    return f"Monthly on day {timing.day_of_month} at {timing.hour:02d}:00"
