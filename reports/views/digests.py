"""The campaign's digest page (schedule, recipients, "send now", the log of sends — managers
read it, admins and owners change it) and the public unsubscribe page a digest links to."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import Access, require_role
from campaigns.models import Campaign
from campaigns.selectors import campaign_for
from campaigns.views.common import _access, member_required
from reports.digest_selectors import (
    digest_recipient_for,
    digest_recipients_of,
    digest_schedule_for,
    digest_sends_of,
    next_digest_at,
    recipient_by_token,
)
from reports.forms import DigestRecipientForm, DigestScheduleForm
from reports.schedule import Timing, describe
from reports.services.digests import (
    digest_recipient_add,
    digest_recipient_remove,
    digest_resubscribe,
    digest_schedule_save,
    digest_send_now,
    digest_unsubscribe,
)
from reports.views.share import shared_headers


def _campaign(request: HttpRequest, pk: int, *, write: bool) -> tuple[Access, Campaign]:
    """The campaign (404 for another organisation's), for managers and up; a change needs
    an admin (403 before any form is read)."""
    access = _access(request)
    campaign = campaign_for(access, pk)
    require_role(access, Role.ADMIN if write else Role.MANAGER)
    return access, campaign


def _page(
    request: HttpRequest, access: Access, campaign: Campaign, *,
    schedule_form: Form | None = None, recipient_form: Form | None = None, status: int = 200,
) -> HttpResponse:
    schedule = digest_schedule_for(access, campaign)
    if schedule_form is None:
        initial: dict[str, Any] = {"frequency": "weekly", "weekday": 0, "day_of_month": 1,
                                   "hour": 9, "is_active": True}
        if schedule is not None:
            initial = {name: getattr(schedule, name) for name in initial}
        schedule_form = DigestScheduleForm(initial=initial, prefix="schedule")
    context = {
        "campaign": campaign,
        "schedule": schedule,
        "schedule_form": schedule_form,
        "recipient_form": recipient_form or DigestRecipientForm(prefix="recipient"),
        "recipients": list(digest_recipients_of(access, schedule)) if schedule else [],
        "sends": digest_sends_of(access, schedule) if schedule else [],
        "next_at": next_digest_at(schedule, timezone.now()) if schedule else None,
        "schedule_text": describe(Timing.of(schedule)) if schedule else "",
        "time_zone": access.organization.time_zone,
        "can_edit": access.has_role(Role.ADMIN),
    }
    return render(request, "reports/digest.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def digest_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The page; a POST saves the schedule."""
    access, campaign = _campaign(request, pk, write=request.method == "POST")
    if request.method != "POST":
        return _page(request, access, campaign)
    form = DigestScheduleForm(request.POST, prefix="schedule")
    if form.is_valid():
        try:
            digest_schedule_save(access=access, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Digest schedule saved."))
            return redirect("digest", pk=campaign.pk)
    return _page(request, access, campaign, schedule_form=form, status=400)


@member_required
@require_POST
def digest_recipient_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    access, campaign = _campaign(request, pk, write=True)
    form = DigestRecipientForm(request.POST, prefix="recipient")
    if form.is_valid():
        try:
            recipient = digest_recipient_add(
                access=access, campaign=campaign, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(email)s will receive the digest.") % {
                "email": recipient.email,
            })
            return redirect("digest", pk=campaign.pk)
    return _page(request, access, campaign, recipient_form=form, status=400)


@member_required
@require_POST
def digest_recipient_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    recipient = digest_recipient_for(access, pk, action="delete")
    campaign_id = recipient.schedule.campaign_id
    try:
        digest_recipient_remove(access=access, recipient=recipient)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(email)s removed.") % {"email": recipient.email})
    return redirect("digest", pk=campaign_id)


@member_required
@require_POST
def digest_send_now_view(request: HttpRequest, pk: int) -> HttpResponse:
    access, campaign = _campaign(request, pk, write=True)
    try:
        digest_send_now(access=access, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Digest on its way — its outcome appears below."))
    return redirect("digest", pk=campaign.pk)


# The signed token in the URL is the only authority, so there is no session or CSRF token to
# check — and RFC 8058's one-click unsubscribe is a cross-site POST from the mail provider.
# GET only shows a button: link scanners fetch URLs, and must not unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    recipient = recipient_by_token(token)
    if recipient is None:
        raise Http404(_("No such subscription."))
    done = ""
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            digest_resubscribe(recipient=recipient)
            done = "resubscribed"
        else:  # the page's button, or "List-Unsubscribe=One-Click"
            digest_unsubscribe(recipient=recipient)
            done = "unsubscribed"
    context = {
        "recipient": recipient, "campaign": recipient.schedule.campaign,
        "organization": recipient.schedule.campaign.brand.organization, "done": done,
    }
    return shared_headers(render(request, "reports/digest_unsubscribe.html", context))
