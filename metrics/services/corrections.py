"""Hand corrections of one conversion or one refund (the admin): add, change, delete.

The rules are those of every other path: a conversion is checked by ``conversion_errors`` and
is added through ``conversions_ingest``; a partnership picked by hand is ``manual`` credit, as
``conversion_assign`` gives it; a correction of what the rules read (codes, click id, UTM
parameters, landing page, time) applies the rules again, unless the credit was given by hand,
which ingestion keeps too. A refund is added through ``refund_record`` and, corrected or new,
must be more than zero and no more than what is left of its order (nor may an order's amount
drop below what is refunded of it). Each write is atomic and hands the campaigns it moves
numbers of — the old and the new one when the row changed partnership — to the recompute
entry point. A conversion's or a refund's identity (brand, source, external id; a refund's
order and id) is its idempotency key for the services that feed it, so it does not change
here: moving a row is a delete and an add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import Access
from accounts.writes import ensure_in_organization, require_write
from campaigns.models import Brand
from config.validation import NEGATIVE, Errors
from metrics.models import AttributionReason, Conversion, Refund, Source
from metrics.services.conversions import (
    ConversionItem,
    codes_of,
    conversions_ingest,
    refund_left,
    refund_record,
    refunded,
    schedule_for_partnerships,
)
from metrics.tracking.attribution_candidates import attribute_many, facts_for
from metrics.validation import conversion_errors

# What a hand correction may change on a stored conversion.
CONVERSION_FIELDS = frozenset({
    "kind", "amount", "currency", "occurred_at", "promo_code", "click_id", "landing_url",
    "utm_campaign", "utm_content", "partnership", "is_cancelled", "source_updated_at",
})
# What the attribution rules read: changing one of them applies the rules again.
ATTRIBUTION_FACTS = frozenset({
    "occurred_at", "promo_code", "click_id", "landing_url", "utm_campaign", "utm_content",
})
REFUND_FIELDS = frozenset({"amount", "occurred_at"})

NOT_POSITIVE = gettext_lazy("A refund must be more than zero.")


def refuse_unknown(changes: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    """Refuse fields a correction may not set (the identity, or what the rules derive)."""
    if unknown := sorted(set(changes) - set(allowed)):
        raise ValidationError({name: [_not_by_hand(what, name)] for name in unknown})


def _not_by_hand(what: str, name: str) -> str:
    if what == "conversion":
        text = _("A conversion's %(field)s is not changed by hand.")
    elif what == "refund":
        text = _("A refund's %(field)s is not changed by hand.")
    else:
        text = _("A %(what)s's %(field)s is not changed by hand.")
    return text % {"what": what, "field": name}


def refund_errors(*, amount: Any, left: Decimal) -> Errors:
    """A refund entered by hand: more than zero and at most ``left`` (what is left of the order
    once its other refunds are counted, as ``refund_left`` gives it)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return {"amount": [_("A valid number is required.")]}
    if amount < 0:
        return {"amount": [str(NEGATIVE)]}
    if amount == 0:
        return {"amount": [str(NOT_POSITIVE)]}
    if amount > left:
        return {"amount": [
            _("Only %(left)s is left to refund on this order.") % {"left": f"{left:.2f}"}
        ]}
    return {}


# --- Conversions ----------------------------------------------------------------------------
def conversion_create(
    *,
    access: Access,
    brand: Brand,
    external_id: str,
    occurred_at: dt.datetime,
    source: str = Source.MANUAL,
    **fields: Any,
) -> Conversion:
    """Add one conversion as ingestion adds it (attributed on arrival; a partnership given is
    ``manual`` credit). Another of the brand's conversions from ``source`` with the same id is
    refused rather than overwritten."""
    require_write(access, Conversion)
    ensure_in_organization(access, brand, fields.get("partnership"))
    refuse_unknown(fields, CONVERSION_FIELDS, "conversion")
    promo_code = fields.pop("promo_code", "") or ""
    item = ConversionItem(
        brand=brand, external_id=external_id, occurred_at=occurred_at,
        codes=tuple(codes_of(promo_code)), **fields,
    )
    with transaction.atomic():
        if Conversion.objects.filter(brand=brand, source=source, external_id=external_id).exists():
            raise ValidationError({
                "external_id": [
                    _("The brand already has a conversion with this id from this source.")
                ]
            })
        conversions_ingest(items=[item], source=source, organization=access.organization)
        return Conversion.objects.get(brand=brand, source=source, external_id=external_id)


