"""The campaign's brief: its latest version, the history of versions, a form that saves a new
version, attachments (upload, download, delete) and sending a version to partnerships."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for
from campaigns.forms import apply_errors
from campaigns.models import Campaign, Partnership
from campaigns.selectors import campaign_for
from campaigns.views.common import _access, member_required
from content.forms import AttachmentForm, BriefSendForm, BriefVersionForm
from content.models import BriefAttachment, BriefSend, BriefVersion
from content.selectors import latest_version
from content.services import briefs as services
from content.views.common import file_response

VERSIONS = BriefVersion.objects.select_related("brief__campaign__brand", "created_by")


@member_required
def brief_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The brief; a POST (manager and above) saves its text as a new version."""
    access = _access(request)
    campaign = campaign_for(access, pk)
    if request.method != "POST":
        return _render(request, access, campaign)
    campaign = campaign_for(access, pk, action="write")
    form = BriefVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.brief_version_create(
                access=access, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Brief saved as version %(number)d.") % {"number": version.number}
            )
            return redirect("content:brief", pk=campaign.pk)
    return _render(request, access, campaign, version_form=form, status=400)


@member_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    version = get_object_for(access, BriefVersion, pk, action="write", queryset=VERSIONS)
    campaign = version.brief.campaign
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.brief_attachment_add(
                access=access, version=version, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_errors(form, _upload_error(error))
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.name})
            return redirect(reverse("content:brief", args=[campaign.pk]) + "#attachments")
    return _render(request, access, campaign, attachment_form=form, status=400)


def _upload_error(error: ValidationError) -> ValidationError:
    """The service names its own argument (``upload``); the form's field is ``file``."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {("file" if name == "upload" else name): errors
             for name, errors in error.error_dict.items()}
        )
    return error


@member_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    attachment = get_object_for(
        access, BriefAttachment, pk, action="delete",
        queryset=BriefAttachment.objects.select_related("version__brief").defer("data"),
    )
    campaign_id = attachment.version.brief.campaign_id
    services.brief_attachment_delete(access=access, attachment=attachment)
    messages.success(request, _("“%(name)s” removed.") % {"name": attachment.name})
    return redirect(reverse("content:brief", args=[campaign_id]) + "#attachments")


@member_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_for(_access(request), BriefAttachment, pk)
    return file_response(
        attachment.data, content_type=attachment.content_type, name=attachment.name, inline=False
    )


@member_required
@require_POST
def brief_send(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    version = get_object_for(access, BriefVersion, pk, action="write", queryset=VERSIONS)
    campaign = version.brief.campaign
    form = BriefSendForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            sends = services.brief_send(
                access=access, version=version, partnerships=list(form.cleaned_data["partnerships"])
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Version %(number)d sent to %(count)d creator.",
                    "Version %(number)d sent to %(count)d creators.", len(sends),
                ) % {"number": version.number, "count": len(sends)},
            )
            return redirect(reverse("content:brief", args=[campaign.pk]) + "#send")
    return _render(request, access, campaign, send_form=form, status=400)


def _render(
    request: HttpRequest, access: Access, campaign: Campaign, *, status: int = 200,
    **forms: Any,
) -> HttpResponse:
    return render(request, "content/brief.html", _context(access, campaign, **forms), status=status)


def _context(access: Access, campaign: Campaign, **forms: Any) -> dict[str, Any]:
    can_edit = access.has_role(Role.MANAGER)
    latest = latest_version(campaign)
    versions = list(
        VERSIONS.filter(brief__campaign=campaign)
        .annotate(attachment_count=Count("attachments", distinct=True),
                  send_count=Count("sends", distinct=True))
        .order_by("-number")
    )
    attachments = (
        list(BriefAttachment.objects.filter(version=latest).defer("data")) if latest else []
    )
    context: dict[str, Any] = {
        "campaign": campaign,
        "latest": latest,
        "versions": versions,
        "attachments": attachments,
        "recipients": _recipients(campaign, latest),
        "can_edit": can_edit,
    }
    if can_edit:
        context["version_form"] = forms.get("version_form") or BriefVersionForm(
            initial=BriefVersionForm.initial_from(latest, campaign)
        )
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
        context["send_form"] = forms.get("send_form") or BriefSendForm(campaign=campaign)
    return context


def _recipients(campaign: Campaign, latest: BriefVersion | None) -> list[dict[str, Any]]:
    """Each partnership of the campaign with the version numbers it was sent (newest first)
    and whether it has the latest."""
    sent: dict[int, list[BriefSend]] = {}
    for send in (
        BriefSend.objects.filter(partnership__campaign=campaign)
        .select_related("version").order_by("-version__number")
    ):
        sent.setdefault(send.partnership_id, []).append(send)
    rows = []
    for partnership in (
        Partnership.objects.filter(campaign=campaign).select_related("influencer")
        .order_by("influencer__name")
    ):
        sends = sent.get(partnership.pk, [])
        rows.append({
            "partnership": partnership,
            "sends": sends,
            "has_latest": bool(latest and sends and sends[0].version_id == latest.pk),
        })
    return rows
