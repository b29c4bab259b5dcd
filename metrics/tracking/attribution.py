"""Attribution rules, pure (no models; ``explain``'s words go through gettext): which
partnership earns a conversion, and why.

The first rule that matches wins, in this order (docs/architecture.md → Ingestion paths):
1. ``promo_code`` — a code on the order equals (case-insensitively) a promo code of the brand
   active at the order's time (``active_from <= t <= active_until``, open ends allowed);
2. ``link`` — the click id (explicit, else ``fb_click`` of the landing URL, else Shopify's
   note attribute: the first one present is *the* click id) names a non-bot click on a link of
   the brand, and ``click <= t <= click + window days``;
3. ``utm`` — ``utm_campaign`` and ``utm_content`` (case-insensitive) equal a TrackingLink's;
   several → those whose campaign window (start date 00:00 to the end of end date + window
   days, organization time zone) contains ``t``, and among them (or among all, when none
   does) the newest link. With ``utm_campaign`` but no ``utm_content`` (common in the wild),
   the links with that ``utm_campaign`` are narrowed by the same window rule and match only
   when they all belong to one partnership; links of several partnerships → no match (the
   conversion stays unattributed, and ``explain`` names them);
4. ``unattributed``.

``explain`` says, from the same candidates, why each rule did (not) match and what would fix
it (the unattributed conversions page).

``attribution_candidates`` loads the candidates (already narrowed to the brand); the ingestion
services store the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

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


def _fold(value: str) -> str:
    return value.strip().casefold()


def _same_campaign(facts: Facts, links: Iterable[LinkCandidate]) -> list[LinkCandidate]:
    campaign = _fold(facts.utm_campaign)
    return [link for link in links if campaign and _fold(link.utm_campaign) == campaign]


def _in_window_else_all(
    facts: Facts, links: list[LinkCandidate], tz: dt.tzinfo
) -> list[LinkCandidate]:
    """The links whose campaign window contains the conversion, or all of them when none does."""

    def contains(link: LinkCandidate) -> bool:
        first, after = campaign_window(
            link.campaign_start, link.campaign_end, link.window_days, tz
        )
        return first <= facts.occurred_at < after

    return [link for link in links if contains(link)] or links


def campaign_only_partnerships(
    facts: Facts, links: Iterable[LinkCandidate], *, tz: dt.tzinfo = dt.UTC
) -> list[int]:
    """The partnerships a ``utm_campaign`` without ``utm_content`` could mean (after the
    window rule), sorted; exactly one is a match, several are ambiguous."""
    pool = _in_window_else_all(facts, _same_campaign(facts, links), tz)
    return sorted({link.partnership_id for link in pool})


def by_utm(
    facts: Facts, links: Iterable[LinkCandidate], *, tz: dt.tzinfo = dt.UTC
) -> Attribution | None:
    if not _fold(facts.utm_campaign):
        return None
    same_campaign = _same_campaign(facts, links)
    content = _fold(facts.utm_content)
    if not content:
        partnerships = campaign_only_partnerships(facts, same_campaign, tz=tz)
        if len(partnerships) == 1:
            return Attribution(partnerships[0], UTM, None)
        return None
    matches = [link for link in same_campaign if _fold(link.utm_content) == content]
    if not matches:
        return None
    pool = _in_window_else_all(facts, matches, tz)
    newest = max(pool, key=lambda link: (link.created_at, link.link_id))
    return Attribution(newest.partnership_id, UTM, None)


# --- Why a rule did not match ---------------------------------------------------------------
# What a person can do about a rule that did not match, for the unattributed page to offer.
FIX_ASSIGN = "assign"  # nothing to go on: credit a partnership by hand
FIX_ADD_CODE = "add_code"  # the code is nobody's: add it to the partnership that handed it out
FIX_CODE_DATES = "code_dates"  # the code exists but was not active then: widen its dates
FIX_WINDOW = "window"  # the click was too long before the order: extend the campaign's window
FIX_UTM = "utm"  # the UTM values match no link: fix the link the shop used, or add one


class RuleReason(NamedTuple):
    """One rule's verdict on a conversion, in words, with what would fix it."""

    rule: str  # PROMO_CODE, LINK or UTM
    matched: bool
    text: str
    fix: str = ""  # one of the FIX_* names, "" when nothing to fix
    partnership_id: int | None = None  # the partnership the fix is about, when one is known


def explain(
    facts: Facts,
    *,
    codes: Iterable[CodeCandidate] = (),
    clicks: Iterable[ClickCandidate] = (),
    links: Iterable[LinkCandidate] = (),
    tz: dt.tzinfo = dt.UTC,
) -> list[RuleReason]:
    """Each rule's verdict, in ``attribute``'s order, from the same candidates: a conversion
    ``attribute`` leaves unattributed gets three reasons, none matched."""
    codes, clicks, links = list(codes), list(clicks), list(links)
    return [
        _explain_code(facts, codes, tz),
        _explain_click(facts, clicks, tz),
        _explain_utm(facts, links, tz),
    ]


