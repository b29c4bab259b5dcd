"""Content review: a campaign's queue of drafts waiting for review (and the latest decisions),
a draft with its media, check findings and history, and the decision on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role, visible
from campaigns.forms import apply_errors
from campaigns.selectors import campaign_for
from campaigns.views.common import _access, member_required
from content.forms import ReviewForm
from content.models import Draft, DraftReview, DraftStatus, ReviewDecision
from content.selectors import draft_history, review_queue, rules_for
from content.services import drafts as services
from content.views.common import INLINE_TYPES, file_response, findings_shown

RECENT_DECISIONS = 20
DRAFTS = Draft.objects.select_related(
    "deliverable__partnership__campaign__brand", "deliverable__partnership__influencer",
    "submitted_by",
).defer("media")


@member_required
@require_GET
def review_queue_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    pending = [
        {"draft": d, "findings": findings_shown(d.findings)}
        for d in review_queue(access, campaign=campaign).defer("media")
    ]
    decided = (
        visible(access, DraftReview)
        .filter(draft__deliverable__partnership__campaign=campaign)
        .select_related("draft__deliverable__partnership__influencer", "reviewer")
        .defer("draft__media")
        .order_by("-created_at", "-id")[:RECENT_DECISIONS]
    )
    return render(request, "content/review_queue.html", {
        "campaign": campaign, "pending": pending, "decided": decided,
        "can_review": access.has_role(Role.MANAGER),
    })


@member_required
@require_GET
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    draft = get_object_for(access, Draft, pk, queryset=DRAFTS)
    return _render(request, access, draft)


@member_required
@require_POST
def draft_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    draft = get_object_for(access, Draft, pk, queryset=DRAFTS)
    require_role(access, Role.MANAGER)
    slot = _slot(request.POST.get("decision", ""))
    form = ReviewForm(request.POST, auto_id=f"{slot}_%s")
    if form.is_valid():
        try:
            review = services.draft_review(
                access=access, draft=draft, decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if review.decision == ReviewDecision.APPROVE:
                messages.success(
                    request, _("Draft %(number)d approved.") % {"number": draft.number}
                )
            else:
                messages.success(request, _("Changes requested on draft %(number)d.")
                                 % {"number": draft.number})
            return redirect("content:draft", pk=draft.pk)
    return _render(request, access, draft, status=400, **{f"{slot}_form": form})


def _slot(decision: str) -> str:
    """Which of the page's two forms was sent (their fields have their own ids)."""
    return "approve" if decision == ReviewDecision.APPROVE else "changes"


@member_required
@require_GET
def draft_media(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_for(_access(request), Draft, pk)
    if not draft.media:
        raise Http404(_("This draft has no media."))
    return file_response(
        draft.media, content_type=draft.media_content_type, name=draft.media_name, inline=True
    )


def _render(
    request: HttpRequest, access: Access, draft: Draft, *, status: int = 200, **forms: Any
) -> HttpResponse:
    deliverable = draft.deliverable
    history = list(draft_history(deliverable).defer("media"))
    is_latest = bool(history) and history[0].pk == draft.pk
    can_review = access.has_role(Role.MANAGER) and is_latest and draft.status == DraftStatus.PENDING
    content_type = draft.media_content_type or ""
    context: dict[str, Any] = {
        "draft": draft,
        "deliverable": deliverable,
        "partnership": deliverable.partnership,
        "campaign": deliverable.partnership.campaign,
        "findings": findings_shown(draft.findings),
        "rules": rules_for(deliverable.partnership),
        "history": [{"draft": d, "findings": findings_shown(d.findings)} for d in history],
        "is_latest": is_latest,
        "media_kind": (content_type.split("/")[0] if content_type in INLINE_TYPES else "file")
        if draft.media_size else "",
        "can_review": can_review,
    }
    if can_review:
        for slot in ("approve", "changes"):
            context[f"{slot}_form"] = forms.get(f"{slot}_form") or ReviewForm(auto_id=f"{slot}_%s")
    return render(request, "content/draft.html", context, status=status)
