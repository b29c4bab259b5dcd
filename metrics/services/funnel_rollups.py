"""The funnel's rollups: conversions and refunds, visits and first-seen visitors
(``metrics.models.rollups``).

New orders and visits are added as they are written (``metrics.services.funnel_appends``).
Any other write only notes what it touched (``funnel_changed``: a partnership and the time of
the order or visit, in the writer's transaction); the next recompute re-derives those local
days from raw rows (``funnel_rollups_refresh``) before it reads. Whether an order counts depends on
the campaign's windows and on every refund of the order, and a visitor is new only on the day
of their first visit: re-deriving the touched days with the same selectors a full rebuild uses
keeps all of it exact, at the cost of the changed days' rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from campaigns.models import Campaign, Partnership
from metrics.models import (
    ConversionDayRollup,
    FunnelChange,
    NewVisitorDayRollup,
    VisitDayRollup,
    VisitorFirstSeen,
)
from metrics.selectors.frame import Frame
from metrics.selectors.funnel_aggregates import (
    conversion_rows,
    first_seen,
    first_seen_queries,
    visit_counts,
    visitors_on,
)
from metrics.services.rollup_store import insert_select

Change = tuple[int | None, dt.datetime | None]
VISITOR_BATCH = 2000


def funnel_changed(changes: Iterable[Change]) -> None:
    """Note that the funnel events of these (partnership, time) pairs changed; pairs without a
    partnership are skipped, a time of None means every day of the partnership's campaign."""
    wanted = {(p, t) for p, t in changes if p}
    FunnelChange.objects.bulk_create(
        [FunnelChange(partnership_id=p, occurred_at=t) for p, t in wanted]
    )


def campaign_funnel_changed(campaign_id: int) -> None:
    """Every day of the campaign changes (its dates or attribution window did)."""
    funnel_changed(
        (pk, None) for pk in Partnership.objects.filter(campaign_id=campaign_id)
        .values_list("pk", flat=True)
    )


def funnel_changes_forget_orphans() -> int:
    """Drop notes of partnerships deleted since (a brand's or campaign's deletion notes the
    orders and visits it removes); returns how many. Run nightly."""
    deleted, _ = FunnelChange.objects.exclude(
        partnership_id__in=Partnership.objects.values("pk")
    ).delete()
    return deleted


def funnel_rollups_refresh(campaign: Campaign, frame: Frame, *, every_day: bool = False
                           ) -> None:
    """Re-derive the days the campaign's noted changes touched (``every_day``: all of them, a
    rebuild), then forget the notes read — one noted while this ran stays for the next. Holds
    the campaign's row lock, so two recomputes do not re-derive the same days at once."""
    with transaction.atomic():
        list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
        notes = list(
            FunnelChange.objects.filter(
                partnership_id__in=Partnership.objects.filter(campaign=campaign).values("pk")
            ).values_list("pk", "occurred_at")
        )
        if not notes and not every_day:
            return
        days = (
            None if every_day or any(at is None for _, at in notes)
            else {at.astimezone(frame.tz).date() for _, at in notes if at is not None}
        )
        funnel_rollups_rederive(campaign, frame, days)
        FunnelChange.objects.filter(pk__in=[pk for pk, _ in notes]).delete()


def funnel_rollups_rederive(campaign: Campaign, frame: Frame,
                            days: Collection[dt.date] | None) -> None:
    """Replace the funnel rollups of ``days`` (None: all of them) with what the raw rows say."""
    _conversions(campaign, frame, days)
    _visits(campaign, frame, days)
    _visitors(campaign, frame, days)


def _of_days(queryset: QuerySet[Any], days: Collection[dt.date] | None,
             field: str = "day") -> QuerySet[Any]:
    """The rows of ``days`` (None: every row)."""
    return queryset if days is None else queryset.filter(**{f"{field}__in": list(days)})