def _when(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _explain_code(facts: Facts, codes: list[CodeCandidate], tz: dt.tzinfo) -> RuleReason:
    found = by_promo_code(facts, codes)
    if found is not None:
        return RuleReason(PROMO_CODE, True, _("A promo code matched."), "", found.partnership_id)
    wanted = [c.strip() for c in facts.codes if c and c.strip()]
    if not wanted:
        return RuleReason(PROMO_CODE, False, _("The order carries no promo code."))
    for code in wanted:
        same = [c for c in codes if c.code.strip().casefold() == code.casefold()]
        if same:
            c = same[0]
            period = _("from %(start)s until %(end)s") % {
                "start": _when(c.active_from, tz) if c.active_from else _("the start"),
                "end": _when(c.active_until, tz) if c.active_until else _("open-ended"),
            }
            return RuleReason(
                PROMO_CODE, False,
                _("Code %(code)s was not active at %(when)s (active %(period)s).") % {
                    "code": code, "when": _when(facts.occurred_at, tz), "period": period,
                },
                FIX_CODE_DATES, c.partnership_id,
            )
    listed = ", ".join(wanted)
    return RuleReason(
        PROMO_CODE, False,
        _("No partnership of this brand has the code %(code)s.") % {"code": listed},
        FIX_ADD_CODE,
    )


def _explain_click(facts: Facts, clicks: list[ClickCandidate], tz: dt.tzinfo) -> RuleReason:
    found = by_click(facts, clicks)
    if found is not None:
        return RuleReason(LINK, True, _("A tracked click matched."), "", found.partnership_id)
    click_id = facts.click_id
    if not click_id:
        return RuleReason(LINK, False, _("The order carries no click id."))
    same = [c for c in clicks if c.click_id == click_id]
    if not same:
        return RuleReason(
            LINK, False,
            _("Click id %(click)s is unknown: no tracked link was clicked with it.")
            % {"click": click_id},
            FIX_ASSIGN,
        )
    click = same[0]
    if click.brand_id != facts.brand_id:
        return RuleReason(
            LINK, False, _("Click %(click)s was on another brand's link.") % {"click": click_id},
            FIX_ASSIGN,
        )
    if click.is_bot:
        return RuleReason(
            LINK, False, _("Click %(click)s was made by a bot.") % {"click": click_id},
            FIX_ASSIGN,
        )
    if facts.occurred_at < click.occurred_at:
        return RuleReason(
            LINK, False,
            _("Click %(click)s came after the order (%(clicked)s, the order %(ordered)s).") % {
                "click": click_id, "clicked": _when(click.occurred_at, tz),
                "ordered": _when(facts.occurred_at, tz),
            },
            FIX_ASSIGN, click.partnership_id,
        )
    late = facts.occurred_at - click.occurred_at
    return RuleReason(
        LINK, False,
        _("The order came %(days)s days after click %(click)s, outside the campaign's "
          "%(window)s-day attribution window.") % {
            "days": late.days, "click": click_id, "window": click.window_days,
        },
        FIX_WINDOW, click.partnership_id,
    )


def _explain_utm(facts: Facts, links: list[LinkCandidate], tz: dt.tzinfo) -> RuleReason:
    found = by_utm(facts, links, tz=tz)
    if found is not None:
        text = (_("The utm_campaign matched the links of one partnership.")
                if not facts.utm_content.strip() else _("The UTM values matched a link."))
        return RuleReason(UTM, True, text, "", found.partnership_id)
    campaign, content = facts.utm_campaign.strip(), facts.utm_content.strip()
    if not campaign and not content:
        return RuleReason(UTM, False, _("The order carries no UTM values."))
    if not campaign:
        return RuleReason(
            UTM, False, _("The order has utm_content but no utm_campaign; a link is matched by "
                          "its utm_campaign."), FIX_UTM,
        )
    if not content:
        partnerships = campaign_only_partnerships(facts, links, tz=tz)
        if not partnerships:
            return RuleReason(
                UTM, False,
                _("No tracking link of this brand has utm_campaign %(campaign)s.")
                % {"campaign": campaign},
                FIX_UTM,
            )
        return RuleReason(
            UTM, False,
            _("The order has utm_campaign %(campaign)s but no utm_content, and links of "
              "%(count)s partnerships have that utm_campaign: without utm_content it cannot "
              "tell which one.") % {"campaign": campaign, "count": len(partnerships)},
            FIX_ASSIGN,
        )
    return RuleReason(
        UTM, False,
        _("No tracking link of this brand has utm_campaign %(campaign)s and utm_content "
          "%(content)s.") % {"campaign": campaign, "content": content},
        FIX_UTM,
    )
