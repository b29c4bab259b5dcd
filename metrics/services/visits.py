"""Writes of visits (pixel and API): idempotent on (brand, source, external id) when an id is
given, attributed by click id or UTM parameters like conversions (no promo codes on a
visit). Hand corrections of one visit (the admin) are here too: a partnership picked by hand
is ``manual`` credit, as for a conversion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import Access
from accounts.writes import ensure_in_organization, require_write
from campaigns.models import Brand, Partnership
from config.validation import BulkItemError, Errors
from metrics.models import AttributionReason, Source, Visit
from metrics.scheduling import schedule_kpi_recompute
from metrics.services.conversions import schedule_for_partnerships
from metrics.services.corrections import refuse_unknown
from metrics.services.funnel_appends import funnel_rollups_add, funnel_writes_lock
from metrics.services.funnel_rollups import funnel_changed
from metrics.tracking.attribution import UNATTRIBUTED
from metrics.tracking.attribution_candidates import attribute_many, facts_for
from metrics.validation import visit_errors

# What a hand correction may set; the identity (brand, source, external id) stays.
VISIT_FIELDS = frozenset({
    "occurred_at", "landing_url", "referrer", "visitor_id", "click_id", "utm_campaign",
    "utm_content", "partnership",
})
# What the attribution rules read: changing one of them applies the rules again.
ATTRIBUTION_FACTS = frozenset({
    "occurred_at", "click_id", "landing_url", "utm_campaign", "utm_content",
})

# ``source`` is part of the identity, so it is never updated.
_UPDATE_FIELDS = [
    "occurred_at", "landing_url", "referrer", "visitor_id", "click_id", "utm_campaign",
    "utm_content", "partnership", "matched_click", "attribution",
]


@dataclass
class VisitItem:
    brand: Brand
    occurred_at: dt.datetime
    landing_url: str = ""
    referrer: str = ""
    visitor_id: str = ""
    click_id: str = ""
    external_id: str = ""
    utm_campaign: str = ""
    utm_content: str = ""


def _as_item(raw: VisitItem | Mapping[str, Any], brand: Brand | None) -> VisitItem:
    if isinstance(raw, VisitItem):
        return raw
    data = dict(raw)
    data["brand"] = data.get("brand") or brand
    return VisitItem(**data)


def visits_ingest(
    *,
    items: Iterable[VisitItem | Mapping[str, Any]],
    source: str,
    brand: Brand | None = None,
    organization: Organization | None = None,
    first_write_wins: bool = False,
) -> tuple[int, int]:
    """Store visits; returns ``(created, updated)``. All or nothing.

    An external id matches only a visit of the same ``source``; with ``first_write_wins``
    (the public pixel) an existing one is left as it is and counts as neither. Each visit is
    attributed on arrival; one already credited by hand keeps that credit (``manual``), as a
    conversion does in ``conversions_ingest``."""
    batch = [_as_item(raw, brand) for raw in items]
    for index, item in enumerate(batch):
        if item.brand is None:
            raise BulkItemError(index, {"brand": [_("This field is required.")]})
        if brand is not None and item.brand.pk != brand.pk:
            raise BulkItemError(index, {"brand": [_("Another brand's visit.")]})
        if organization is not None and item.brand.organization_id != organization.pk:
            raise BulkItemError(index, {"brand": [_("Unknown brand.")]})
        if errors := visit_errors(vars(item)):
            raise BulkItemError(index, errors)

    created = updated = 0
    with transaction.atomic():
        groups: dict[int, list[tuple[int, VisitItem]]] = {}
        for index, item in enumerate(batch):
            groups.setdefault(item.brand.pk, []).append((index, item))
        partnerships: set[int] = set()
        for _brand_id, group in sorted(groups.items()):
            c, u, touched = _ingest_brand(
                group, source=source, first_write_wins=first_write_wins
            )
            created += c
            updated += u
            partnerships |= touched
        if partnerships:
            schedule_kpi_recompute(
                Partnership.objects.filter(pk__in=partnerships).values_list(
                    "campaign_id", flat=True
                )
            )
    return created, updated


def _ingest_brand(
    group: list[tuple[int, VisitItem]], *, source: str, first_write_wins: bool
) -> tuple[int, int, set[int]]:
    brand = group[0][1].brand
    # One row per external id: the last item of a batch wins.
    keyed: dict[str, tuple[int, VisitItem]] = {}
    anonymous: list[tuple[int, VisitItem]] = []
    for index, item in group:
        if item.external_id:
            keyed[item.external_id] = (index, item)
        else:
            anonymous.append((index, item))
    funnel_writes_lock(brand.pk, source, keyed)
    existing = {
        v.external_id: v
        for v in Visit.objects.select_for_update().filter(
            brand=brand, source=source, external_id__in=keyed
        )
    }
    if first_write_wins:
        keyed = {key: entry for key, entry in keyed.items() if key not in existing}
    entries = list(keyed.values()) + anonymous
    facts = [
        facts_for(
            brand_id=brand.pk, occurred_at=i.occurred_at, click_id=i.click_id,
            landing_url=i.landing_url, utm_campaign=i.utm_campaign, utm_content=i.utm_content,
        )
        for _, i in entries
    ]
    answers = attribute_many(brand, facts, use_codes=False)
    new: list[Visit] = []
    changed: list[Visit] = []
    before: list[tuple[int | None, dt.datetime | None]] = []
    touched: set[int] = set()
    for (index, item), fact, answer in zip(entries, facts, answers, strict=True):
        row = existing.get(item.external_id) if item.external_id else None
        partnership_id, reason, click_pk = answer.partnership_id, answer.reason, answer.click_pk
        if row is not None and row.partnership_id:
            touched.add(row.partnership_id)
        if row is not None and row.attribution == AttributionReason.MANUAL:
            partnership_id, reason, click_pk = row.partnership_id, AttributionReason.MANUAL, None
        if row is None:
            row = Visit(brand=brand, external_id=item.external_id)
            new.append(row)
        else:
            changed.append(row)
            before.append((row.partnership_id, row.occurred_at))
        row.occurred_at = item.occurred_at
        row.landing_url = item.landing_url
        row.referrer = item.referrer
        row.visitor_id = item.visitor_id
        row.click_id = fact.click_id[:32]
        row.utm_campaign = fact.utm_campaign[:100]
        row.utm_content = fact.utm_content[:100]
        row.partnership_id = partnership_id
        row.matched_click_id = click_pk
        row.attribution = reason
        row.source = source
        try:
            row.full_clean(exclude=["brand", "partnership", "matched_click"],
                           validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise BulkItemError(index, exc.message_dict) from exc
        if partnership_id:
            touched.add(partnership_id)
    new_keyed = [v for v in new if v.external_id]
    # ``funnel_writes_lock`` holds off a racing ingestion of these ids; another writer's row
    # stays.
    Visit.objects.bulk_create(new_keyed, batch_size=500, ignore_conflicts=True)
    new_anonymous = Visit.objects.bulk_create([v for v in new if not v.external_id],
                                              batch_size=500)
    Visit.objects.bulk_update(changed, _UPDATE_FIELDS, batch_size=500)
    # Rewritten visits note their days before and after; new ones are added to the rollups.
    funnel_changed([*before, *((v.partnership_id, v.occurred_at) for v in changed)])
    new_pks = [v.pk for v in new_anonymous]
    if new_keyed:
        new_pks += Visit.objects.filter(
            brand=brand, source=source, external_id__in=[v.external_id for v in new_keyed]
        ).values_list("pk", flat=True)
    funnel_rollups_add(visits=new_pks)
    return len(new), len(changed), touched


def visits_reattribute(*, brand: Brand) -> int:
    """Apply the rules again to the brand's unattributed visits; returns how many matched."""
    with transaction.atomic():
        pending = list(
            Visit.objects.select_for_update().filter(brand=brand, attribution=UNATTRIBUTED)
        )
        facts = [
            facts_for(
                brand_id=brand.pk, occurred_at=v.occurred_at, click_id=v.click_id,
                landing_url=v.landing_url, utm_campaign=v.utm_campaign,
                utm_content=v.utm_content,
            )
            for v in pending
        ]
        changed = []
        for visit, answer in zip(pending, attribute_many(brand, facts, use_codes=False),
                                 strict=True):
            if answer.partnership_id is None:
                continue
            visit.partnership_id = answer.partnership_id
            visit.matched_click_id = answer.click_pk
            visit.attribution = answer.reason
            changed.append(visit)
        Visit.objects.bulk_update(changed, ["partnership", "matched_click", "attribution"])
        funnel_changed((v.partnership_id, v.occurred_at) for v in changed)
        if changed:
            schedule_kpi_recompute(
                Partnership.objects.filter(
                    pk__in={v.partnership_id for v in changed}
                ).values_list("campaign_id", flat=True)
            )
    return len(changed)