def conversion_update(*, access: Access, conversion: Conversion, **changes: Any) -> Conversion:
    """Correct a conversion; returns it as saved (no change: nothing written, nothing
    recomputed)."""
    require_write(access, Conversion)
    ensure_in_organization(access, conversion, changes.get("partnership"))
    refuse_unknown(changes, CONVERSION_FIELDS, "conversion")
    if not changes:
        return conversion
    with transaction.atomic():
        row = Conversion.objects.select_for_update().select_related("brand").get(pk=conversion.pk)
        before = row.partnership_id
        for name, value in changes.items():
            setattr(row, name, value)
        if errors := conversion_errors({
            "brand": row.brand, "external_id": row.external_id, "occurred_at": row.occurred_at,
            "kind": row.kind, "amount": row.amount, "currency": row.currency,
            "partnership": row.partnership,
        }):
            raise ValidationError(errors)
        if "amount" in changes and (done := refunded(row)) > row.amount:
            raise ValidationError({"amount": [
                _("%(done)s of this order is refunded already: the amount cannot be less.")
                % {"done": f"{done:.2f}"}
            ]})
        moved_by_hand = "partnership" in changes and row.partnership_id != before
        if moved_by_hand and row.partnership_id is not None:
            # As ``conversion_assign`` credits it.
            row.matched_click = None
            row.attribution = AttributionReason.MANUAL
        elif moved_by_hand or (
            row.attribution != AttributionReason.MANUAL and ATTRIBUTION_FACTS & set(changes)
        ):
            _apply_rules(row)
        row.full_clean()
        row.save()
        schedule_for_partnerships([before, row.partnership_id])
    return row


def _apply_rules(row: Conversion) -> None:
    """Attribute ``row`` again from what it says about itself, as ingestion does on arrival."""
    fact = facts_for(
        brand_id=row.brand_id, occurred_at=row.occurred_at, codes=codes_of(row.promo_code),
        click_id=row.click_id, landing_url=row.landing_url, utm_campaign=row.utm_campaign,
        utm_content=row.utm_content,
    )
    answer = attribute_many(row.brand, [fact])[0]
    row.click_id = fact.click_id[:32]
    row.utm_campaign = fact.utm_campaign[:100]
    row.utm_content = fact.utm_content[:100]
    row.partnership_id = answer.partnership_id
    row.matched_click_id = answer.click_pk
    row.attribution = answer.reason


def conversion_delete(*, access: Access, conversion: Conversion) -> None:
    """Delete a conversion and its refunds."""
    require_write(access, Conversion, "delete")
    ensure_in_organization(access, conversion)
    with transaction.atomic():
        row = Conversion.objects.select_for_update().get(pk=conversion.pk)
        schedule_for_partnerships([row.partnership_id])
        row.delete()


# --- Refunds --------------------------------------------------------------------------------
def refund_create(
    *, access: Access, conversion: Conversion, external_id: str, amount: Decimal,
    occurred_at: dt.datetime,
) -> Refund:
    """Add a refund to an order's ledger through ``refund_record``; an amount above what is
    left of the order is refused (the ledger clamps only what a shop sends)."""
    require_write(access, Refund)
    ensure_in_organization(access, conversion)
    with transaction.atomic():
        order = Conversion.objects.select_for_update().get(pk=conversion.pk)
        if errors := refund_errors(amount=amount, left=refund_left(order)):
            raise ValidationError(errors)
        refund, created = refund_record(
            conversion=order, external_id=external_id, amount=amount, occurred_at=occurred_at
        )
        if not created:
            raise ValidationError(
                {"external_id": [_("This order already has a refund with this id.")]}
            )
    return refund


def refund_update(*, access: Access, refund: Refund, **changes: Any) -> Refund:
    """Correct a refund's amount or time; returns it as saved."""
    require_write(access, Refund)
    ensure_in_organization(access, refund)
    refuse_unknown(changes, REFUND_FIELDS, "refund")
    if not changes:
        return refund
    with transaction.atomic():
        order = Conversion.objects.select_for_update().get(pk=refund.conversion_id)
        row = Refund.objects.get(pk=refund.pk)
        for name, value in changes.items():
            setattr(row, name, value)
        if errors := refund_errors(amount=row.amount, left=refund_left(order, excluding=row)):
            raise ValidationError(errors)
        row.full_clean()
        row.save()
        schedule_for_partnerships([order.partnership_id])
    return row


def refund_delete(*, access: Access, refund: Refund) -> None:
    """Take a refund off its order's ledger."""
    require_write(access, Refund, "delete")
    ensure_in_organization(access, refund)
    with transaction.atomic():
        order = Conversion.objects.select_for_update().get(pk=refund.conversion_id)
        Refund.objects.filter(pk=refund.pk).delete()
        schedule_for_partnerships([order.partnership_id])

