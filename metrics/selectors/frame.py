"""The time frame of a KPI recompute: T (``as_of``), the organization-local days of the series
and the attribution windows, plus ``local_date`` for a day coming back from SQL."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from campaigns.models import Campaign


def local_date(value: Any) -> dt.date | None:
    """A day coming back from SQL: a date on PostgreSQL, an ISO string on SQLite."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Frame:
    """The time frame of one recompute: T, the local days of the series, the windows."""

    tz: zoneinfo.ZoneInfo
    as_of: dt.datetime
    start: dt.date
    end: dt.date
    window_days: int

    @property
    def tzname(self) -> str:
        return self.tz.key

    @property
    def as_of_date(self) -> dt.date:
        return self.as_of.astimezone(self.tz).date()

    @property
    def days(self) -> list[dt.date]:
        """Start date to min(end date, the local day of T)."""
        last = min(self.end, self.as_of_date)
        return [self.start + dt.timedelta(days=i) for i in range((last - self.start).days + 1)]

    def day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)

    def day_end(self, day: dt.date) -> dt.datetime:
        """The last instant of ``day``, local time (as_of of a per-day document)."""
        return min(self.day_start(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1),
                   self.as_of)

    @property
    def window_start(self) -> dt.datetime:
        return self.day_start(self.start)

    @property
    def window_end(self) -> dt.datetime:
        """Exclusive end of the promo-code/UTM window: end date + window days, whole days."""
        return self.day_start(self.end + dt.timedelta(days=self.window_days + 1))


def frame_for(campaign: Campaign, as_of: dt.datetime) -> Frame:
    organization = campaign.brand.organization
    return Frame(
        tz=organization.tzinfo,
        as_of=as_of,
        start=campaign.start_date,
        end=campaign.end_date,
        window_days=campaign.attribution_window_days,
    )