# --- Hand corrections of one visit ----------------------------------------------------------
def _errors(visit: Visit) -> Errors:
    errors = visit_errors({
        "brand": visit.brand_id, "occurred_at": visit.occurred_at,
        "external_id": visit.external_id,
    })
    partnership = visit.partnership
    if partnership is not None and partnership.campaign.brand_id != visit.brand_id:
        errors["partnership"] = [_("This partnership is not the brand's.")]
    return errors


def _apply_rules(visit: Visit) -> None:
    """Attribute ``visit`` again from what it says about itself, as ingestion does."""
    fact = facts_for(
        brand_id=visit.brand_id, occurred_at=visit.occurred_at, click_id=visit.click_id,
        landing_url=visit.landing_url, utm_campaign=visit.utm_campaign,
        utm_content=visit.utm_content,
    )
    answer = attribute_many(visit.brand, [fact], use_codes=False)[0]
    visit.click_id = fact.click_id[:32]
    visit.utm_campaign = fact.utm_campaign[:100]
    visit.utm_content = fact.utm_content[:100]
    visit.partnership_id = answer.partnership_id
    visit.matched_click_id = answer.click_pk
    visit.attribution = answer.reason


def _credit_by_hand(visit: Visit) -> None:
    visit.matched_click = None
    visit.attribution = AttributionReason.MANUAL


