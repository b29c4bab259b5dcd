"""The creator portal: what a creator (the ``creator`` role) sees after signing in — their own
partnerships, the brief each was sent, deliverables and drafts, codes, links and QR codes, their
own KPIs and earnings. The portal is for creators only: anyone else gets 404, as every other
page is a 404 to a creator (``accounts.middleware``). Records come through the checkpoint, so
another creator's ids are 404s too."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.selectors import Access
from campaigns.forms import apply_errors
from campaigns.qr import qr_svg
from campaigns.views.links import short_url
from content.models import Deliverable
from content.selectors import (
    current_brief,
    deliverables_of,
    draft_history,
    organization_today,
    rules_for,
)
from content.services.drafts import OPEN_STATUSES, draft_submit
from content.views.common import file_response, findings_shown
from payouts.selectors import ledger_lines, ledger_totals, partnership_earnings
from portal import selectors
from portal.forms import DraftForm

View = Callable[..., HttpResponse]


def creator_required(view: View) -> View:
    """Signed in as a creator member (else 404: the portal is not there for anyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access: Access | None = request.access  # type: ignore[attr-defined]
        if not access or not access.is_creator or access.influencer_id is None:
            raise Http404(_("No such page."))
        return view(request, access, *args, **kwargs)

    return wrapped


@require_GET
@creator_required
def home(request: HttpRequest, access: Access) -> HttpResponse:
    today = organization_today(access.organization)
    upcoming = [
        {"deliverable": d, "late": d.is_late(today)}
        for d in selectors.upcoming_deliverables(access)
    ]
    return render(request, "portal/home.html", {
        "partnerships": selectors.partnerships_for(access),
        "upcoming": upcoming,
        "drafts": selectors.open_drafts(access),
        "earnings": ledger_totals(ledger_lines(access)),
    })


@require_GET
@creator_required
def partnership(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    found = selectors.partnership_for(access, pk)
    today = organization_today(access.organization)
    return render(request, "portal/partnership.html", {
        "partnership": found,
        "campaign": found.campaign,
        "brief": selectors.brief_with_attachments(current_brief(found)),
        "deliverables": [
            {"deliverable": d, "late": d.is_late(today)}
            for d in deliverables_of(access, found)
        ],
        "codes": selectors.promo_codes_for(access, found),
        "links": [{"link": link, "short_url": short_url(link)}
                  for link in selectors.links_for(access, found)],
        "kpis": selectors.creator_kpis(found),
        "lines": ledger_lines(access, partnership=found),
        "earnings": partnership_earnings(found),
    })


def _deliverable_page(
    request: HttpRequest, access: Access, deliverable: Deliverable, form: DraftForm,
    status: int = 200,
) -> HttpResponse:
    partnership = deliverable.partnership
    rules = rules_for(partnership)
    history = [
        {"draft": draft, "findings": findings_shown(draft.findings)}
        for draft in draft_history(deliverable).defer("media")
    ]
    accepts = deliverable.status in OPEN_STATUSES
    return render(request, "portal/deliverable.html", {
        "deliverable": deliverable,
        "partnership": partnership,
        "campaign": partnership.campaign,
        "late": deliverable.is_late(organization_today(access.organization)),
        "rules": rules,
        "history": history,
        "form": form if accepts else None,
    }, status=status)


@require_http_methods(["GET", "POST"])
@creator_required
def deliverable(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    found = selectors.deliverable_for(access, pk)
    if request.method != "POST":
        return _deliverable_page(request, access, found, DraftForm())
    form = DraftForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            draft = draft_submit(
                access=access, deliverable=found, caption=data["caption"],
                link=data["link"] or "", media=data["media"] or None,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft %(number)d sent for review.") % {
                "number": draft.number
            })
            return redirect("portal:deliverable", pk=found.pk)
    return _deliverable_page(request, access, found, form, status=400)


@require_GET
@creator_required
def attachment(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    found = selectors.attachment_for(access, pk)
    return file_response(
        found.data, content_type=found.content_type, name=found.name, inline=False
    )


@require_GET
@creator_required
def draft_media(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    draft = selectors.draft_for(access, pk)
    if not draft.media:
        raise Http404(_("This draft has no media."))
    return file_response(
        draft.media, content_type=draft.media_content_type, name=draft.media_name,
        inline=False,
    )


@require_GET
@creator_required
def link_qr(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    link = selectors.link_for(access, pk)
    response = HttpResponse(qr_svg(short_url(link)), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{link.slug}.svg"'
    return response
