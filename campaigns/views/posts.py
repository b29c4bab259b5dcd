"""Adding posts by hand: one post from its URL (on a partnership's page or a creator's), and
many at once by pasting their URLs — a preview of every line, then all valid ones in one
transaction. Managers and above add posts; viewers get a 403, other organizations a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import Access, get_object_for, require_role, required_role, visible
from campaigns import services
from campaigns.forms import BulkPostsForm, PostForm, apply_errors
from campaigns.models import Partnership, Post, PostType
from campaigns.post_urls import PostRef, post_url_problem, read_post_url
from campaigns.selectors import partnership_for
from campaigns.views.common import _access, member_required
from config.validation import BulkItemError
from influencers.models import Influencer, Platform


def _data(request: HttpRequest) -> Any:
    """The POST data, even an empty one (``request.POST or None`` would leave it unbound)."""
    return request.POST if request.method == "POST" else None


def _metrics_form(post: Post) -> str:
    return reverse("metrics_entry:post_metrics") + f"?post={post.pk}"


def _posts_of(partnership: Partnership) -> Any:
    return Post.objects.filter(partnership=partnership).order_by("-published_at", "-pk")


def _save(request: HttpRequest, access: Access, form: PostForm, partnership: Partnership) -> Any:
    try:
        post = services.post_add(access=access, partnership=partnership, **form.post_fields())
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("%(platform)s post added; now enter its metrics.")
                     % {"platform": post.get_platform_display()})
    return redirect(_metrics_form(post))


@member_required
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    require_role(access, required_role(Post, "write"))
    with timezone.override(access.organization.tzinfo):
        form = PostForm(_data(request), organization=access.organization, partnership=partnership)
        if request.method == "POST" and form.is_valid():
            if response := _save(request, access, form, partnership):
                return response
        return render(
            request, "campaigns/posts_add.html",
            {"form": form, "partnership": partnership, "posts": _posts_of(partnership)},
            status=400 if form.is_bound else 200,
        )


@member_required
def creator_post_add(request: HttpRequest, pk: int) -> HttpResponse:
    """"Add a post" on a creator's page: which of her partnerships, then the same form."""
    access = _access(request)
    influencer = get_object_for(access, Influencer, pk)
    require_role(access, required_role(Post, "write"))
    partnerships = (
        visible(access, Partnership).filter(influencer=influencer)
        .select_related("campaign__brand").order_by("-campaign__start_date", "campaign__name")
    )
    with timezone.override(access.organization.tzinfo):
        form = PostForm(
            _data(request), organization=access.organization, partnerships=partnerships,
            initial={"partnership": request.GET.get("partnership")},
        )
        if request.method == "POST" and form.is_valid():
            if response := _save(request, access, form, form.cleaned_data["partnership"]):
                return response
        return render(
            request, "campaigns/posts_add.html",
            {"form": form, "influencer": influencer, "has_partnerships": partnerships.exists()},
            status=400 if form.is_bound else 200,
        )


# --- Bulk -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One pasted line and what adding it would do: "add", "exists" or "invalid" (``why``)."""

    number: int
    text: str
    status: str
    why: str = ""
    ref: PostRef | None = None

    @property
    def post_label(self) -> str:
        """E.g. "YouTube short"; "" when the line is no post."""
        if self.ref is None:
            return ""
        # The type's label in lower case is its value in English ("short").
        post_type = str(PostType(self.ref.post_type or PostType.POST).label).lower()
        return _("%(platform)s %(post_type)s") % {
            "platform": Platform(self.ref.platform).label, "post_type": post_type,
        }


def plan_lines(partnership: Partnership, lines: list[str]) -> list[Line]:
    """Every non-empty line, numbered as pasted, with what adding it would do (one query)."""
    refs = {n: read_post_url(text) for n, text in enumerate(lines, start=1) if text.strip()}
    existing = set(
        Post.objects.filter(
            partnership=partnership, external_id__in={r.external_id for r in refs.values() if r}
        ).values_list("platform", "external_id")
    )
    seen: dict[tuple[str, str], int] = {}
    plan = []
    for number, ref in refs.items():
        text = lines[number - 1].strip()
        if ref is None:
            plan.append(Line(number, text, "invalid", post_url_problem(text)))
            continue
        key = (ref.platform, ref.external_id)
        if key in existing:
            plan.append(Line(number, text, "exists", _("Already in this partnership."), ref))
        elif key in seen:
            why = _("Same post as line %(line)s.") % {"line": seen[key]}
            plan.append(Line(number, text, "exists", why, ref))
        else:
            seen[key] = number
            plan.append(Line(number, text, "add", "", ref))
    return plan


def _item(ref: PostRef) -> dict[str, Any]:
    return {
        "platform": ref.platform, "external_id": ref.external_id, "url": ref.url,
        "post_type": ref.post_type or PostType.POST,
    }


@member_required
def posts_bulk_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    require_role(access, required_role(Post, "write"))
    form = BulkPostsForm(_data(request))
    context: dict[str, Any] = {"form": form, "partnership": partnership}
    if request.method == "POST" and form.is_valid():
        plan = plan_lines(partnership, form.cleaned_data["urls"])
        to_add = [line for line in plan if line.status == "add"]
        context.update(plan=plan, to_add=to_add)
        if "confirm" in request.POST and to_add:
            try:
                posts = services.posts_bulk_add(
                    access=access, partnership=partnership,
                    items=[_item(line.ref) for line in to_add if line.ref],
                )
            except BulkItemError as error:
                line = to_add[error.index or 0]
                context["failure"] = {
                    "line": line.number,
                    "messages": [m for ms in error.errors.values() for m in ms],
                }
            else:
                added = ngettext(
                    "%(count)s post added to %(creator)s in %(campaign)s.",
                    "%(count)s posts added to %(creator)s in %(campaign)s.", len(posts),
                ) % {"count": len(posts), "creator": partnership.influencer.name,
                     "campaign": partnership.campaign.name}
                messages.success(request, added)
                return redirect("post_add", pk=partnership.pk)
    return render(request, "campaigns/posts_bulk.html", context)
