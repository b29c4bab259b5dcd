"""Attribution rules, pure (no Django): which partnership earns a conversion, and why.

The first rule that matches wins, in this order (docs/architecture.md → Ingestion paths):
1. ``promo_code`` — a code on the order equals (case-insensitively) a promo code of the brand
   active at the order's time (``active_from <= t <= active_until``, open ends allowed);
2. ``link`` — the click id (explicit, else ``fb_click`` of the landing URL, else Shopify's
   note attribute: the first one present is *the* click id) names a non-bot click on a link of
   the brand, and ``click <= t <= click + window days``;
3. ``utm`` — ``utm_campaign`` and ``utm_content`` (both present, case-insensitive) equal a
   TrackingLink's; several → those whose campaign window (start date 00:00 to the end of
   end date + window days, organization time zone) contains ``t``, and among them (or among
   all, when none does) the newest link;
4. ``unattributed``.

The service loads the candidates (already narrowed to the brand) and stores the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

PROMO_CODE = "promo_code"
LINK = "link"
UTM = "utm"
MANUAL = "manual"
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class Facts:
    """What the conversion (or visit) says about itself."""

    occurred_at: dt.datetime
    brand_id: int
    codes: Sequence[str] = ()
    click_ids: Sequence[str] = ()  # in precedence order: explicit, landing fb_click, note
    utm_campaign: str = ""
    utm_content: str = ""

    @property
    def click_id(self) -> str:
        return next((cid for cid in self.click_ids if cid), "")


@dataclass(frozen=True)
class CodeCandidate:
    code: str
    partnership_id: int
    active_from: dt.datetime | None = None
    active_until: dt.datetime | None = None
    promo_code_id: int = 0

    def active_at(self, moment: dt.datetime) -> bool:
        if self.active_from is not None and moment < self.active_from:
            return False
        return self.active_until is None or moment <= self.active_until


@dataclass(frozen=True)
class ClickCandidate:
    click_id: str
    partnership_id: int
    brand_id: int
    occurred_at: dt.datetime
    window_days: int
    is_bot: bool = False
    pk: int = 0


@dataclass(frozen=True)
class LinkCandidate:
    link_id: int
    partnership_id: int
    utm_campaign: str
    utm_content: str
    created_at: dt.datetime
    campaign_start: dt.date
    campaign_end: dt.date
    window_days: int


class Attribution(NamedTuple):
    partnership_id: int | None
    reason: str
    click_id: str | None  # the matched click's id (reason ``link`` only)


NONE = Attribution(None, UNATTRIBUTED, None)


def attribute(
    facts: Facts,
    *,
    codes: Iterable[CodeCandidate] = (),
    clicks: Iterable[ClickCandidate] = (),
    links: Iterable[LinkCandidate] = (),
    tz: dt.tzinfo = dt.UTC,
) -> Attribution:
    """Apply the rules in order; the first that matches decides."""
    return (
        by_promo_code(facts, codes)
        or by_click(facts, clicks)
        or by_utm(facts, links, tz=tz)
        or NONE
    )


def by_promo_code(facts: Facts, codes: Iterable[CodeCandidate]) -> Attribution | None:
    wanted = [code.strip().casefold() for code in facts.codes if code and code.strip()]
    if not wanted:
        return None
    active = [c for c in codes if c.active_at(facts.occurred_at)]
    for code in wanted:  # the order's first matching code decides
        matches = [c for c in active if c.code.strip().casefold() == code]
        if matches:
            # Overlapping duplicates are refused at creation; if the data has them anyway,
            # the most recently started period is the deliberate one.
            best = max(
                matches,
                key=lambda c: (c.active_from or dt.datetime.min.replace(tzinfo=dt.UTC),
                               c.promo_code_id),
            )
            return Attribution(best.partnership_id, PROMO_CODE, None)
    return None


def by_click(facts: Facts, clicks: Iterable[ClickCandidate]) -> Attribution | None:
    click_id = facts.click_id
    if not click_id:
        return None
    for click in clicks:
        if click.click_id != click_id or click.is_bot or click.brand_id != facts.brand_id:
            continue
        window_end = click.occurred_at + dt.timedelta(days=click.window_days)
        if click.occurred_at <= facts.occurred_at <= window_end:
            return Attribution(click.partnership_id, LINK, click.click_id)
    return None


def campaign_window(
    start: dt.date, end: dt.date, window_days: int, tz: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, first instant after] of start date .. end date + window, whole days."""
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=window_days + 1), dt.time.min, tzinfo=tz)
    return first, after


def by_utm(
    facts: Facts, links: Iterable[LinkCandidate], *, tz: dt.tzinfo = dt.UTC
) -> Attribution | None:
    campaign = facts.utm_campaign.strip().casefold()
    content = facts.utm_content.strip().casefold()
    if not campaign or not content:
        return None
    matches = [
        link
        for link in links
        if link.utm_campaign.strip().casefold() == campaign
        and link.utm_content.strip().casefold() == content
    ]
    if not matches:
        return None

    def contains(link: LinkCandidate) -> bool:
        first, after = campaign_window(
            link.campaign_start, link.campaign_end, link.window_days, tz
        )
        return first <= facts.occurred_at < after

    inside = [link for link in matches if contains(link)]
    pool = inside or matches
    newest = max(pool, key=lambda link: (link.created_at, link.link_id))
    return Attribution(newest.partnership_id, UTM, None)