def _save(visit: Visit, *, before: int | None = None) -> Visit:
    if errors := _errors(visit):
        raise ValidationError(errors)
    visit.full_clean()
    visit.save()
    schedule_for_partnerships([before, visit.partnership_id])
    return visit


def visit_create(
    *,
    access: Access,
    brand: Brand,
    occurred_at: dt.datetime,
    source: str = Source.MANUAL,
    external_id: str = "",
    **fields: Any,
) -> Visit:
    """Add one visit, attributed by the rules (a partnership given is ``manual`` credit). An id
    the brand already has from ``source`` is refused rather than overwritten."""
    require_write(access, Visit)
    ensure_in_organization(access, brand, fields.get("partnership"))
    refuse_unknown(fields, VISIT_FIELDS, "visit")
    visit = Visit(brand=brand, occurred_at=occurred_at, source=source,
                  external_id=external_id or "", **fields)
    with transaction.atomic():
        if visit.partnership_id is not None:
            _credit_by_hand(visit)
        else:
            _apply_rules(visit)
        return _save(visit)


def visit_update(*, access: Access, visit: Visit, **changes: Any) -> Visit:
    """Correct a visit; a changed partnership is ``manual`` credit (none: the rules again), a
    changed click id, UTM or landing page applies the rules again unless credited by hand."""
    require_write(access, Visit)
    ensure_in_organization(access, visit, changes.get("partnership"))
    refuse_unknown(changes, VISIT_FIELDS, "visit")
    if not changes:
        return visit
    with transaction.atomic():
        row = Visit.objects.select_for_update().select_related("brand").get(pk=visit.pk)
        before = row.partnership_id
        for name, value in changes.items():
            setattr(row, name, value)
        moved_by_hand = "partnership" in changes and row.partnership_id != before
        if moved_by_hand and row.partnership_id is not None:
            _credit_by_hand(row)
        elif moved_by_hand or (
            row.attribution != AttributionReason.MANUAL and ATTRIBUTION_FACTS & set(changes)
        ):
            _apply_rules(row)
        return _save(row, before=before)


def visit_delete(*, access: Access, visit: Visit) -> None:
    require_write(access, Visit, "delete")
    ensure_in_organization(access, visit)
    with transaction.atomic():
        row = Visit.objects.select_for_update().get(pk=visit.pk)
        schedule_for_partnerships([row.partnership_id])
        row.delete()
