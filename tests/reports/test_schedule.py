"""The digest's due slots (``reports.schedule``): the latest slot at or before a moment and the
next one, in the organisation's zone, across DST changes and odd offsets. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.schedule import Timing, describe, latest_slot, next_slot

NY = ZoneInfo("America/New_York")
TEHRAN = ZoneInfo("Asia/Tehran")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
SANTIAGO = ZoneInfo("America/Santiago")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


MON_9 = Timing("weekly", weekday=0, hour=9)
SUN_2 = Timing("weekly", weekday=6, hour=2)
SUN_1 = Timing("weekly", weekday=6, hour=1)

# (timing, zone, now (UTC), latest slot at or before now (UTC), next slot after now (UTC))
CASES = [
    # Monday 7 Dec 2026, 09:00 EST = 14:00 UTC: a minute before, the slot is last week's.
    (MON_9, NY, utc(2026, 12, 7, 13, 59), utc(2026, 11, 30, 14), utc(2026, 12, 7, 14)),
    (MON_9, NY, utc(2026, 12, 7, 14, 0), utc(2026, 12, 7, 14), utc(2026, 12, 14, 14)),
    (MON_9, NY, utc(2026, 12, 7, 14, 1), utc(2026, 12, 7, 14), utc(2026, 12, 14, 14)),
    # In summer the same local hour is an hour earlier in UTC (EDT, −4).
    (MON_9, NY, utc(2026, 7, 6, 13, 30), utc(2026, 7, 6, 13), utc(2026, 7, 13, 13)),
    # Across the autumn change: Monday 2 Nov 2026 09:00 is EST again.
    (MON_9, NY, utc(2026, 11, 2, 13, 30), utc(2026, 10, 26, 13), utc(2026, 11, 2, 14)),
    # 02:00 does not exist on 8 Mar 2026 in New York (02:00 EST → 03:00 EDT): one slot, at
    # 07:00 UTC (= 03:00 EDT), neither skipped nor doubled.
    (SUN_2, NY, utc(2026, 3, 8, 6, 59), utc(2026, 3, 1, 7), utc(2026, 3, 8, 7)),
    (SUN_2, NY, utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 7), utc(2026, 3, 15, 6)),
    # 01:00 happens twice on 1 Nov 2026 (EDT, then EST): its first occurrence, 05:00 UTC,
    # and the second (06:00 UTC) is no slot of its own.
    (SUN_1, NY, utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 5), utc(2026, 11, 8, 6)),
    (SUN_1, NY, utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 5), utc(2026, 11, 8, 6)),
    # Tehran is UTC+03:30 all year: 09:00 local is 05:30 UTC.
    (MON_9, TEHRAN, utc(2026, 12, 7, 5, 29), utc(2026, 11, 30, 5, 30), utc(2026, 12, 7, 5, 30)),
    (MON_9, TEHRAN, utc(2026, 12, 7, 5, 30), utc(2026, 12, 7, 5, 30), utc(2026, 12, 14, 5, 30)),
    # Kathmandu is UTC+05:45.
    (MON_9, KATHMANDU, utc(2026, 12, 7, 3, 15), utc(2026, 12, 7, 3, 15), utc(2026, 12, 14, 3, 15)),
    # Late on Sunday in UTC it is already Monday in Tehran: the local date decides.
    (Timing("weekly", weekday=0, hour=1), TEHRAN, utc(2026, 12, 6, 22),
     utc(2026, 12, 6, 21, 30), utc(2026, 12, 13, 21, 30)),
    # Santiago's clocks jump from Saturday 24:00 to Sunday 01:00 (6 Sep 2026): Sunday's 00:00
    # does not exist and is read as 01:00 −03.
    (Timing("weekly", weekday=6, hour=0), SANTIAGO, utc(2026, 9, 6, 3, 59),
     utc(2026, 8, 30, 4), utc(2026, 9, 6, 4)),
    (Timing("weekly", weekday=6, hour=0), SANTIAGO, utc(2026, 9, 6, 4),
     utc(2026, 9, 6, 4), utc(2026, 9, 13, 3)),
    # Lord Howe Island moves by half an hour (2:00 → 2:30 on 4 Oct 2026).
    (Timing("weekly", weekday=6, hour=2), LORD_HOWE, utc(2026, 10, 3, 16),
     utc(2026, 10, 3, 15, 30), utc(2026, 10, 10, 15)),
    # Monthly on the 1st at 08:00 New York.
    (Timing("monthly", day_of_month=1, hour=8), NY, utc(2026, 12, 1, 12, 59),
     utc(2026, 11, 1, 13), utc(2026, 12, 1, 13)),
    (Timing("monthly", day_of_month=1, hour=8), NY, utc(2026, 12, 1, 13),
     utc(2026, 12, 1, 13), utc(2027, 1, 1, 13)),
    # The 28th across a year's end, and in February.
    (Timing("monthly", day_of_month=28, hour=23), TEHRAN, utc(2027, 1, 3),
     utc(2026, 12, 28, 19, 30), utc(2027, 1, 28, 19, 30)),
    (Timing("monthly", day_of_month=28, hour=0), NY, utc(2027, 3, 1),
     utc(2027, 2, 28, 5), utc(2027, 3, 28, 4)),
]


@pytest.mark.parametrize(("timing", "zone", "now", "latest", "following"), CASES)
def test_latest_and_next_slot(timing, zone, now, latest, following) -> None:
    assert latest_slot(timing, zone, now) == latest
    assert next_slot(timing, zone, now) == following
    assert latest_slot(timing, zone, now).utcoffset() == timedelta(0)


@pytest.mark.parametrize("zone", [NY, TEHRAN, KATHMANDU, SANTIAGO, LORD_HOWE])
@pytest.mark.parametrize("timing", [MON_9, SUN_1, SUN_2, Timing("weekly", weekday=6, hour=0),
                                    Timing("monthly", day_of_month=15, hour=3)])
def test_every_local_date_has_exactly_one_slot_over_a_year(timing, zone) -> None:
    """Walking a year hour by hour, the latest slot changes once per period, always forward,
    and every slot is the named local date at or just after the named hour."""
    moment = utc(2026, 1, 1)
    seen: list[datetime] = []
    while moment < utc(2027, 1, 1):
        slot = latest_slot(timing, zone, moment)
        if not seen or seen[-1] != slot:
            seen.append(slot)
        moment += timedelta(minutes=30)
    assert seen == sorted(set(seen))
    expected = 52 if timing.frequency == "weekly" else 12
    assert expected <= len(seen) <= expected + 2
    for slot in seen[1:]:
        local = slot.astimezone(zone)
        named = local.weekday() if timing.frequency == "weekly" else local.day
        assert named == (timing.weekday if timing.frequency == "weekly" else timing.day_of_month)
        # A skipped hour moves the slot forward by the gap (at most an hour), never back.
        assert timing.hour <= local.hour + local.minute / 60 <= timing.hour + 1


def test_it_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        latest_slot(MON_9, NY, datetime(2026, 12, 7, 9))  # noqa: DTZ001 (the point of the test)


@pytest.mark.parametrize(
    "fields", [{"frequency": "yearly"}, {"frequency": "weekly", "weekday": 7},
               {"frequency": "monthly", "day_of_month": 29}, {"frequency": "weekly", "hour": 24}],
)
def test_it_refuses_an_impossible_timing(fields) -> None:
    with pytest.raises(ValueError):
        Timing(**fields)


def test_describe_reads_like_a_sentence() -> None:
    assert describe(MON_9) == "Weekly on Monday at 09:00"
    assert describe(Timing("monthly", day_of_month=28, hour=23)) == "Monthly on day 28 at 23:00"
