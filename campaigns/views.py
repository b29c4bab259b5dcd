from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.selectors import campaigns_for_dashboard


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    if not access:
        return render(request, "accounts/no_organization.html", status=403)
    campaigns = campaigns_for_dashboard(access)
    return render(request, "campaigns/dashboard.html", {"campaigns": campaigns})
