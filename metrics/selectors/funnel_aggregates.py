"""SQL aggregates of a campaign's funnel: non-bot clicks, counted conversions and leads (net of
refunds), visits and distinct visitors, per organization-local day and partnership. A
conversion or visit counts only inside its attribution window (``counted_q``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from campaigns.models import Campaign
from metrics.models import (
    CONVERSION_KINDS,
    LEAD_KINDS,
    AttributionReason,
    Click,
    Conversion,
    Refund,
    Visit,
)
from metrics.selectors.frame import Frame, local_date


def click_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int, int, int]]:
    """(day, partnership, non-bot clicks, unique clicks)."""
    rows = (
        Click.objects.filter(
            link__partnership__campaign=campaign, is_bot=False, occurred_at__lte=frame.as_of
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "link__partnership_id")
        .annotate(n=Count("pk"), unique=Count("pk", filter=Q(is_unique=True)))
        .values_list("day", "link__partnership_id", "n", "unique")
    )
    return [(local_date(d), p, n, u) for d, p, n, u in rows]  # type: ignore[misc]


def counted_q(frame: Frame, prefix: str = "") -> Q:
    """Inside the attribution window (docs/kpis.md): a click-attributed one
    within the window after its click, a promo-code/UTM one within the campaign's window, a
    manual one always."""
    p = prefix
    click_at = F(f"{p}matched_click__occurred_at")
    return Q(**{f"{p}occurred_at__lte": frame.as_of}) & (
        Q(
            **{
                f"{p}attribution": AttributionReason.LINK,
                f"{p}matched_click__isnull": False,
                f"{p}occurred_at__gte": click_at,
                f"{p}occurred_at__lte": click_at + dt.timedelta(days=frame.window_days),
            }
        )
        | Q(
            **{
                f"{p}attribution__in": [AttributionReason.PROMO_CODE, AttributionReason.UTM],
                f"{p}occurred_at__gte": frame.window_start,
                f"{p}occurred_at__lt": frame.window_end,
            }
        )
        | Q(**{f"{p}attribution": AttributionReason.MANUAL})
    )


COUNTED_KINDS = (*CONVERSION_KINDS, *LEAD_KINDS)


def _counted_conversions(campaign: Campaign, frame: Frame) -> QuerySet[Conversion]:
    return Conversion.objects.filter(
        counted_q(frame),
        partnership__campaign=campaign,
        is_cancelled=False,
        kind__in=COUNTED_KINDS,
    )


# (day, partnership, attribution, kind, currency, rate day, conversions, amount): the change a
# day's orders bring to the funnel on ``day`` — the orders on their own day, each refund on its
# day — all valued at the rate of ``rate day``, the orders' day.
ConversionRow = tuple[dt.date, int, str, str, str, dt.date, int, Decimal]
Days = Collection[dt.date] | None


def days_q(frame: Frame, days: Days, field: str = "occurred_at") -> Q:
    """``field`` falls on one of the local ``days`` (None: any day); runs of consecutive days
    become one range."""
    if days is None:
        return Q()
    ordered = sorted(days)
    if not ordered:
        return Q(pk__in=[])
    q = Q()
    first = last = ordered[0]
    for day in [*ordered[1:], None]:
        if day is not None and day == last + dt.timedelta(days=1):
            last = day
            continue
        q |= Q(**{f"{field}__gte": frame.day_start(first),
                  f"{field}__lt": frame.day_start(last + dt.timedelta(days=1))})
        if day is not None:
            first = last = day
    return q


def _only_q(only: Collection[int] | None, field: str = "pk") -> Q:
    """The rows ``only`` names (None: every row)."""
    return Q() if only is None else Q(**{f"{field}__in": list(only)})


def conversion_rows(campaign: Campaign, frame: Frame, days: Days = None,
                    only: Collection[int] | None = None) -> list[ConversionRow]:
    """The counted conversions and leads of the orders placed on ``days`` (None: all) — or of
    the orders ``only`` names — as of T, with their refunds: an order adds one and its gross
    amount on its day; a refund takes its amount off on its day, and the refund that reaches
    the amount takes the order out of the count (and what was left of its revenue with it).
    An order's rows depend on nothing but the order and its own refunds."""
    sums: dict[tuple[Any, ...], list[Any]] = {}

    def add(key: tuple[Any, ...], count: int, amount: Decimal) -> None:
        entry = sums.setdefault(key, [0, Decimal("0")])
        entry[0] += count
        entry[1] += amount

    orders = (
        _counted_conversions(campaign, frame)
        .filter(days_q(frame, days), _only_q(only))
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "partnership_id", "attribution", "kind", "currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .values_list("day", "partnership_id", "attribution", "kind", "currency", "n", "amount")
    )
    for day, partnership, source, kind, currency, n, amount in orders:
        add((local_date(day), partnership, source, kind, currency, local_date(day)),
            n, Decimal(amount))

    refunds = (
        Refund.objects.filter(
            counted_q(frame, "conversion__"),
            days_q(frame, days, "conversion__occurred_at"),
            _only_q(only, "conversion_id"),
            conversion__partnership__campaign=campaign,
            conversion__is_cancelled=False,
            conversion__kind__in=COUNTED_KINDS,
            occurred_at__lte=frame.as_of,
        )
        .annotate(
            day=TruncDate("occurred_at", tzinfo=frame.tz),
            conversion_day=TruncDate("conversion__occurred_at", tzinfo=frame.tz),
        )
        .order_by("conversion_id", "occurred_at", "pk")
        .values_list(
            "conversion_id", "amount", "day", "conversion_day", "conversion__amount",
            "conversion__partnership_id", "conversion__attribution", "conversion__kind",
            "conversion__currency",
        )
    )
    refunded, current, done = Decimal("0"), None, False
    for conversion, amount, day, conversion_day, gross, *fields in refunds:
        if conversion != current:
            current, refunded, done = conversion, Decimal("0"), False
        if done:
            continue  # refunded in full already: later refunds change nothing
        before, gross = refunded, Decimal(gross)
        refunded += Decimal(amount)
        key = (local_date(day), fields[0], fields[1], fields[2], fields[3],
               local_date(conversion_day))
        if refunded >= gross:
            done = True
            add(key, -1, -(gross - before))
        else:
            add(key, 0, -Decimal(amount))
    return [(*key, count, amount) for key, (count, amount) in sums.items()]


