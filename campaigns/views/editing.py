"""Creating and editing a campaign, its KPI targets and its costs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role
from campaigns import services, targets
from campaigns.forms import CampaignForm, CostForm, KpiTargetForm, apply_errors
from campaigns.models import Cost, KpiTarget
from campaigns.selectors import campaign_for, costs_of, targets_of
from campaigns.views.common import _access, member_required


@member_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    require_role(access, Role.MANAGER)
    form = CampaignForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("currency"):
            data.pop("currency")
        try:
            campaign = services.campaign_create(access=access, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Campaign “%(name)s” created.") % {"name": campaign.name})
            return redirect("campaign_edit", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@member_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk, action="write")
    form = CampaignForm(request.POST or None, instance=campaign, access=access)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("currency"):
            data.pop("currency")
        try:
            services.campaign_update(access=access, campaign=campaign, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaign_edit", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", _edit_context(access, campaign, form))


def _edit_context(access: Access, campaign: Any, form: Any, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "campaign": campaign,
        "targets": targets_of(campaign),
        "target_form": extra.get("target_form") or KpiTargetForm(),
        "costs": costs_of(campaign) if access.has_role(Role.ADMIN) else [],
        "cost_form": extra.get("cost_form") or CostForm(campaign=campaign),
        "is_admin": access.has_role(Role.ADMIN),
        "is_owner": access.has_role(Role.OWNER),
    }


@member_required
@require_POST
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk, action="write")
    target_form = KpiTargetForm(request.POST)
    if target_form.is_valid():
        try:
            targets.kpi_target_set(access=access, campaign=campaign, **target_form.cleaned_data)
        except ValidationError as error:
            apply_errors(target_form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect(reverse("campaign_edit", args=[campaign.pk]) + "#targets")
    form = CampaignForm(instance=campaign, access=access)
    context = _edit_context(access, campaign, form, target_form=target_form)
    return render(request, "campaigns/campaign_form.html", context, status=400)


@member_required
@require_POST
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    access = _access(request)
    target = get_object_for(access, KpiTarget, target_pk, action="delete")
    if target.campaign_id != int(pk):
        return render(request, "404.html", status=404)
    targets.kpi_target_delete(access=access, target=target)
    messages.success(request, _("Target removed."))
    return redirect(reverse("campaign_edit", args=[pk]) + "#targets")


@member_required
@require_POST
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    require_role(access, Role.ADMIN)
    cost_form = CostForm(request.POST, campaign=campaign)
    if cost_form.is_valid():
        try:
            services.cost_create(access=access, campaign=campaign, **cost_form.cleaned_data)
        except ValidationError as error:
            apply_errors(cost_form, error)
        else:
            messages.success(request, _("Cost added."))
            return redirect(reverse("campaign_edit", args=[campaign.pk]) + "#costs")
    form = CampaignForm(instance=campaign, access=access)
    context = _edit_context(access, campaign, form, cost_form=cost_form)
    return render(request, "campaigns/campaign_form.html", context, status=400)


@member_required
@require_POST
def cost_delete(request: HttpRequest, pk: int, cost_pk: int) -> HttpResponse:
    access = _access(request)
    cost = get_object_for(access, Cost, cost_pk, action="delete")
    if cost.campaign_id != int(pk):
        return render(request, "404.html", status=404)
    services.cost_delete(access=access, cost=cost)
    messages.success(request, _("Cost removed."))
    return redirect(reverse("campaign_edit", args=[pk]) + "#costs")
