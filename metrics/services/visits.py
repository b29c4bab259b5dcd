"""Writes of visits (pixel and API): idempotent on (brand, source, external id) when an id is
given, attributed by click id or UTM parameters like conversions (no promo codes on a
visit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization
from campaigns.models import Brand, Partnership
from metrics.attribution import UNATTRIBUTED
from metrics.models import Visit
from metrics.scheduling import schedule_kpi_recompute
from metrics.services.attribution import attribute_many, facts_for
from metrics.validation import BulkItemError, visit_errors

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
    (the public pixel) an existing one is left as it is and counts as neither."""
    batch = [_as_item(raw, brand) for raw in items]
    for index, item in enumerate(batch):
        if item.brand is None:
            raise BulkItemError(index, {"brand": ["This field is required."]})
        if brand is not None and item.brand.pk != brand.pk:
            raise BulkItemError(index, {"brand": ["Another brand's visit."]})
        if organization is not None and item.brand.organization_id != organization.pk:
            raise BulkItemError(index, {"brand": ["Unknown brand."]})
        if errors := visit_errors(vars(item)):
            raise BulkItemError(index, errors)

    created = updated = 0
    with transaction.atomic():
        groups: dict[int, list[tuple[int, VisitItem]]] = {}
        for index, item in enumerate(batch):
            groups.setdefault(item.brand.pk, []).append((index, item))
        partnerships: set[int] = set()
        for group in groups.values():
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
    touched: set[int] = set()
    for (index, item), fact, answer in zip(entries, facts, answers, strict=True):
        row = existing.get(item.external_id) if item.external_id else None
        if row is not None and row.partnership_id:
            touched.add(row.partnership_id)
        if row is None:
            row = Visit(brand=brand, external_id=item.external_id)
            new.append(row)
        else:
            changed.append(row)
        row.occurred_at = item.occurred_at
        row.landing_url = item.landing_url
        row.referrer = item.referrer
        row.visitor_id = item.visitor_id
        row.click_id = fact.click_id[:32]
        row.utm_campaign = fact.utm_campaign[:100]
        row.utm_content = fact.utm_content[:100]
        row.partnership_id = answer.partnership_id
        row.matched_click_id = answer.click_pk
        row.attribution = answer.reason
        row.source = source
        try:
            row.full_clean(exclude=["brand", "partnership", "matched_click"],
                           validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise BulkItemError(index, exc.message_dict) from exc
        if answer.partnership_id:
            touched.add(answer.partnership_id)
    # ignore_conflicts: a racing duplicate of the same external id keeps the first row.
    Visit.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    Visit.objects.bulk_update(changed, _UPDATE_FIELDS, batch_size=500)
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
        if changed:
            schedule_kpi_recompute(
                Partnership.objects.filter(
                    pk__in={v.partnership_id for v in changed}
                ).values_list("campaign_id", flat=True)
            )
    return len(changed)
