"""Reads of the creator portal: a creator's own partnerships and what hangs off them, always
through the permission checkpoint (``visible``/``get_object_for`` keep a creator to the rows of
their own influencer), and their own KPIs without a cost, a fee or a return on them.

A partnership still a ``prospect`` is the team's shortlist, not something the creator agreed to:
the portal does not show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from accounts.selectors import Access, get_object_for, visible
from campaigns.models import Partnership, PartnershipStatus, PromoCode, TrackingLink
from content.models import (
    DELIVERED_STATUSES,
    BriefAttachment,
    BriefVersion,
    Deliverable,
    Draft,
    DraftStatus,
)
from metrics import registry
from metrics.selectors.snapshots import partnership_document

# What a creator reads of their own partnership's KPI document: reach and response, the
# clicks, sales and revenue they drove. Nothing of the ``roi`` group (costs, their own pay in
# other words, ROI), no EMV (the team's rate card) and no targets.
CREATOR_KPIS: tuple[str, ...] = (
    "awareness.impressions",
    "awareness.reach",
    "awareness.video_views",
    "engagement.engagements",
    "engagement.engagement_rate",
    "engagement.likes",
    "engagement.comments",
    "engagement.shares",
    "engagement.saves",
    "ctr.clicks",
    "ctr.unique_clicks",
    "ctr.ctr",
    "traffic.visits",
    "conversion.conversions",
    "conversion.revenue",
    "conversion.conversion_rate",
)
HIDDEN_GROUPS = frozenset({"roi", "emv", "targets"})
# Drafts the creator is waiting on or must act on.
OPEN_DRAFT_STATUSES = (DraftStatus.PENDING, DraftStatus.CHANGES_REQUESTED)


def _partnerships(access: Access) -> QuerySet[Partnership]:
    return visible(access, Partnership).exclude(status=PartnershipStatus.PROSPECT)


def partnerships_for(access: Access) -> QuerySet[Partnership]:
    return _partnerships(access).select_related("campaign__brand").order_by(
        "-campaign__start_date", "campaign__name"
    )


def partnership_for(access: Access, pk: Any) -> Partnership:
    return get_object_for(
        access, Partnership, pk,
        queryset=_partnerships(access).select_related("campaign__brand", "influencer"),
    )


def deliverable_for(access: Access, pk: Any) -> Deliverable:
    return get_object_for(
        access, Deliverable, pk,
        queryset=Deliverable.objects.exclude(
            partnership__status=PartnershipStatus.PROSPECT
        ).select_related("partnership__campaign__brand"),
    )


def attachment_for(access: Access, pk: Any) -> BriefAttachment:
    """A file of a brief version the creator's partnership was sent (else 404)."""
    return get_object_for(access, BriefAttachment, pk)


def draft_for(access: Access, pk: Any) -> Draft:
    return get_object_for(access, Draft, pk)


def link_for(access: Access, pk: Any) -> TrackingLink:
    return get_object_for(access, TrackingLink, pk)


def upcoming_deliverables(access: Access) -> QuerySet[Deliverable]:
    """What is still to deliver, soonest due first (late ones on top)."""
    return (
        visible(access, Deliverable)
        .exclude(status__in=DELIVERED_STATUSES)
        .exclude(partnership__status=PartnershipStatus.PROSPECT)
        .select_related("partnership__campaign__brand")
        .order_by("due_date", "id")
    )


def open_drafts(access: Access) -> QuerySet[Draft]:
    """Each deliverable's latest draft, where it waits for a review or for changes."""
    latest = Draft.objects.filter(deliverable=OuterRef("deliverable")).order_by("-number")
    return (
        visible(access, Draft)
        .filter(pk=Subquery(latest.values("pk")[:1]), status__in=OPEN_DRAFT_STATUSES)
        .select_related("deliverable__partnership__campaign")
        .order_by("-submitted_at", "-id")
    )


def brief_with_attachments(version: BriefVersion | None) -> BriefVersion | None:
    if version is None:
        return None
    return (
        BriefVersion.objects.filter(pk=version.pk)
        .prefetch_related(Prefetch("attachments", queryset=BriefAttachment.objects.defer("data")))
        .first()
    )


def promo_codes_for(access: Access, partnership: Partnership) -> QuerySet[PromoCode]:
    return visible(access, PromoCode).filter(partnership=partnership).order_by("code")


def links_for(access: Access, partnership: Partnership) -> QuerySet[TrackingLink]:
    return visible(access, TrackingLink).filter(partnership=partnership).order_by(
        "-is_active", "-created_at"
    )


@dataclass(frozen=True)
class Kpi:
    path: str
    label: str
    kind: str
    value: Any


def creator_document(document: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The partnership's KPI document without its costs, ROI, EMV and targets (as a client
    report hides costs, ``metrics.selectors.reports.client_report``)."""
    if document is None:
        return None
    return {k: v for k, v in document.items() if k not in HIDDEN_GROUPS}


def creator_kpis(partnership: Partnership) -> list[Kpi]:
    """The creator's own figures, in ``CREATOR_KPIS`` order; empty before the first compute."""
    document = creator_document(partnership_document(partnership.campaign_id, partnership.pk))
    if not document:
        return []
    return [
        Kpi(path, registry.label(path), registry.kind(path), registry.value_at(document, path))
        for path in CREATOR_KPIS
    ]
