"""Lines accrue from the workflow and the KPI engine, never by hand.

- A deliverable's fee share accrues once, when it reaches its ``pay_on`` milestone (or a later
  status, when the milestone itself was skipped).
- A partnership's product value accrues once it is committed (``COMMITTED_STATUSES``).
- Its commission follows the engine's figure on counted net revenue after every recompute: the
  open (accrued) commission line moves and keeps its previous amount; once the lines are
  approved or paid, a difference is a new adjustment line (negative after a refund).

Each partnership is settled under a row lock on it, so two recomputes cannot both add a line;
the unique constraints stop a second fee or product line all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.l10n import organization_language
from accounts.services import audit_record
from campaigns.models import COMMITTED_STATUSES, Partnership
from content.models import Deliverable, DeliverableStatus, PayOn
from metrics.selectors.snapshots import partnership_documents
from payouts.models import PayoutKind, PayoutLine, PayoutStatus

ZERO = Decimal("0")
# The workflow's order: reaching a later status passes the milestones before it.
STATUS_ORDER: tuple[str, ...] = (
    DeliverableStatus.PLANNED,
    DeliverableStatus.DRAFT_SUBMITTED,
    DeliverableStatus.CHANGES_REQUESTED,
    DeliverableStatus.APPROVED,
    DeliverableStatus.LIVE,
    DeliverableStatus.VERIFIED,
)


def milestone_reached(status: str, pay_on: str) -> bool:
    """Whether a deliverable in ``status`` has reached (or passed) its ``pay_on`` milestone."""
    if status not in STATUS_ORDER or pay_on not in (PayOn.APPROVED, PayOn.LIVE):
        return False
    return STATUS_ORDER.index(status) >= STATUS_ORDER.index(pay_on)


def _locked_partnership(partnership_id: int) -> Partnership | None:
    return (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("campaign__brand__organization", "influencer")
        .filter(pk=partnership_id)
        .first()
    )


@transaction.atomic
def fee_accrue(*, deliverable: Deliverable, status: str | None = None) -> PayoutLine | None:
    """The deliverable's fee line, accrued now if ``status`` (default: its own) reaches its
    milestone; None when it is not due or the fee share is zero."""
    status = status or deliverable.status
    if not milestone_reached(status, deliverable.pay_on) or deliverable.fee_share <= 0:
        return None
    partnership = _locked_partnership(deliverable.partnership_id)
    if partnership is None:
        return None
    existing = PayoutLine.objects.filter(kind=PayoutKind.FEE, deliverable=deliverable).first()
    if existing is not None:
        return existing
    with organization_language(partnership.campaign.brand.organization):
        description = (_("Fee: %(deliverable)s") % {"deliverable": deliverable})[:200]
    line = PayoutLine(
        partnership=partnership, deliverable=deliverable, kind=PayoutKind.FEE,
        description=description, amount=deliverable.fee_share,
        currency=partnership.campaign.currency,
    )
    line.full_clean()
    line.save()
    return line


def _product_accrue(partnership: Partnership) -> PayoutLine | None:
    """The partnership's product line: accrued once it is committed with a product value; an
    open line follows a changed value (the old one kept in ``previous_amount``)."""
    line = PayoutLine.objects.filter(partnership=partnership, kind=PayoutKind.PRODUCT).first()
    value = partnership.product_value
    if line is None:
        if partnership.status not in COMMITTED_STATUSES or value <= 0:
            return None
        with organization_language(partnership.campaign.brand.organization):
            description = _("Product value")
        line = PayoutLine(
            partnership=partnership, kind=PayoutKind.PRODUCT, amount=value,
            description=description, currency=partnership.campaign.currency,
        )
        line.full_clean()
        line.save()
        return line
    if line.status == PayoutStatus.ACCRUED and line.amount != value and value > 0:
        _move(line, value, "payout.product_changed")
    return line


def commission_of(document: Mapping[str, Any] | None) -> Decimal | None:
    """The engine's commission in a partnership's KPI document; None when it has none yet."""
    try:
        value = document["roi"]["cost_breakdown"]["commission"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _commission_sync(partnership: Partnership, target: Decimal) -> PayoutLine | None:
    """Bring the partnership's commission lines to ``target``: move the open line, or add an
    adjustment for the difference. Approved and paid lines keep their amounts."""
    lines = list(
        PayoutLine.objects.select_for_update()
        .filter(partnership=partnership, kind=PayoutKind.COMMISSION)
        .order_by("id")
    )
    difference = target - sum((line.amount for line in lines), ZERO)
    if difference == 0:
        return None
    open_lines = [line for line in lines if line.status == PayoutStatus.ACCRUED]
    if open_lines:
        line = open_lines[-1]
        _move(line, line.amount + difference, "payout.commission_changed")
        return line
    with organization_language(partnership.campaign.brand.organization):
        description = _("Commission adjustment") if lines else _("Commission")
    line = PayoutLine(
        partnership=partnership, kind=PayoutKind.COMMISSION, amount=difference,
        currency=partnership.campaign.currency, description=description,
    )
    line.full_clean()
    line.save()
    if lines:
        audit_record(
            access=None, organization=partnership.campaign.brand.organization,
            action="payout.commission_adjusted", obj=line,
            changes={"amount": [None, str(difference)], "target": str(target)},
        )
    return line


def _move(line: PayoutLine, amount: Decimal, action: str) -> None:
    old = line.amount
    line.previous_amount = old
    line.amount = amount
    line.full_clean()
    line.save(update_fields=["amount", "previous_amount", "updated_at"])
    audit_record(
        access=None, organization=line.partnership.campaign.brand.organization, action=action,
        obj=line, changes={"amount": [str(old), str(amount)]},
    )


def ledger_sync(*, campaign_id: int) -> None:
    """After a recompute: each partnership's product line and commission, from the stored KPI
    documents. A few reads find the partnerships whose lines are behind; only those are
    settled, each in its own transaction under its row lock (and checked again there)."""
    partnerships = list(
        Partnership.objects.filter(campaign_id=campaign_id).values_list(
            "pk", "status", "product_value"
        )
    )
    documents = partnership_documents([(campaign_id, pk) for pk, _, _ in partnerships])
    lines = PayoutLine.objects.filter(partnership__campaign_id=campaign_id)
    commissions = dict(
        lines.filter(kind=PayoutKind.COMMISSION).order_by().values("partnership")
        .annotate(total=Sum("amount")).values_list("partnership", "total")
    )
    products = {
        partnership: (amount, status) for partnership, amount, status in
        lines.filter(kind=PayoutKind.PRODUCT).values_list("partnership", "amount", "status")
    }
    for pk, status, product_value in partnerships:
        document = documents.get((campaign_id, str(pk)))
        target = commission_of(document)
        behind = target is not None and target != (commissions.get(pk) or ZERO)
        product = products.get(pk)
        if product is None:
            behind |= status in COMMITTED_STATUSES and product_value > 0
        else:
            behind |= product[1] == PayoutStatus.ACCRUED and product[0] != product_value \
                and product_value > 0
        if behind:
            _partnership_sync(pk, document)


@transaction.atomic
def _partnership_sync(partnership_id: int, document: Mapping[str, Any] | None) -> None:
    partnership = _locked_partnership(partnership_id)
    if partnership is None:
        return
    _product_accrue(partnership)
    target = commission_of(document)
    if target is not None:
        _commission_sync(partnership, target)
