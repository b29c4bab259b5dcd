"""The dashboard: every campaign with its headline KPIs and spend against budget, filterable."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from campaigns.models import CampaignStatus, FunnelStage
from campaigns.selectors import brands_for, campaigns_for_dashboard
from campaigns.views.common import TARGET_LABELS, _access, member_required
from content.views.panels import late_panel
from metrics import display, registry
from metrics.selectors.snapshots import campaign_documents


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    filters = {
        "brand": request.GET.get("brand", ""),
        "stage": request.GET.get("stage", ""),
        "status": request.GET.get("status", ""),
    }
    brand = filters["brand"] if filters["brand"].isdigit() else None
    stage = filters["stage"] if filters["stage"] in FunnelStage.values else None
    status = filters["status"] if filters["status"] in CampaignStatus.values else None
    campaigns = list(campaigns_for_dashboard(access, brand=brand, stage=stage, status=status))
    documents = campaign_documents(c.pk for c in campaigns)
    rows = []
    for campaign in campaigns:
        doc = documents.get(campaign.pk)
        spend = display.number(registry.value_at(doc, "roi.total_cost"))
        budget = float(campaign.budget)
        rows.append(
            {
                "campaign": campaign,
                "computed": doc is not None,
                "headline": [c for c in display.kpi_cards(doc, labels=TARGET_LABELS) if c.headline],
                "spend": display.format_value(spend, display.MONEY, campaign.currency),
                "budget": display.format_value(budget, display.MONEY, campaign.currency),
                "spend_share": None if spend is None or not budget else spend / budget * 100,
                "over_budget": spend is not None and budget > 0 and spend > budget,
            }
        )
    context = {
        "rows": rows,
        "filters": filters,
        "brands": brands_for(access),
        "stages": FunnelStage.choices,
        "statuses": CampaignStatus.choices,
        "can_edit": access.has_role(Role.MANAGER),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/dashboard.html#campaign-list", context)
    return render(request, "campaigns/dashboard.html", {**context, **late_panel(access)})
