"""SQL aggregates of a campaign's funnel: non-bot clicks, counted conversions and leads (net of
refunds), visits and distinct visitors, per organization-local day and partnership. A
conversion or visit counts only inside its attribution window (``counted_q``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
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


def conversion_sums(campaign: Campaign, frame: Frame
                    ) -> list[tuple[dt.date, int, str, str, str, int, Decimal]]:
    """Counted conversions without a refund as of T, grouped by
    (day, partnership, attribution, kind, currency) → (count, gross amount)."""
    refunded = Refund.objects.filter(conversion=OuterRef("pk"), occurred_at__lte=frame.as_of)
    rows = (
        _counted_conversions(campaign, frame)
        .filter(~Exists(refunded))
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "partnership_id", "attribution", "kind", "currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .values_list("day", "partnership_id", "attribution", "kind", "currency", "n", "amount")
    )
    return [(local_date(r[0]), *r[1:]) for r in rows]  # type: ignore[misc]


def refunded_conversions(campaign: Campaign, frame: Frame) -> list[dict[str, Any]]:
    """One row per refund (as of T) of a counted conversion, with that conversion's fields.
    Refunds are rare, so these rows are few even on large campaigns."""
    rows = (
        Refund.objects.filter(
            counted_q(frame, "conversion__"),
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
        .values(
            "conversion_id", "amount", "day", "conversion_day", "conversion__amount",
            "conversion__partnership_id", "conversion__attribution", "conversion__kind",
            "conversion__currency",
        )
    )
    result = []
    for row in rows:
        row["day"] = local_date(row["day"])
        row["conversion_day"] = local_date(row["conversion_day"])
        result.append(row)
    return result


def _counted_visits(campaign: Campaign, frame: Frame) -> QuerySet[Visit]:
    return Visit.objects.filter(counted_q(frame), partnership__campaign=campaign)


def visit_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int, int]]:
    rows = (
        _counted_visits(campaign, frame)
        .annotate(day=TruncDate("occurred_at", tzinfo=frame.tz))
        .values("day", "partnership_id")
        .annotate(n=Count("pk"))
        .values_list("day", "partnership_id", "n")
    )
    return [(local_date(d), p, n) for d, p, n in rows]  # type: ignore[misc]


def first_visit_days(campaign: Campaign, frame: Frame) -> list[tuple[dt.date, int]]:
    """Distinct visitors of the campaign by the local day of their first visit (so a
    cumulative sum over days is the distinct count as of that day)."""
    inner = (
        _counted_visits(campaign, frame)
        .exclude(visitor_id="")
        .values("visitor_id")
        .annotate(first_day=Min(TruncDate("occurred_at", tzinfo=frame.tz)))
        .values("visitor_id", "first_day")
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.first_day, COUNT(*) FROM ({sql}) v GROUP BY v.first_day", params
        )
        return [(local_date(d), n) for d, n in cursor.fetchall()]  # type: ignore[misc]


def unique_visitors_by_partnership(campaign: Campaign, frame: Frame) -> dict[int, int]:
    rows = (
        _counted_visits(campaign, frame)
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
