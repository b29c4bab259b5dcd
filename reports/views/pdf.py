"""The campaign report as a PDF: for a signed-in member (what the report page shows that
member) and for whoever holds a live share link (costs as the link says)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.branding import organization_branding
from campaigns.models import Campaign
from campaigns.views.common import _access, member_required
from metrics.selectors.reports import campaign_report, client_report
from reports import pdf
from reports.models import ShareLinkView
from reports.selectors import live_share_link
from reports.services.share_links import share_link_viewed
from reports.views.share import client_locale, shared_headers


def _pdf_response(content: bytes, campaign: Campaign) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(campaign)}"'
    return response


@member_required
@require_GET
def campaign_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    # The member's own view of the report, as the page shows it: campaign-level ROI for every
    # role, one creator's cost values and the cost itemisation only for those who see
    # compensation (``kpi_document_for``). 404 for another organisation's campaign.
    report = campaign_report(access, pk)
    campaign = report.campaign
    organization = access.organization
    content = pdf.campaign_pdf(
        report, show_costs=True, branding=organization_branding(organization),
        today=timezone.localdate(timezone=organization.tzinfo),
    )
    response = _pdf_response(content, campaign)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
def shared_report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = live_share_link(token)  # 404 when unknown, revoked or expired
    campaign = link.campaign
    organization = campaign.brand.organization
    with client_locale(organization):
        content = pdf.campaign_pdf(
            client_report(campaign, show_costs=link.show_costs),
            show_costs=link.show_costs,
            branding=organization_branding(organization),
            today=timezone.localdate(timezone=organization.tzinfo),
        )
    share_link_viewed(share_link=link, kind=ShareLinkView.Kind.PDF)
    response = shared_headers(_pdf_response(content, campaign))
    response["Cache-Control"] = "no-store"
    return response
