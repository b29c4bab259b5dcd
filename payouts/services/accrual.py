"""Lines accrue from the workflow and the KPI engine, never by hand.

- A deliverable's fee share accrues once, when it reaches its ``pay_on`` milestone (or a later
  status, when the milestone itself was skipped).
- A partnership's product value accrues once it is committed (``COMMITTED_STATUSES``).
- Its commission follows the engine's figure on counted net revenue after every recompute: the
  open (accrued) commission line moves and keeps its previous amount; once the lines are
  approved or paid, a difference is a new adjustment line (negative after a refund).

Each partnership is settled under a row lock on it, so two recomputes cannot both add a line;
the unique constraints stop a second fee or product line all the same. A recompute settles all
the partnerships it moved in one transaction, with its writes in bulk: a day of orders moves
every creator's commission at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_entry, audit_record_many
from accounts.l10n import organization_language
from accounts.models import AuditEntry, Organization
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


def ledger_sync(*, campaign_id: int) -> None:
    """After a recompute: each partnership's product line and commission, from the stored KPI
    documents. A few reads find the partnerships whose lines are behind; only those are
    settled, all in one transaction (``_settle``)."""
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
    behind: dict[int, Decimal | None] = {}
    for pk, status, product_value in partnerships:
        target = commission_of(documents.get((campaign_id, str(pk))))
        late = target is not None and target != (commissions.get(pk) or ZERO)
        product = products.get(pk)
        if product is None:
            late |= status in COMMITTED_STATUSES and product_value > 0
        else:
            late |= product[1] == PayoutStatus.ACCRUED and product[0] != product_value \
                and product_value > 0
        if late:
            behind[pk] = target
    if behind:
        _settle(behind)


@dataclass
class _Settlement:
    """What settling a campaign's ledger writes, gathered first and written in bulk: new lines,
    moved lines, and the audit entries of moves and adjustments."""

    organization: Organization
    new: list[PayoutLine] = field(default_factory=list)
    moved: list[PayoutLine] = field(default_factory=list)
    audits: list[tuple[PayoutLine, AuditEntry]] = field(default_factory=list)

    def add(self, line: PayoutLine) -> None:
        _check(line)
        self.new.append(line)

    def write(self) -> None:
        PayoutLine.objects.bulk_create(self.new)
        if self.moved:  # one UPDATE: the old amount kept, the new one set per line
            PayoutLine.objects.filter(pk__in=[line.pk for line in self.moved]).update(
                previous_amount=F("amount"), updated_at=timezone.now(),
                amount=Case(*(When(pk=line.pk, then=Value(line.amount)) for line in self.moved),
                            output_field=PayoutLine._meta.get_field("amount")),
            )
        for line, entry in self.audits:  # an adjustment has its id only now
            entry.object_id = str(line.pk)
        audit_record_many([entry for _line, entry in self.audits])


@transaction.atomic
def _settle(targets: Mapping[int, Decimal | None]) -> None:
    """Settle the partnerships behind: their rows locked in id order (two recomputes of a
    campaign wait for each other, and never deadlock), their product and commission lines read
    under the lock in one query and checked again there, every change written in bulk."""
    partnerships = list(
        Partnership.objects.select_for_update(of=("self",))
        .select_related("campaign__brand__organization", "influencer")
        .filter(pk__in=list(targets)).order_by("pk")
    )
    if not partnerships:
        return
    by_id = {partnership.pk: partnership for partnership in partnerships}
    lines: dict[tuple[int, str], list[PayoutLine]] = defaultdict(list)
    for line in PayoutLine.objects.select_for_update().filter(
        partnership__in=partnerships, kind__in=(PayoutKind.PRODUCT, PayoutKind.COMMISSION)
    ).order_by("id"):
        line.partnership = by_id[line.partnership_id]  # named in the audit entries
        lines[(line.partnership_id, line.kind)].append(line)
    settlement = _Settlement(organization=partnerships[0].campaign.brand.organization)
    for partnership in partnerships:
        products = lines[(partnership.pk, PayoutKind.PRODUCT)]
        _product_settle(settlement, partnership, products[0] if products else None)
        target = targets[partnership.pk]
        if target is not None:
            _commission_settle(settlement, partnership,
                               lines[(partnership.pk, PayoutKind.COMMISSION)], target)
    settlement.write()


def _product_settle(settlement: _Settlement, partnership: Partnership,
                    line: PayoutLine | None) -> None:
    """The partnership's product line: accrued once it is committed with a product value; an
    open line follows a changed value (the old one kept in ``previous_amount``)."""
    value = partnership.product_value
    if line is None:
        if partnership.status in COMMITTED_STATUSES and value > 0:
            with organization_language(settlement.organization):
                description = _("Product value")
            settlement.add(PayoutLine(
                partnership=partnership, kind=PayoutKind.PRODUCT, amount=value,
                description=description, currency=partnership.campaign.currency,
            ))
    elif line.status == PayoutStatus.ACCRUED and line.amount != value and value > 0:
        _move(settlement, line, value, "payout.product_changed")


def _commission_settle(settlement: _Settlement, partnership: Partnership,
                       lines: list[PayoutLine], target: Decimal) -> None:
    """Bring the partnership's commission ``lines`` (oldest first) to ``target``: move the open
    line, or add an adjustment for the difference. Approved and paid lines keep their
    amounts."""
    difference = target - sum((line.amount for line in lines), ZERO)
    if difference == 0:
        return
    open_lines = [line for line in lines if line.status == PayoutStatus.ACCRUED]
    if open_lines:
        _move(settlement, open_lines[-1], open_lines[-1].amount + difference,
              "payout.commission_changed")
        return
    with organization_language(settlement.organization):
        description = _("Commission adjustment") if lines else _("Commission")
    line = PayoutLine(
        partnership=partnership, kind=PayoutKind.COMMISSION, amount=difference,
        currency=partnership.campaign.currency, description=description,
    )
    settlement.add(line)
    if lines:
        settlement.audits.append((line, audit_entry(
            access=None, organization=settlement.organization,
            action="payout.commission_adjusted", obj=line,
            changes={"amount": [None, str(difference)], "target": str(target)},
        )))


def _move(settlement: _Settlement, line: PayoutLine, amount: Decimal, action: str) -> None:
    old = line.amount
    line.previous_amount, line.amount = old, amount
    _check(line)
    settlement.moved.append(line)
    settlement.audits.append((line, audit_entry(
        access=None, organization=settlement.organization, action=action, obj=line,
        changes={"amount": [str(old), str(amount)]},
    )))


def _check(line: PayoutLine) -> None:
    """A settled line's own fields (an amount within its digits); its relations were read under
    the lock and its unique constraints are the database's."""
    line.clean_fields(exclude=["partnership", "deliverable", "approved_by"])
