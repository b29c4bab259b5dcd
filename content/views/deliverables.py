"""A partnership's deliverables: the list (status, late flag, fee share, due date, linked posts
and their caption checks), adding, editing and deleting them, and linking a live post."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for
from campaigns.forms import apply_errors
from campaigns.models import Partnership, Post
from campaigns.selectors import partnership_for, sees_compensation
from campaigns.views.common import _access, member_required
from content.forms import DeliverableForm, LinkPostForm
from content.models import Deliverable, DeliverableStatus, Draft
from content.selectors import deliverables_of, organization_today
from content.services import deliverables as services
from content.views.common import findings_shown

DELIVERABLES = Deliverable.objects.select_related(
    "partnership__campaign__brand", "partnership__influencer"
)


@member_required
def deliverable_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The list; a POST (manager and above) adds a deliverable."""
    access = _access(request)
    partnership = partnership_for(access, pk)
    if request.method != "POST":
        return _render(request, access, partnership)
    partnership = partnership_for(access, pk, action="write")
    form = DeliverableForm(request.POST, with_fee=sees_compensation(access), creating=True)
    if form.is_valid():
        try:
            services.deliverable_create(
                access=access, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Deliverable added."))
            return redirect("content:deliverables", pk=partnership.pk)
    return _render(request, access, partnership, form=form, status=400)


@member_required
def deliverable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    deliverable = get_object_for(access, Deliverable, pk, action="write", queryset=DELIVERABLES)
    form = DeliverableForm(
        request.POST or None, instance=deliverable, with_fee=sees_compensation(access),
        creating=False,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.deliverable_update(
                    access=access, deliverable=deliverable, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Deliverable saved."))
                return redirect("content:deliverables", pk=deliverable.partnership_id)
        deliverable.refresh_from_db()
    return render(
        request, "content/deliverable_form.html",
        {"form": form, "deliverable": deliverable, "partnership": deliverable.partnership},
        status=400 if form.errors else 200,
    )


@member_required
@require_POST
def deliverable_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    deliverable = get_object_for(access, Deliverable, pk, action="delete")
    partnership_id = deliverable.partnership_id
    services.deliverable_delete(access=access, deliverable=deliverable)
    messages.success(request, _("Deliverable deleted."))
    return redirect("content:deliverables", pk=partnership_id)


@member_required
@require_POST
def deliverable_link_post(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    deliverable = get_object_for(access, Deliverable, pk, action="write", queryset=DELIVERABLES)
    partnership = deliverable.partnership
    form = LinkPostForm(request.POST, partnership=partnership, auto_id=f"id_d{deliverable.pk}_%s")
    if form.is_valid():
        try:
            services.deliverable_link_post(
                access=access, deliverable=deliverable, post=form.cleaned_data["post"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Post linked; the deliverable is live."))
            return redirect(
                reverse("content:deliverables", args=[partnership.pk]) + f"#d-{deliverable.pk}"
            )
    return _render(request, access, partnership, link_forms={deliverable.pk: form}, status=400)


def _render(
    request: HttpRequest, access: Access, partnership: Partnership, *, status: int = 200,
    form: DeliverableForm | None = None, link_forms: dict[int, LinkPostForm] | None = None,
) -> HttpResponse:
    can_edit = access.has_role(Role.MANAGER)
    today = organization_today(access.organization)
    deliverables = deliverables_of(access, partnership).prefetch_related(None).prefetch_related(
        Prefetch("posts", queryset=Post.objects.select_related("caption_check")),
        Prefetch(
            "drafts", queryset=Draft.objects.defer("media").order_by("-number"),
            to_attr="newest_drafts",
        ),
    )
    rows = []
    for deliverable in deliverables:
        newest: list[Draft] = getattr(deliverable, "newest_drafts", [])
        draft = newest[0] if newest else None
        row: dict[str, Any] = {
            "deliverable": deliverable,
            "late": deliverable.is_late(today),
            "draft": draft,
            "draft_findings": findings_shown(draft.findings) if draft else [],
            "posts": [_post_row(post) for post in deliverable.posts.all()],
        }
        if can_edit:
            row["link_form"] = (link_forms or {}).get(deliverable.pk) or LinkPostForm(
                partnership=partnership, auto_id=f"id_d{deliverable.pk}_%s"
            )
        rows.append(row)
    context = {
        "partnership": partnership,
        "campaign": partnership.campaign,
        "rows": rows,
        "can_edit": can_edit,
        "with_fee": sees_compensation(access),
        "has_posts": Post.objects.filter(partnership=partnership).exists(),
        # A live post delivers an approved deliverable (or another post of a live one).
        "linkable": (DeliverableStatus.APPROVED, DeliverableStatus.LIVE),
        "form": form or (
            DeliverableForm(with_fee=sees_compensation(access), creating=True)
            if can_edit else None
        ),
    }
    return render(request, "content/deliverables.html", context, status=status)


def _post_row(post: Post) -> dict[str, Any]:
    check = getattr(post, "caption_check", None)
    return {
        "post": post,
        "checked": check is not None,
        "passed": check.passed if check is not None else None,
        "findings": findings_shown(check.findings) if check is not None else [],
    }
