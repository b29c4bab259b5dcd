"""Creator pages: the directory with search and filters, profiles with audience-quality flags,
the engagement-rate calculator, and creating or editing creators and their accounts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.selectors import require_role
from campaigns.forms import apply_errors
from campaigns.views.common import _access, member_required
from influencers import quality, services
from influencers.forms import CalculatorForm, DirectoryFilterForm, InfluencerForm, SocialAccountForm
from influencers.selectors import DirectoryFilters, countries_and_tags, influencer_for
from metrics import display, registry
from metrics.selectors.creators import directory, influencer_profile

PAGE_SIZE = 30


@member_required
def influencer_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = DirectoryFilterForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_bound and form.is_valid():
        filters = DirectoryFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    rows = directory(access, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    countries, tags = countries_and_tags(access)
    context = {
        "form": form if form.is_bound else DirectoryFilterForm(),
        "page": page,
        "total": len(rows),
        "query": query.urlencode(),
        "countries": countries,
        "tags": tags,
        "can_edit": access.has_role(Role.MANAGER),
        "calculator": CalculatorForm(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "influencers/list.html#results", context)
    return render(request, "influencers/list.html", context)


@require_GET
@member_required
def influencer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    profile = influencer_profile(access, pk)
    charts = {
        f"history-{view.account.pk}": {
            "labels": [day.isoformat() for day, _count in view.history],
            "series": [{"key": "followers", "label": _("Followers"),
                        "data": [n for _day, n in view.history]}],
        }
        for view in profile.accounts
        if view.history
    }
    campaigns = [
        {
            "partnership": item["partnership"],
            "cells": [
                display.format_value(
                    registry.value_at(item["doc"], path), registry.kind(path),
                    item["partnership"].campaign.currency,
                )
                for path in registry.CREATOR_CAMPAIGN_COLUMNS
            ],
        }
        for item in profile.campaigns
    ]
    context = {
        "profile": profile,
        "influencer": profile.influencer,
        "charts": charts,
        "campaigns": campaigns,
        "can_edit": access.has_role(Role.MANAGER),
        # Owners invite members: a creator, to their own portal.
        "can_invite": access.has_role(Role.OWNER),
        "account_form": SocialAccountForm() if access.has_role(Role.MANAGER) else None,
        "flag_count": sum(len(v.flags) for v in profile.accounts),
    }
    return render(request, "influencers/detail.html", context)


@member_required
def influencer_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    require_role(access, Role.MANAGER)
    form = InfluencerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            influencer = services.influencer_create(access=access, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s added to the directory.") % {"name": influencer.name})
            return redirect("influencers:detail", pk=influencer.pk)
    return render(request, "influencers/form.html", {"form": form, "influencer": None})


@member_required
def influencer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    influencer = influencer_for(access, pk, action="write")
    form = InfluencerForm(request.POST or None, instance=influencer)
    if request.method == "POST" and form.is_valid():
        try:
            services.influencer_update(access=access, influencer=influencer, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Creator saved."))
            return redirect("influencers:detail", pk=influencer.pk)
    return render(request, "influencers/form.html", {"form": form, "influencer": influencer})


@member_required
def social_account_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    influencer = influencer_for(access, pk, action="write")
    if request.method != "POST":
        return redirect("influencers:detail", pk=influencer.pk)
    form = SocialAccountForm(request.POST)
    if form.is_valid():
        try:
            services.social_account_create(access=access, influencer=influencer, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Account added."))
            return redirect("influencers:detail", pk=influencer.pk)
    return render(
        request, "influencers/form.html",
        {"form": form, "influencer": influencer, "adding_account": True}, status=400,
    )


def calculate(form: CalculatorForm) -> dict[str, Any]:
    followers = form.cleaned_data["followers"]
    posts = form.cleaned_data["posts"]
    handle = (form.cleaned_data.get("handle") or "").strip().lstrip("@")
    rate = quality.engagement_rate(followers, posts)
    band, typical = quality.size_band(followers)
    return {
        "handle": handle,
        "rate": rate,
        "band": band,
        "typical": typical,
        "posts": len(posts),
        "flags": [
            *quality.low_engagement(followers, rate, handle),
            *quality.comment_ratio_outliers(posts, handle),
        ],
    }


@member_required
def calculator(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.POST or None)
    result = calculate(form) if request.method == "POST" and form.is_valid() else None
    context = {"calculator": form, "result": result}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "influencers/calculator.html#calculator", context)
    return render(request, "influencers/calculator.html", context)
