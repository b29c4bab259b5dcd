"""SQL aggregates of the KPI engine: every sum and count of a campaign, in a fixed number of
queries whatever its size, on PostgreSQL and SQLite alike.

Everything is bucketed by the organization-local day it happened on, so one pass yields the
campaign total, the per-partnership/per-platform splits and the cumulative per-day series.
Post counters are cumulative snapshots: SQL turns them into per-snapshot *deltas* of each
post's latest non-NULL value, so summing the deltas up to a day gives Σ over posts of their
value as of that day, and Python receives one row per (day, partnership, platform).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from accounts.models import Organization
from campaigns.models import Campaign, Cost, KpiTarget, Partnership, Post
from influencers.models import SocialAccount
from metrics.kpis import COUNTERS
from metrics.models import (
    CONVERSION_KINDS,
    LEAD_KINDS,
    AttributionReason,
    Click,
    Comment,
    Conversion,
    EmvRate,
    FollowerSnapshot,
    PostMetrics,
    Refund,
    Visit,
)

# Quantities tracked per post snapshot: each has a value delta and a "reporting" delta.
POST_QUANTITIES = (*COUNTERS, "imp_eff", "eng_reach", "eng_followers", "followers")
# Column layout of a post delta vector: v_<q>, n_<q> for each quantity, then from_views.
POST_VECTOR = (
    *(f"v_{q}" for q in POST_QUANTITIES),
    *(f"n_{q}" for q in POST_QUANTITIES),
    "from_views",
)
_ENCODE = 1 << 40  # counters up to 1.1 trillion; see the carry-forward trick below


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


# --- scoped reads ---------------------------------------------------------------------------


def campaign_for_kpis(campaign_id: int) -> Campaign:
    return Campaign.objects.select_related("brand__organization").get(pk=campaign_id)


def emv_rates(organization: Organization) -> list[tuple[str, str, Decimal, str]]:
    return list(
        EmvRate.objects.filter(organization=organization).values_list(
            "platform", "metric", "value", "source"
        )
    )


def partnerships_of(campaign: Campaign) -> list[dict[str, Any]]:
    rows = (
        Partnership.objects.filter(campaign=campaign)
        .order_by("pk")
        .values("pk", "status", "fee", "product_value", "commission_rate", "influencer__name")
    )
    return [dict(row) for row in rows]


def targets_of(campaign: Campaign) -> list[tuple[str, Decimal]]:
    return list(KpiTarget.objects.filter(campaign=campaign).values_list("metric", "value"))


def overlapping_campaigns(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {"id": pk, "name": name}
        for pk, name in Campaign.objects.filter(
            brand_id=campaign.brand_id,
            start_date__lte=campaign.end_date,
            end_date__gte=campaign.start_date,
        )
        .exclude(pk=campaign.pk)
        .order_by("start_date", "pk")
        .values_list("pk", "name")
    ]


def costs_of(campaign: Campaign) -> list[tuple[int | None, str, dt.date, Decimal]]:
    return list(
        Cost.objects.filter(campaign=campaign)
        .values("partnership_id", "category", "incurred_on")
        .annotate(total=Sum("amount"))
        .values_list("partnership_id", "category", "incurred_on", "total")
    )


def unlabelled_comments(campaign: Campaign) -> QuerySet[Comment]:
    return Comment.objects.filter(post__partnership__campaign=campaign, sentiment="")


# --- posts ----------------------------------------------------------------------------------


def _sql_local_date(column: str, frame: Frame) -> tuple[str, list[Any]]:
    sql, params = connection.ops.datetime_cast_date_sql(column, (), frame.tzname)
    return sql, list(params)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def post_metric_deltas(campaign: Campaign, frame: Frame) -> list[tuple[Any, ...]]:
    """Rows ``(day, partnership_id, platform, *POST_VECTOR)``: per local day of capture, the sum
    of the changes of each post's latest-non-NULL counter values (and derived quantities).

    The latest non-NULL value of a counter at each snapshot ("carry forward") uses one sort per
    post: a running MAX over ``row_number × 2^40 + value`` picks the last reported value, since
    a later row always has the larger prefix. Then LAG over the same window gives deltas.
    """
    published_sql, published_params = _sql_local_date("p.published_at", frame)
    day_sql, day_params = _sql_local_date("captured_at", frame)
    carry = ",\n".join(
        f"(MAX(CASE WHEN {c} IS NOT NULL THEN rn * {_ENCODE} + {c} END) OVER w) %% {_ENCODE}"
        f" AS {c}"
        for c in COUNTERS
    )
    derived = ",\n".join(
        [
            *(f"f.{c} AS q_{c}" for c in COUNTERS),
            "COALESCE(f.impressions, f.views) AS q_imp_eff",
            "CASE WHEN f.reach IS NOT NULL THEN f.eng END AS q_eng_reach",
            "CASE WHEN f.followers IS NOT NULL THEN f.eng END AS q_eng_followers",
            "CASE WHEN f.eng IS NOT NULL THEN f.followers END AS q_followers",
            "CASE WHEN f.impressions IS NULL AND f.views IS NOT NULL THEN 1 ELSE 0 END"
            " AS q_from_views",
        ]
    )
    if connection.vendor == "postgresql":
        # One LAG of an array instead of one LAG per quantity: each LAG is a tuplestore fetch,
        # and 27 of them per row dominated the query.
        current = ", ".join(f"q_{q}" for q in POST_QUANTITIES)
        deltas = f"""
        SELECT partnership_id, platform, day, cur, from_views,
               LAG(cur) OVER w AS prev, LAG(from_views) OVER w AS prev_from_views
          FROM (SELECT post_id, captured_at, partnership_id, platform, {day_sql} AS day,
                       ARRAY[{current}]::bigint[] AS cur, q_from_views AS from_views
                  FROM derived) d
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at)"""
        sums = ", ".join(
            [f"SUM(COALESCE(cur[{i}], 0) - COALESCE(prev[{i}], 0))"
             for i in range(1, len(POST_QUANTITIES) + 1)]
            + [f"SUM((cur[{i}] IS NOT NULL)::int - (prev[{i}] IS NOT NULL)::int)"
               for i in range(1, len(POST_QUANTITIES) + 1)]
            + ["SUM(from_views - COALESCE(prev_from_views, 0))"]
        )
    else:
        delta_cols = []
        for q in POST_QUANTITIES:
            delta_cols.append(f"COALESCE(q_{q}, 0) - COALESCE(LAG(q_{q}) OVER w, 0) AS v_{q}")
        for q in POST_QUANTITIES:
            flag = f"CASE WHEN q_{q} IS NOT NULL THEN 1 ELSE 0 END"
            delta_cols.append(f"{flag} - COALESCE(LAG({flag}) OVER w, 0) AS n_{q}")
        delta_cols.append("q_from_views - COALESCE(LAG(q_from_views) OVER w, 0) AS from_views")
        deltas = f"""
        SELECT partnership_id, platform, {day_sql} AS day, {", ".join(delta_cols)}
          FROM derived
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at)"""
        sums = ", ".join(f"SUM({name})" for name in POST_VECTOR)
    # Computed once per post (its correlated follower lookup too), not once per snapshot.
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
    WITH posts AS {materialized} (
        SELECT p.id, p.partnership_id, p.platform,
               CASE WHEN p.social_account_id IS NULL THEN NULL ELSE COALESCE(
                   (SELECT fs.followers FROM {_table(FollowerSnapshot)} fs
                     WHERE fs.social_account_id = p.social_account_id
                       AND p.published_at IS NOT NULL AND fs.date <= {published_sql}
                     ORDER BY fs.date DESC LIMIT 1),
                   sa.followers) END AS followers
          FROM {_table(Post)} p
          JOIN {_table(Partnership)} pa ON pa.id = p.partnership_id
          LEFT JOIN {_table(SocialAccount)} sa ON sa.id = p.social_account_id
         WHERE pa.campaign_id = %s
    ),
    numbered AS (
        SELECT pm.post_id, pm.captured_at, {", ".join(f"pm.{c}" for c in COUNTERS)},
               posts.partnership_id, posts.platform, posts.followers,
               ROW_NUMBER() OVER (PARTITION BY pm.post_id ORDER BY pm.captured_at) AS rn
          FROM {_table(PostMetrics)} pm
          JOIN posts ON posts.id = pm.post_id
         WHERE pm.captured_at <= %s
    ),
    filled AS (
        SELECT post_id, captured_at, partnership_id, platform, followers, {carry}
          FROM numbered
        WINDOW w AS (PARTITION BY post_id ORDER BY captured_at
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ),
    engaged AS (
        SELECT f.*,
               CASE WHEN COALESCE(f.likes, f.comments, f.shares, f.saves) IS NOT NULL
                    THEN COALESCE(f.likes, 0) + COALESCE(f.comments, 0)
                         + COALESCE(f.shares, 0) + COALESCE(f.saves, 0) END AS eng
          FROM filled f
    ),
    derived AS (
        SELECT f.post_id, f.captured_at, f.partnership_id, f.platform, {derived}
          FROM engaged f
    ),
    deltas AS ({deltas}
    )
    SELECT day, partnership_id, platform, {sums}
      FROM deltas
     GROUP BY day, partnership_id, platform
    """
    params = [
        *published_params,
        campaign.pk,
        connection.ops.adapt_datetimefield_value(frame.as_of),
        *day_params,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room for the window sorts and the grouping in memory (this transaction only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return [(local_date(r[0]), *r[1:]) for r in cursor.fetchall()]


def post_counts(campaign: Campaign, frame: Frame) -> list[tuple[dt.date | None, int, str, int]]:
    """Posts per local publish day (None: not published yet), partnership and platform."""
    rows = (
        Post.objects.filter(partnership__campaign=campaign)
        .filter(Q(published_at__isnull=True) | Q(published_at__lte=frame.as_of))
        .annotate(day=TruncDate("published_at", tzinfo=frame.tz))
        .values("day", "partnership_id", "platform")
        .annotate(n=Count("pk"))
        .values_list("day", "partnership_id", "platform", "n")
    )
    return [(local_date(d), p, pl, n) for d, p, pl, n in rows]


# --- comments, clicks -----------------------------------------------------------------------


def sentiment_counts(campaign: Campaign, frame: Frame
                     ) -> list[tuple[dt.date, int, str, str, int]]:
    rows = (
        Comment.objects.filter(post__partnership__campaign=campaign, posted_at__lte=frame.as_of)
        .annotate(day=TruncDate("posted_at", tzinfo=frame.tz))
        .values("day", "post__partnership_id", "post__platform", "sentiment")
        .annotate(n=Count("pk"))
        .values_list("day", "post__partnership_id", "post__platform", "sentiment", "n")
    )
    return [(local_date(d), p, pl, s, n) for d, p, pl, s, n in rows]  # type: ignore[misc]


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


# --- conversions, visits --------------------------------------------------------------------


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


# --- followers ------------------------------------------------------------------------------


@dataclass
class BrandFollowers:
    """Snapshots of the brand accounts eligible for audience growth (a snapshot at or before
    the start date), as ``{account: [(date, followers), ...]}`` sorted by date."""

    series: dict[int, list[tuple[dt.date, int]]] = field(default_factory=dict)

    def total_on(self, day: dt.date) -> int | None:
        if not self.series:
            return None
        total = 0
        for points in self.series.values():
            value = None
            for date, followers in points:
                if date > day:
                    break
                value = followers
            total += value or 0
        return total


def brand_followers(campaign: Campaign, frame: Frame) -> BrandFollowers:
    last = min(frame.end, frame.as_of_date)
    eligible = FollowerSnapshot.objects.filter(
        brand_account=OuterRef("brand_account"), date__lte=frame.start
    )
    rows = (
        FollowerSnapshot.objects.filter(
            brand_account__brand_id=campaign.brand_id, date__lte=max(last, frame.start)
        )
        .filter(Exists(eligible))
        .order_by("brand_account_id", "date")
        .values_list("brand_account_id", "date", "followers")
    )
    series: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for account_id, date, followers in rows:
        series[account_id].append((date, followers))
    return BrandFollowers(dict(series))


def dates_of(rows: Iterable[Sequence[Any]]) -> set[dt.date]:
    return {r[0] for r in rows if r[0] is not None}