def _conversions(campaign: Campaign, frame: Frame, days: Collection[dt.date] | None) -> None:
    # A day's orders own every row valued at their day's rate (their refunds' rows too).
    _of_days(ConversionDayRollup.objects.filter(campaign=campaign), days, "rate_day").delete()
    ConversionDayRollup.objects.bulk_create([
        ConversionDayRollup(
            campaign=campaign, partnership_id=partnership, day=day, source=source, kind=kind,
            currency=currency, rate_day=rate_day, conversions=count, amount=amount,
        )
        for day, partnership, source, kind, currency, rate_day, count, amount
        in conversion_rows(campaign, frame, days)
        if count or amount
    ], batch_size=1000)


def _visits(campaign: Campaign, frame: Frame, days: Collection[dt.date] | None) -> None:
    _of_days(VisitDayRollup.objects.filter(campaign=campaign), days).delete()
    VisitDayRollup.objects.bulk_create([
        VisitDayRollup(campaign=campaign, partnership_id=partnership, day=day, visits=n)
        for day, partnership, n in visit_counts(campaign, frame, days)
    ], batch_size=1000)


def _visitors(campaign: Campaign, frame: Frame, days: Collection[dt.date] | None) -> None:
    """Every first-seen row derived again (``days`` None), or those of the visitors the days
    touch; then the new-visitor counts of the days whose first-seen rows changed."""
    if days is None:
        VisitorFirstSeen.objects.filter(campaign=campaign).delete()
        per_partnership, overall = first_seen_queries(campaign, frame)
        fields = ["campaign", "partnership", "visitor_id", "day"]
        insert_select(VisitorFirstSeen, fields, per_partnership, constants=[campaign.pk])
        insert_select(VisitorFirstSeen, fields, overall, constants=[campaign.pk, None])
        _new_visitor_counts(campaign, None)
    elif touched := _visitors_of_days(campaign, frame, days):
        _new_visitor_counts(campaign, touched)


def _visitors_of_days(campaign: Campaign, frame: Frame, days: Collection[dt.date]
                      ) -> set[dt.date]:
    """Re-derive the first-seen rows of those who visited on ``days`` now and of those first
    seen on them before (a deleted or moved visit may have been their first); returns the
    days whose first-seen rows changed."""
    stored = VisitorFirstSeen.objects.filter(campaign=campaign)
    visitors = sorted(
        set(stored.filter(day__in=list(days)).values_list("visitor_id", flat=True))
        | visitors_on(campaign, frame, days)
    )
    batches = [visitors[i:i + VISITOR_BATCH] for i in range(0, len(visitors), VISITOR_BATCH)]
    rows: list[tuple[int | None, str, dt.date]] = []
    old: list[tuple[int | None, str, dt.date]] = []
    for batch in batches:
        rows += first_seen(campaign, frame, batch)
        old += stored.filter(visitor_id__in=batch).values_list("partnership_id", "visitor_id",
                                                                "day")
    if Counter(rows) == Counter(old):
        return set()
    for batch in batches:
        stored.filter(visitor_id__in=batch).delete()
    VisitorFirstSeen.objects.bulk_create([
        VisitorFirstSeen(campaign=campaign, partnership_id=p, visitor_id=v, day=d)
        for p, v, d in rows
    ], batch_size=1000)
    return {day for _, _, day in set(rows) ^ set(old)}


def _new_visitor_counts(campaign: Campaign, days: Collection[dt.date] | None) -> None:
    """Count the first-seen rows of ``days`` (None: all) again."""
    _of_days(NewVisitorDayRollup.objects.filter(campaign=campaign), days).delete()
    insert_select(
        NewVisitorDayRollup, ["campaign", "partnership", "day", "visitors"],
        _of_days(VisitorFirstSeen.objects.filter(campaign=campaign), days)
        .values("partnership_id", "day").annotate(n=Count("pk")).order_by()
        .values_list("partnership_id", "day", "n"),
        constants=[campaign.pk],
    )
