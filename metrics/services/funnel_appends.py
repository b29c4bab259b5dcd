"""New orders and visits added to the funnel's rollups in the transaction that writes them.

Most of the funnel's writes are appends: orders and visits never seen before. Their share of
the rollups is added here, so a recompute after them reads rollups only:

- an order's rows (``conversion_rows``) depend on nothing but the order and its own refunds, so
  a new order's rows are added to ``ConversionDayRollup`` as they are;
- a new visit adds to its day's ``VisitDayRollup``, and can only make its visitor's first day
  earlier: the visitor's first-seen row (per partnership and campaign-wide) is inserted, or
  moved to the earlier day, and the new-visitor counts of both days follow.

Corrections, deletions, cancellations and refunds still note their days (``funnel_changed``)
for the next recompute to re-derive from raw rows (``metrics.services.funnel_rollups``).

Every writer of these rollups holds the campaign's row lock (this, the re-derivation and the
rebuild), so a row read here is written back unchanged by anyone else. The ingestions take
``funnel_writes_lock`` on a batch's external ids before they look up the rows it already has,
so two racing deliveries of one order cannot both count it as new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q

from campaigns.models import Campaign
from metrics.models import (
    Conversion,
    ConversionDayRollup,
    NewVisitorDayRollup,
    RollupRebuild,
    Visit,
    VisitDayRollup,
    VisitorFirstSeen,
)
from metrics.selectors.frame import Frame
from metrics.selectors.funnel_aggregates import conversion_rows, counted_visit_days
from metrics.services.rollup_rebuild import rollup_frame

CONVERSION_KEY = ("partnership_id", "day", "source", "kind", "currency", "rate_day")


def funnel_writes_lock(brand_id: int, source: str, external_ids: Collection[str]) -> None:
    """Serialise the writers of the same (brand, source, external id) — a redelivery racing its
    original — until the transaction ends: PostgreSQL advisory locks, taken in one order so
    two batches never deadlock. Different orders and visits do not wait for each other. (On
    SQLite one writer runs at a time, and a racing writer fails rather than waits.)"""
    keys = sorted({f"{brand_id}:{source}:{external_id}" for external_id in external_ids
                   if external_id})
    if not keys or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h "
            "FROM unnest(%s::text[]) AS k ORDER BY h) AS locks",
            [keys],
        )


def funnel_rollups_add(*, conversions: Collection[int] = (), visits: Collection[int] = ()
                       ) -> None:
    """Add the brand-new ``conversions`` and ``visits`` (pks; with their refunds, if any came
    with them) to the rollups of their campaigns. A campaign never rolled up is skipped: its
    first recompute rebuilds it whole."""
    campaign_ids = set(
        Conversion.objects.filter(pk__in=list(conversions), partnership__isnull=False)
        .values_list("partnership__campaign_id", flat=True)
    ) if conversions else set()
    if visits:
        campaign_ids |= set(
            Visit.objects.filter(pk__in=list(visits), partnership__isnull=False)
            .values_list("partnership__campaign_id", flat=True)
        )
    for campaign_id in sorted(campaign_ids):
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("brand__organization").filter(pk=campaign_id)
            .annotate(rolled_up=Exists(RollupRebuild.objects.filter(campaign=OuterRef("pk"))))
            .first()
        )
        if campaign is None or not campaign.rolled_up:
            continue
        frame = rollup_frame(campaign)
        if conversions:
            _add_conversions(campaign, frame, conversions)
        if visits:
            _add_visits(campaign, frame, visits)


def _add_conversions(campaign: Campaign, frame: Frame, pks: Collection[int]) -> None:
    amounts = {
        (partnership, day, source, kind, currency, rate_day): (count, amount)
        for day, partnership, source, kind, currency, rate_day, count, amount
        in conversion_rows(campaign, frame, only=pks)
        if count or amount
    }
    _rows_add(ConversionDayRollup, campaign, CONVERSION_KEY, ("conversions", "amount"),
              amounts)


def _add_visits(campaign: Campaign, frame: Frame, pks: Collection[int]) -> None:
    rows = counted_visit_days(campaign, frame, pks)
    _rows_add(VisitDayRollup, campaign, ("partnership_id", "day"), ("visits",),
              {key: (n,) for key, n in Counter((p, day) for p, _, day in rows).items()})
    # Each visitor's first day among these visits, per partnership and campaign-wide.
    firsts: dict[tuple[int | None, str], dt.date] = {}
    for partnership, visitor, day in rows:
        if visitor:
            for key in ((partnership, visitor), (None, visitor)):
                firsts[key] = min(day, firsts.get(key, day))
    if not firsts:
        return
    visitors = list({visitor for _, visitor in firsts})
    partnerships = list({p for p, _ in firsts if p is not None})
    stored = {
        (row.partnership_id, row.visitor_id): row
        for row in VisitorFirstSeen.objects.filter(  # each half matches one partial index
            Q(partnership__isnull=True, visitor_id__in=visitors)
            | Q(partnership_id__in=partnerships, visitor_id__in=visitors),
            campaign=campaign,
        )
    }
    new: list[VisitorFirstSeen] = []
    moved: list[VisitorFirstSeen] = []
    counts: Counter[tuple[int | None, dt.date]] = Counter()
    for (scope, visitor), day in firsts.items():
        row = stored.get((scope, visitor))
        if row is None:
            new.append(VisitorFirstSeen(campaign=campaign, partnership_id=scope,
                                        visitor_id=visitor, day=day))
        elif day < row.day:
            counts[(scope, row.day)] -= 1
            row.day = day
            moved.append(row)
        else:
            continue
        counts[(scope, day)] += 1
    VisitorFirstSeen.objects.bulk_create(new, batch_size=1000)
    VisitorFirstSeen.objects.bulk_update(moved, ["day"], batch_size=1000)
    _rows_add(NewVisitorDayRollup, campaign, ("partnership_id", "day"), ("visitors",),
              {key: (n,) for key, n in counts.items() if n})


def _rows_add(model: type[models.Model], campaign: Campaign, key_fields: Sequence[str],
              value_fields: Sequence[str], amounts: Mapping[tuple[Any, ...], Sequence[Any]]
              ) -> None:
    """Add ``amounts[key]`` to the campaign's row ``key`` of ``model`` (a row per key). The
    rows read are replaced by rows with the sums — a delete and an insert, cheaper than an
    update per row; the caller holds the campaign's row lock."""
    if not amounts:
        return
    manager = model._default_manager
    day_at = key_fields.index("day")
    partnerships = {key[0] for key in amounts}  # keys start with the partnership
    scope = Q(partnership_id__in=[p for p in partnerships if p is not None])
    if None in partnerships:
        scope |= Q(partnership__isnull=True)
    stored = {
        tuple(getattr(row, f) for f in key_fields): row
        for row in manager.filter(scope, campaign=campaign,
                                  day__in=list({key[day_at] for key in amounts}))
    }
    replaced, rows = [], []
    for key, values in amounts.items():
        if (row := stored.get(key)) is not None:
            replaced.append(row.pk)
            values = [getattr(row, name) + value
                      for name, value in zip(value_fields, values, strict=True)]
        rows.append(model(campaign=campaign, **dict(zip(key_fields, key, strict=True)),
                          **dict(zip(value_fields, values, strict=True))))
    manager.filter(pk__in=replaced).delete()
    manager.bulk_create(rows, batch_size=1000)
