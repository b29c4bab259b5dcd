"""Reads of the payouts ledger, through the permission checkpoint: admins and owners see the
organization's lines, a creator only their own, viewers and managers none
(``PayoutLine.view_role``). The totals take a partnership or campaign the caller has already
scoped."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import Access, visible
from campaigns.models import COMMITTED_STATUSES, Campaign, Partnership
from content.models import Deliverable
from influencers.models import Influencer
from payouts.models import PayoutKind, PayoutLine, PayoutStatus

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# The cost breakdown's keys (``metrics.kpis.COST_KEYS``) of each kind of line.
KIND_KEYS = {PayoutKind.FEE: "fees", PayoutKind.PRODUCT: "product",
             PayoutKind.COMMISSION: "commission"}


def parse_month(value: str | dt.date | None) -> dt.date | None:
    """``2026-05`` → the 1st of May 2026; empty → None; anything else a ValidationError
    naming ``month``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = MONTH.match(str(value).strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 1:
            return dt.date(year, month, 1)
    raise ValidationError({"month": _("Give a month as YYYY-MM, e.g. 2026-05.")})


def month_bounds(month: dt.date, organization: Organization) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in the organization's time zone."""
    zone = organization.tzinfo
    start = dt.datetime(month.year, month.month, 1, tzinfo=zone)
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, dt.datetime(following.year, following.month, 1, tzinfo=zone)


def ledger_lines(
    access: Access,
    *,
    campaign: Campaign | int | None = None,
    partnership: Partnership | int | None = None,
    month: str | dt.date | None = None,
    influencer: Influencer | int | None = None,
    status: str | None = None,
) -> QuerySet[PayoutLine]:
    """The lines ``access`` may see, newest first, narrowed by campaign, partnership, month of
    accrual (in the organization's time zone), creator and status."""
    lines = visible(access, PayoutLine).select_related(
        "partnership__influencer", "partnership__campaign__brand", "deliverable", "approved_by"
    )
    if campaign:
        lines = lines.filter(partnership__campaign=campaign)
    if partnership:
        lines = lines.filter(partnership=partnership)
    if influencer:
        lines = lines.filter(partnership__influencer=influencer)
    if status:
        lines = lines.filter(status=status)
    first = parse_month(month)
    if first is not None:
        start, end = month_bounds(first, access.organization)
        lines = lines.filter(accrued_at__gte=start, accrued_at__lt=end)
    return lines.order_by("-accrued_at", "-id")


def _by_status(lines: QuerySet[PayoutLine]) -> dict[str, Decimal]:
    sums = lines.aggregate(
        **{status: Sum("amount", filter=Q(status=status)) for status in PayoutStatus.values}
    )
    totals = {status: sums[status] or ZERO for status in PayoutStatus.values}
    totals["total"] = sum(totals.values(), ZERO)
    return totals


def partnership_earnings(partnership: Partnership) -> dict[str, Any]:
    """``accrued``, ``approved``, ``paid`` and ``total`` of the partnership's lines, with the
    campaign's ``currency`` (one query)."""
    return {
        **_by_status(PayoutLine.objects.filter(partnership=partnership)),
        "currency": partnership.campaign.currency,
    }


def _sum(queryset: QuerySet[Any], field: str) -> Coalesce:
    """A correlated ``SUM(field)`` of ``queryset`` (0 when empty), as one column."""
    # Grouped by the campaign the rows are correlated to: one group, one row.
    total = queryset.order_by().values("partnership__campaign").annotate(
        total=Sum(field)
    ).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def campaign_ledger_totals(campaign: Campaign) -> dict[str, Any]:
    """The campaign's ledger beside its cost breakdown: per kind (``fees``, ``product``,
    ``commission``) and in all (``total``), the ``accrued``/``approved``/``paid``/``total``
    sums; ``fees_not_yet_due``: fee shares of committed partnerships' deliverables that have
    not reached their milestone. One query (the report page reads it)."""
    lines = PayoutLine.objects.filter(partnership__campaign=OuterRef("pk"))
    columns: dict[str, Any] = {
        f"{key}__{status}": _sum(lines.filter(kind=kind, status=status), "amount")
        for kind, key in KIND_KEYS.items() for status in PayoutStatus.values
    }
    columns["not_due"] = _sum(
        Deliverable.objects.filter(
            partnership__campaign=OuterRef("pk"), partnership__status__in=COMMITTED_STATUSES,
            fee_share__gt=0,
        ).exclude(payout_lines__kind=PayoutKind.FEE),
        "fee_share",
    )
    found = Campaign.objects.filter(pk=campaign.pk).values(**columns).first()
    row: dict[str, Any] = dict(found) if found else {}
    kinds: dict[str, dict[str, Decimal]] = {}
    everything = {status: ZERO for status in PayoutStatus.values}
    for key in KIND_KEYS.values():
        sums = {status: row.get(f"{key}__{status}") or ZERO for status in PayoutStatus.values}
        for status in PayoutStatus.values:
            everything[status] += sums[status]
        kinds[key] = {**sums, "total": sum(sums.values(), ZERO)}
    everything["total"] = sum((everything[s] for s in PayoutStatus.values), ZERO)
    return {**kinds, "total": everything, "fees_not_yet_due": row.get("not_due") or ZERO,
            "currency": campaign.currency}


def ledger_totals(lines: QuerySet[PayoutLine]) -> list[dict[str, Any]]:
    """Per currency (lines of campaigns priced differently never add up), the
    ``accrued``/``approved``/``paid``/``total`` sums of ``lines`` (one query)."""
    rows = lines.order_by().values("currency", "status").annotate(amount=Sum("amount"))
    by_currency: dict[str, dict[str, Any]] = {}
    for row in rows:
        sums = by_currency.setdefault(
            row["currency"], {"currency": row["currency"],
                              **{status: ZERO for status in PayoutStatus.values}}
        )
        sums[row["status"]] += row["amount"] or ZERO
    for sums in by_currency.values():
        sums["total"] = sum((sums[s] for s in PayoutStatus.values), ZERO)
    return [by_currency[c] for c in sorted(by_currency)]


def cost_ledger(campaign: Campaign, document: Any) -> dict[str, Any]:
    """The report's comparison: for fees, products and commissions, the engine's figure (the
    campaign document's ``roi.cost_breakdown``) beside the ledger's accrued, approved and paid
    sums; and the fees committed but not yet due."""
    totals = campaign_ledger_totals(campaign)
    breakdown: Any = {}
    if isinstance(document, dict) and isinstance(document.get("roi"), dict):
        breakdown = document["roi"].get("cost_breakdown") or {}
    labels = {"fees": _("Fees"), "product": _("Products"), "commission": _("Commissions")}
    rows = []
    for key, label in labels.items():
        engine = breakdown.get(key) if isinstance(breakdown, dict) else None
        rows.append({"key": key, "label": label,
                     "engine": Decimal(str(engine)) if engine is not None else None,
                     **totals[key]})
    engine_total = sum((r["engine"] for r in rows if r["engine"] is not None), ZERO)
    return {"rows": rows, "total": {**totals["total"], "engine": engine_total},
            "fees_not_yet_due": totals["fees_not_yet_due"], "currency": totals["currency"]}
