"""The comment-label correction endpoint: a manager sets a comment's sentiment by hand (or
gives it back to the model). htmx requests get the report's samples block back
(``templates/metrics/_comment_label.html``); plain posts are redirected to the report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import get_object_for
from metrics.models import Comment
from metrics.selectors.comment_labels import samples
from metrics.services.comment_labels import comment_label_correct
from metrics.views import _access


@login_required
@require_POST
def comment_label(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    comment = get_object_for(  # another organization's comment → 404; a viewer → 403
        access, Comment, pk, action="write",
        queryset=Comment.objects.select_related("post__partnership__campaign"),
    )
    campaign = comment.post.partnership.campaign
    status = 200
    try:
        comment_label_correct(
            access=access, comment=comment, sentiment=request.POST.get("sentiment", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        status = 400
    if not request.htmx:  # type: ignore[attr-defined]
        if status == 200:
            messages.success(
                request, _("Label corrected; the numbers refresh in a few seconds.")
            )
        return redirect("campaign_detail", pk=campaign.pk)
    found = samples(campaign)
    return render(
        request, "metrics/_comment_label.html",
        {"campaign": campaign, **found, "can_edit": access.has_role(Role.MANAGER)},
        status=status,
    )
