"""Reads of the partnership workflow: which brief applies to a partnership (and so which caption
rules), a partnership's deliverables, the late ones, the drafts waiting for review."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Organization
from accounts.selectors import Access, visible
from campaigns.models import Campaign, Partnership
from content.checks import Rules, default_disclosures
from content.models import (
    DELIVERED_STATUSES,
    BriefVersion,
    Deliverable,
    Draft,
    DraftReview,
    DraftStatus,
)


def latest_version(campaign: Campaign) -> BriefVersion | None:
    return BriefVersion.objects.filter(brief__campaign=campaign).order_by("-number").first()


def current_brief(partnership: Partnership) -> BriefVersion | None:
    """The latest version the partnership was sent (what its creator works from)."""
    return (
        BriefVersion.objects.filter(sends__partnership=partnership).order_by("-number").first()
    )


def organization_disclosures(organization: Organization) -> tuple[str, ...]:
    tags = [str(t) for t in organization.disclosure_tags or [] if str(t).strip()]
    return tuple(tags) or default_disclosures(organization.default_language)


def rules_for(partnership: Partnership) -> Rules:
    """The caption rules of the brief the partnership was sent, else of the campaign's latest
    brief, else the organisation's disclosure tags alone. A brief naming no disclosure wording
    takes the organisation's."""
    version = current_brief(partnership) or latest_version(partnership.campaign)
    organization = partnership.campaign.brand.organization
    if version is None:
        return Rules(disclosures=organization_disclosures(organization))
    return Rules(
        disclosures=tuple(version.disclosure_tags or ()) or organization_disclosures(organization),
        hashtags=tuple(version.required_hashtags or ()),
        mentions=tuple(version.required_mentions or ()),
        forbidden=tuple(version.forbidden_words or ()),
    )


def deliverables_of(access: Access, partnership: Partnership) -> QuerySet[Deliverable]:
    return visible(access, Deliverable).filter(partnership=partnership).prefetch_related("posts")


def organization_today(organization: Organization) -> dt.date:
    return timezone.localdate(timezone=organization.tzinfo)


def late_deliverables(access: Access, today: dt.date | None = None) -> QuerySet[Deliverable]:
    """Past their due date (the organisation's day) and not yet live, oldest due first."""
    day = today or organization_today(access.organization)
    return (
        visible(access, Deliverable)
        .exclude(status__in=DELIVERED_STATUSES)
        .filter(due_date__lt=day)
        .select_related("partnership__influencer", "partnership__campaign")
        .order_by("due_date", "id")
    )


def review_queue(access: Access, campaign: Campaign | None = None) -> QuerySet[Draft]:
    """Each deliverable's latest draft, where it waits for a review (oldest first)."""
    latest = Draft.objects.filter(deliverable=OuterRef("deliverable")).order_by("-number")
    drafts = visible(access, Draft).filter(
        pk=Subquery(latest.values("pk")[:1]), status=DraftStatus.PENDING
    )
    if campaign is not None:
        drafts = drafts.filter(deliverable__partnership__campaign=campaign)
    return drafts.select_related(
        "deliverable__partnership__influencer", "deliverable__partnership__campaign",
        "submitted_by",
    ).order_by("submitted_at", "id")


def draft_history(deliverable: Deliverable) -> QuerySet[Draft]:
    """The deliverable's drafts, newest first, each with its reviews (oldest first)."""
    return (
        Draft.objects.filter(deliverable=deliverable)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("reviews", queryset=DraftReview.objects.select_related("reviewer"))
        )
        .order_by("-number")
    )


def latest_draft(deliverable: Deliverable) -> Draft | None:
    return Draft.objects.filter(deliverable=deliverable).order_by("-number").first()