def counted_visits(campaign: Campaign, frame: Frame) -> QuerySet[Visit]:
    return Visit.objects.filter(counted_q(frame), partnership__campaign=campaign)


def visit_counts(campaign: Campaign, frame: Frame, days: Days = None
                 ) -> list[tuple[dt.date, int, int]]:
    """(day, partnership, counted visits) on ``days`` (None: all)."""
    rows = (
        counted_visits(campaign, frame)
        .filter(days_q(frame, days))
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "partnership_id")
        .annotate(n=Count("pk"))
        .values_list("day", "partnership_id", "n")
    )
    return [(local_date(d), p, n) for d, p, n in rows]  # type: ignore[misc]


def counted_visit_days(campaign: Campaign, frame: Frame, visits: Collection[int]
                       ) -> list[tuple[int, str, dt.date]]:
    """``(partnership, visitor, local day)`` of each of ``visits`` (pks) that counts."""
    rows = (
        counted_visits(campaign, frame).filter(pk__in=list(visits))
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values_list("partnership_id", "visitor_id", "day")
    )
    return [(p, v, cast(dt.date, local_date(d))) for p, v, d in rows]


def first_visit_days(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int]]:
    """Distinct visitors of the campaign by the local day of their first visit (so a
    cumulative sum over days is the distinct count as of that day)."""
    _, overall = first_seen_queries(campaign, frame)
    sql, params = overall.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.day, COUNT(*) FROM ({sql}) v GROUP BY v.day", params)
        return [(local_date(d), n) for d, n in cursor.fetchall()]  # type: ignore[misc]


def visitors_on(campaign: Campaign, frame: Frame, days: Collection[dt.date]) -> set[str]:
    """The visitors of the campaign's counted visits on ``days``."""
    return set(
        counted_visits(campaign, frame).filter(days_q(frame, days)).exclude(visitor_id="")
        .values_list("visitor_id", flat=True).distinct()
    )


def first_seen_queries(campaign: Campaign, frame: Frame,
                       visitors: Collection[str] | None = None
                       ) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The local day of the first counted visit of ``visitors`` (None: all): per partnership
    ``(partnership, visitor, day)``, and for the campaign as a whole ``(visitor, day)``."""
    counted = counted_visits(campaign, frame).exclude(visitor_id="")
    if visitors is not None:
        counted = counted.filter(visitor_id__in=list(visitors))
    first_day = Min(TruncDate("occurred_at", tzinfo=frame.tz))
    per_partnership = (
        counted.values("partnership_id", "visitor_id").annotate(day=first_day)
        .values_list("partnership_id", "visitor_id", "day")
    )
    overall = counted.values("visitor_id").annotate(day=first_day).values_list("visitor_id", "day")
    return per_partnership, overall


def first_seen(campaign: Campaign, frame: Frame, visitors: Collection[str] | None = None
               ) -> list[tuple[int | None, str, dt.date]]:
    """``first_seen_queries`` as rows ``(partnership or None, visitor, day)``."""
    per_partnership, overall = first_seen_queries(campaign, frame, visitors)
    rows: list[tuple[int | None, str, dt.date]] = [
        (p, v, cast(dt.date, local_date(d))) for p, v, d in per_partnership
    ]
    return rows + [(None, v, cast(dt.date, local_date(d))) for v, d in overall]


def unique_visitors_by_partnership(campaign: Campaign, frame: Frame) -> dict[int, int]:
    rows = (
        counted_visits(campaign, frame)
        .exclude(visitor_id="")
        .values("partnership_id")
        .annotate(n=Count("visitor_id", distinct=True))
        .values_list("partnership_id", "n")
    )
    return dict(rows)


def refunded_amount() -> Coalesce:
    """A conversion's refunded total (0 without refunds), for ``annotate``: a correlated
    subquery rather than a join with GROUP BY, since clicks are partitioned and grouping by a
    selected click's id alone is refused by PostgreSQL (its key is ``(id, occurred_at)``)."""
    return Coalesce(
        Subquery(
            Refund.objects.filter(conversion=OuterRef("pk"))
            .order_by()
            .values("conversion")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
