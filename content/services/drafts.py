"""Drafts and their review. A creator submits drafts of their own deliverables (a manager or
above may submit on their behalf); managers and above approve or ask for changes. Each draft is
a new row, checked against the brief's caption rules, so the history stays."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access, require_own
from accounts.writes import ensure_in_organization, require_write
from content.checks import check_caption
from content.models import (
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftReview,
    DraftStatus,
    ReviewDecision,
)
from content.selectors import latest_draft, rules_for
from content.services.deliverables import set_status
from content.uploads import IMAGE_TYPES, VIDEO_TYPES, read_upload

MEDIA_LIMIT_MB = 25
MEDIA_TYPES = (*IMAGE_TYPES, *VIDEO_TYPES)
# A draft is for a deliverable still being worked on.
OPEN_STATUSES = (
    DeliverableStatus.PLANNED, DeliverableStatus.DRAFT_SUBMITTED,
    DeliverableStatus.CHANGES_REQUESTED,
)


def _may_submit(access: Access, deliverable: Deliverable) -> None:
    if access.is_creator:
        # Their own partnership's deliverable, else it does not exist for them.
        require_own(access, deliverable)
        return
    require_write(access, Draft)
    ensure_in_organization(access, deliverable)


@transaction.atomic
def draft_submit(
    *, access: Access, deliverable: Deliverable, caption: str, link: str = "",
    media: Any = None,
) -> Draft:
    """A new draft: a caption with a media file (≤ 25 MB image or video), or a link."""
    _may_submit(access, deliverable)
    deliverable = Deliverable.objects.select_for_update(of=("self",)).select_related(
        "partnership__campaign__brand__organization"
    ).get(pk=deliverable.pk)
    if deliverable.status not in OPEN_STATUSES:
        raise ValidationError({NON_FIELD_ERRORS: _(
            "This deliverable is “%(status)s”: it takes no more drafts."
        ) % {"status": deliverable.get_status_display()}})
    caption = (caption or "").strip()
    link = (link or "").strip()
    if not link:
        if media is None:
            raise ValidationError(
                {"media": _("Upload the photo or video with the caption, or give a link.")}
            )
        if not caption:
            raise ValidationError({"caption": _("Write the caption that goes with the media.")})
    fields: dict[str, Any] = {}
    if media is not None:
        data, content_type, name = read_upload(
            media, field="media", limit_mb=MEDIA_LIMIT_MB, allowed=MEDIA_TYPES
        )
        fields = {"media": data, "media_name": name, "media_content_type": content_type,
                  "media_size": len(data)}
    number = (deliverable.drafts.aggregate(n=Max("number"))["n"] or 0) + 1
    findings = [f.as_dict() for f in check_caption(caption, rules_for(deliverable.partnership))]
    draft = Draft(
        deliverable=deliverable, number=number, caption=caption, link=link,
        findings=findings, submitted_by=access.user, **fields,
    )
    draft.full_clean()
    draft.save()
    audit_record(
        access=access, organization=deliverable.partnership.campaign.brand.organization,
        action="draft.submitted", obj=draft,
        changes={"deliverable": deliverable.pk, "number": number,
                 "findings": [f["rule"] for f in findings]},
    )
    if deliverable.status != DeliverableStatus.DRAFT_SUBMITTED:
        set_status(access=access, deliverable=deliverable,
                   status=DeliverableStatus.DRAFT_SUBMITTED)
    return draft


@transaction.atomic
def draft_review(
    *, access: Access, draft: Draft, decision: str, comment: str = ""
) -> DraftReview:
    """Approve the latest pending draft of a deliverable, or ask for changes (with a comment
    saying which); the deliverable follows."""
    require_write(access, DraftReview)
    ensure_in_organization(access, draft)
    draft = (
        Draft.objects.select_for_update(of=("self",)).select_related("deliverable").get(pk=draft.pk)
    )
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Approve or request changes.")})
    comment = (comment or "").strip()
    if decision == ReviewDecision.REQUEST_CHANGES and not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    latest = latest_draft(draft.deliverable)
    if draft.status != DraftStatus.PENDING or latest is None or latest.pk != draft.pk:
        raise ValidationError({NON_FIELD_ERRORS: _(
            "Only the latest draft waiting for review can be reviewed."
        )})
    review = DraftReview(draft=draft, decision=decision, comment=comment, reviewer=access.user)
    review.full_clean()
    review.save()
    approved = decision == ReviewDecision.APPROVE
    draft.status = DraftStatus.APPROVED if approved else DraftStatus.CHANGES_REQUESTED
    draft.save(update_fields=["status"])
    audit_record(
        access=access, organization=access.organization, action="draft.reviewed", obj=draft,
        changes={"decision": decision, "comment": comment},
    )
    set_status(
        access=access, deliverable=draft.deliverable,
        status=DeliverableStatus.APPROVED if approved else DeliverableStatus.CHANGES_REQUESTED,
    )
    return review
