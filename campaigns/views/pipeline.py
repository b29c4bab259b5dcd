"""The partnership pipeline: the board, moving a card between statuses, editing a partnership."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import Access, require_role
from campaigns import services
from campaigns.forms import PartnershipForm, StatusMoveForm, apply_errors
from campaigns.models import PartnershipStatus
from campaigns.selectors import board_columns, campaign_for, partnership_for
from campaigns.views.common import _access, member_required
from content.views.panels import late_counts

PIPELINE = [s for s in PartnershipStatus.values if s != PartnershipStatus.DECLINED]
# A card's buttons sit on one line in a seventh of a 1,366 px screen: the next step's name is
# shortened where it is long; "back" and "decline" are symbols with a full label for screen
# readers and a tooltip.
BUTTON_TEXT: dict[str, Any] = {PartnershipStatus.CONTENT_SUBMITTED: gettext_lazy("Submitted")}


def _moves(status: str) -> list[tuple[str, str, str, str]]:
    """``(kind, target status, button text, full label)`` of a card in ``status``."""
    def move(kind: str, target: str) -> tuple[str, str, str, str]:
        label = str(PartnershipStatus(target).label)
        # The board runs the way the language reads: "next" points left in right-to-left text.
        forward, backward = ("←", "→") if get_language_bidi() else ("→", "←")
        text = {"back": backward, "decline": "✕"}.get(
            kind, f"{BUTTON_TEXT.get(target, label)} {forward}"
        )
        return kind, target, text, label

    if status not in PIPELINE:
        return [move("next", PartnershipStatus.PROSPECT)]
    i = PIPELINE.index(status)
    moves = [move("back", PIPELINE[i - 1])] if i > 0 else []
    if i + 1 < len(PIPELINE):
        moves.append(move("next", PIPELINE[i + 1]))
    return [*moves, move("decline", PartnershipStatus.DECLINED)]


def _board_context(access: Access, campaign: Any, form: Any = None) -> dict[str, Any]:
    can_edit = access.has_role(Role.MANAGER)
    columns = []
    late = late_counts(access, campaign)  # late deliverables per partnership
    for status, label, partnerships in board_columns(campaign):
        cards = [
            {"partnership": p, "moves": _moves(status), "late": late.get(p.pk, 0)}
            for p in partnerships
        ]
        columns.append({"status": status, "label": label, "cards": cards})
    return {
        "campaign": campaign,
        "columns": columns,
        "can_edit": can_edit,
        "is_admin": access.has_role(Role.ADMIN),
        "form": form
        if form is not None
        else (PartnershipForm(access=access, campaign=campaign) if can_edit else None),
    }


@member_required
def partnership_board(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    form = None
    if request.method == "POST":
        campaign = campaign_for(access, pk, action="write")
        require_role(access, Role.MANAGER)
        form = PartnershipForm(request.POST, access=access, campaign=campaign)
        if form.is_valid():
            try:
                services.partnership_create(access=access, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Creator added to the campaign."))
                return redirect("partnership_board", pk=campaign.pk)
    context = _board_context(access, campaign, form)
    return render(request, "campaigns/board.html", context, status=400 if form is not None else 200)


@member_required
@require_POST
def partnership_move(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    move = StatusMoveForm(request.POST)
    if not move.is_valid():
        return HttpResponse(_("Unknown status."), status=400)
    services.partnership_set_status(
        access=access, partnership=partnership, status=move.cleaned_data["status"]
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/board.html#board", _board_context(access, partnership.campaign))
    return redirect("partnership_board", pk=partnership.campaign_id)


@member_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    form = PartnershipForm(
        request.POST or None, instance=partnership, access=access,
        campaign=partnership.campaign, creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(access=access, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Partnership saved."))
            return redirect("partnership_board", pk=partnership.campaign_id)
    return render(
        request, "campaigns/partnership_form.html",
        {"form": form, "partnership": partnership, "is_admin": access.has_role(Role.ADMIN)},
    )
