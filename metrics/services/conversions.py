"""Writes of conversions and refunds: bulk ingestion (API, CSV, pixel, Shopify), attribution on
arrival, manual assignment, re-attribution and the refund ledger. Hand corrections of one row
(the admin) are in ``metrics.services.corrections``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import Organization, Role
from accounts.selectors import Access, require_role
from campaigns.models import Brand, Partnership
from config.validation import BulkItemError
from metrics.models import AttributionReason, Conversion, EventKind, Refund
from metrics.scheduling import schedule_kpi_recompute
from metrics.services.funnel_appends import funnel_rollups_add, funnel_writes_lock
from metrics.services.funnel_rollups import funnel_changed
from metrics.tracking.attribution import MANUAL, UNATTRIBUTED
from metrics.tracking.attribution_candidates import attribute_many, facts_for
from metrics.validation import conversion_errors

# Fields an ingestion may overwrite on an existing conversion of its own source (never
# ``created_at``; ``source`` is part of the identity).
_UPSERT_FIELDS = [
    "kind", "amount", "currency", "occurred_at", "promo_code", "click_id", "landing_url",
    "utm_campaign", "utm_content", "partnership", "matched_click", "attribution",
    "is_cancelled", "source_updated_at", "updated_at",
]


@dataclass
class ConversionItem:
    """One validated conversion to ingest."""

    brand: Brand
    external_id: str
    occurred_at: dt.datetime
    kind: str = EventKind.SALE
    amount: Decimal = Decimal("0")
    currency: str = ""
    codes: Sequence[str] = ()
    click_id: str = ""
    note_click_id: str = ""
    landing_url: str = ""
    utm_campaign: str = ""
    utm_content: str = ""
    partnership: Partnership | None = None
    is_cancelled: bool = False
    # When the source last changed the record (Shopify's ``updated_at``); None when the
    # source does not say.
    source_updated_at: dt.datetime | None = None


def _as_item(raw: ConversionItem | Mapping[str, Any], brand: Brand | None) -> ConversionItem:
    if isinstance(raw, ConversionItem):
        return raw
    data = dict(raw)
    codes = data.pop("codes", None)
    promo = data.pop("promo_code", "") or ""
    data["codes"] = tuple(codes) if codes else ((promo,) if promo else ())
    data["brand"] = data.get("brand") or brand
    return ConversionItem(**data)


def conversions_ingest(
    *,
    items: Iterable[ConversionItem | Mapping[str, Any]],
    source: str,
    brand: Brand | None = None,
    organization: Organization | None = None,
    first_write_wins: bool = False,
) -> tuple[int, int]:
    """Upsert conversions on (brand, ``source``, external id); returns ``(created, updated)``.

    A source only ever matches its own records: the same external id from another source is
    another conversion. With ``first_write_wins`` (the public pixel) an existing record is
    left exactly as it is and the item counts as neither created nor updated.

    All or nothing. Each conversion is attributed on arrival; one sent with a partnership, or
    already assigned by hand, stays ``manual``. Cancellation is one-way, and an item whose
    ``source_updated_at`` is older than the stored one is skipped, so an older payload
    replayed late changes nothing. Every item's brand must be ``brand``, or belong to
    ``organization``, else ``BulkItemError``.
    """
    batch = [_as_item(raw, brand) for raw in items]
    for index, item in enumerate(batch):
        _check_item(index, item, brand=brand, organization=organization)
    # The last of several items with the same key wins (one row, as if sent one by one).
    latest: dict[tuple[int, str], ConversionItem] = {}
    for item in batch:
        latest[(item.brand.pk, item.external_id)] = item

    created = updated = 0
    with transaction.atomic():
        by_brand: dict[int, list[ConversionItem]] = defaultdict(list)
        for item in latest.values():
            by_brand[item.brand.pk].append(item)
        campaign_partnerships: set[int] = set()
        for _brand_id, brand_items in sorted(by_brand.items()):
            c, u, touched = _ingest_brand(
                brand_items, source=source, first_write_wins=first_write_wins
            )
            created += c
            updated += u
            campaign_partnerships |= touched
        schedule_for_partnerships(campaign_partnerships)
    return created, updated


def _check_item(
    index: int, item: ConversionItem, *, brand: Brand | None, organization: Organization | None
) -> None:
    if item.brand is None:
        raise BulkItemError(index, {"brand": [_("This field is required.")]})
    if brand is not None and item.brand.pk != brand.pk:
        raise BulkItemError(index, {"brand": [_("Another brand's conversion.")]})
    if organization is not None and item.brand.organization_id != organization.pk:
        raise BulkItemError(index, {"brand": [_("Unknown brand.")]})
    if errors := conversion_errors(vars(item)):
        raise BulkItemError(index, errors)


def _ingest_brand(
    items: list[ConversionItem], *, source: str, first_write_wins: bool
) -> tuple[int, int, set[int]]:
    brand = items[0].brand
    funnel_writes_lock(brand.pk, source, [i.external_id for i in items])
    existing = {
        row["external_id"]: row
        for row in Conversion.objects.select_for_update()
        .filter(brand=brand, source=source, external_id__in=[i.external_id for i in items])
        .values(
            "external_id", "attribution", "partnership_id", "is_cancelled", "source_updated_at",
            "occurred_at",
        )
    }
    items = [i for i in items if _applies(i, existing.get(i.external_id), first_write_wins)]
    if not items:
        return 0, 0, set()
    facts = [
        facts_for(
            brand_id=brand.pk, occurred_at=i.occurred_at, codes=i.codes, click_id=i.click_id,
            landing_url=i.landing_url, note_click_id=i.note_click_id,
            utm_campaign=i.utm_campaign, utm_content=i.utm_content,
        )
        for i in items
    ]
    answers = attribute_many(brand, facts)
    rows: list[Conversion] = []
    touched: set[int] = set()
    for index, (item, fact, answer) in enumerate(zip(items, facts, answers, strict=True)):
        before = existing.get(item.external_id)
        partnership_id, reason, click_pk = answer.partnership_id, answer.reason, answer.click_pk
        if item.partnership is not None:
            partnership_id, reason, click_pk = item.partnership.pk, MANUAL, None
        elif before is not None and before["attribution"] == MANUAL:
            partnership_id, reason, click_pk = before["partnership_id"], MANUAL, None
        codes_text = _codes_text(item.codes)
        row = Conversion(
            brand=brand,
            external_id=item.external_id,
            kind=item.kind,
            amount=item.amount,
            currency=item.currency or brand.currency,
            occurred_at=item.occurred_at,
            promo_code=codes_text[:64],
            click_id=fact.click_id[:32],
            landing_url=item.landing_url,
            utm_campaign=fact.utm_campaign[:100],
            utm_content=fact.utm_content[:100],
            partnership_id=partnership_id,
            matched_click_id=click_pk,
            attribution=reason,
            is_cancelled=item.is_cancelled or bool(before and before["is_cancelled"]),
            source=source,
            source_updated_at=item.source_updated_at,
        )
        try:
            row.full_clean(exclude=["brand", "partnership", "matched_click"],
                           validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise BulkItemError(index, exc.message_dict) from exc
        rows.append(row)
        if partnership_id:
            touched.add(partnership_id)
        if before and before["partnership_id"]:
            touched.add(before["partnership_id"])
    # Rewritten orders note their days before and after; new ones are added to the rollups.
    funnel_changed([
        *((r.partnership_id, r.occurred_at) for r in rows if r.external_id in existing),
        *((b["partnership_id"], b["occurred_at"]) for b in existing.values()),
    ])
    if first_write_wins:
        # ``funnel_writes_lock`` holds off a racing ingestion of these ids; another writer's
        # row stays.
        Conversion.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    else:
        Conversion.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["brand", "source", "external_id"],
            update_fields=_UPSERT_FIELDS,
        )
    new_ids = [r.external_id for r in rows if r.external_id not in existing]
    funnel_rollups_add(conversions=list(
        Conversion.objects.filter(brand=brand, source=source, external_id__in=new_ids)
        .values_list("pk", flat=True)
    ) if new_ids else ())
    updated = len(rows) - len(new_ids)
    return len(new_ids), updated, touched


def _applies(
    item: ConversionItem, before: Mapping[str, Any] | None, first_write_wins: bool
) -> bool:
    """Whether ``item`` may be written over ``before`` (the stored row of the same source)."""
    if before is None:
        return True
    if first_write_wins:
        return False
    stored = before["source_updated_at"]
    return not (item.source_updated_at and stored and item.source_updated_at < stored)


def _codes_text(codes: Sequence[str]) -> str:
    # What the buyer typed, as typed; several codes comma-separated (re-attribution splits).
    return ",".join(c.strip() for c in codes if c and c.strip())


def codes_of(text: str) -> list[str]:
    """The codes of a stored ``promo_code`` (several are comma-separated)."""
    return [c.strip() for c in text.split(",") if c.strip()]


def schedule_for_partnerships(partnership_ids: Iterable[int | None]) -> None:
    """Recompute the campaigns of ``partnership_ids`` (``None`` entries are skipped)."""
    ids = {pid for pid in partnership_ids if pid}
    if ids:
        schedule_kpi_recompute(
            Partnership.objects.filter(pk__in=ids).values_list("campaign_id", flat=True)
        )


def conversion_assign(
    *, access: Access, conversion: Conversion, partnership: Partnership
) -> Conversion:
    """Credit ``conversion`` to ``partnership`` by hand (reason ``manual``)."""
    require_role(access, Role.MANAGER)
    if conversion.brand.organization_id != access.organization.pk:
        raise ValidationError({"conversion": [_("Unknown conversion.")]})
    if partnership.campaign.brand_id != conversion.brand_id:
        raise ValidationError(
            {"partnership": [_("Choose a partnership of the conversion's brand.")]}
        )
    with transaction.atomic():
        locked = Conversion.objects.select_for_update().get(pk=conversion.pk)
        previous = locked.partnership_id
        locked.partnership = partnership
        locked.matched_click = None
        locked.attribution = AttributionReason.MANUAL
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["partnership", "matched_click", "attribution", "updated_at"])
        schedule_for_partnerships([p for p in (previous, partnership.pk) if p])
    return locked


def conversions_reattribute(*, access: Access, brand: Brand) -> int:
    """Apply the rules again to the brand's unattributed conversions and visits (after new
    codes or links were added); returns how many conversions found a partnership."""
    from metrics.services.visits import visits_reattribute

    require_role(access, Role.MANAGER)
    if brand.organization_id != access.organization.pk:
        raise ValidationError({"brand": [_("Unknown brand.")]})
    attributed = 0
    with transaction.atomic():
        pending = list(
            Conversion.objects.select_for_update().filter(
                brand=brand, attribution=UNATTRIBUTED
            )
        )
        facts = [
            facts_for(
                brand_id=brand.pk, occurred_at=c.occurred_at,
                codes=codes_of(c.promo_code), click_id=c.click_id,
                landing_url=c.landing_url, utm_campaign=c.utm_campaign,
                utm_content=c.utm_content,
            )
            for c in pending
        ]
        changed = []
        for conversion, answer in zip(pending, attribute_many(brand, facts), strict=True):
            if answer.partnership_id is None:
                continue
            conversion.partnership_id = answer.partnership_id
            conversion.matched_click_id = answer.click_pk
            conversion.attribution = answer.reason
            changed.append(conversion)
        Conversion.objects.bulk_update(
            changed, ["partnership", "matched_click", "attribution"], batch_size=500
        )
        funnel_changed((c.partnership_id, c.occurred_at) for c in changed)
        attributed = len(changed)
        schedule_for_partnerships(c.partnership_id for c in changed if c.partnership_id)
        visits_reattribute(brand=brand)
    return attributed


def refund_record(
    *, conversion: Conversion, external_id: str, amount: Decimal, occurred_at: dt.datetime
) -> tuple[Refund, bool]:
    """Add a refund to the ledger, once per ``external_id``; returns ``(refund, created)``.

    Shopify sends one refund twice (``refunds/create`` and the ``refunds[]`` of later order
    payloads): whichever arrives first is kept, the other changes nothing.

    Refunds never take more than is left of the conversion's gross amount: Shopify's refund
    transactions include tax, which ``subtotal_price`` (our revenue) does not, so refunding a
    whole order that way must bring net revenue to exactly zero, not below.
    """
    if amount < 0:
        raise ValidationError({"amount": [_("A refund cannot be negative.")]})
    with transaction.atomic():
        locked = Conversion.objects.select_for_update().get(pk=conversion.pk)
        existing = Refund.objects.filter(conversion=locked, external_id=external_id).first()
        if existing is not None:
            return existing, False
        refund = Refund(
            conversion=locked,
            external_id=external_id,
            amount=min(amount, refund_left(locked)),
            occurred_at=occurred_at,
        )
        refund.full_clean(validate_unique=False, validate_constraints=False)
        refund.save()
        schedule_for_partnerships([locked.partnership_id] if locked.partnership_id else [])
    return refund, True


def refunded(conversion: Conversion, *, excluding: Refund | None = None) -> Decimal:
    """The sum of ``conversion``'s refunds, ``excluding`` one of them (the one being corrected)."""
    refunds = Refund.objects.filter(conversion=conversion)
    if excluding is not None and excluding.pk is not None:
        refunds = refunds.exclude(pk=excluding.pk)
    return refunds.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def refund_left(conversion: Conversion, *, excluding: Refund | None = None) -> Decimal:
    """What is left to refund of ``conversion``'s gross amount (never below zero). Call it with
    the conversion locked, as ``refund_record`` does."""
    return max(conversion.amount - refunded(conversion, excluding=excluding), Decimal("0"))


def conversion_cancel(*, conversion: Conversion) -> Conversion:
    """Mark an order cancelled (a full refund for the KPIs)."""
    with transaction.atomic():
        updated = Conversion.objects.filter(pk=conversion.pk, is_cancelled=False).update(
            is_cancelled=True
        )
        if updated:
            funnel_changed([(conversion.partnership_id, conversion.occurred_at)])
            schedule_for_partnerships(
                [conversion.partnership_id] if conversion.partnership_id else []
            )
    conversion.is_cancelled = True
    return conversion

