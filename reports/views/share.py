"""Share links: the admins' page that makes and revokes them, and the public read-only report
a link opens (``/s/<token>``) — no session, no navigation, nothing else reachable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.branding import accent_or_default, organization_branding
from accounts.models import Organization, Role
from accounts.selectors import require_role
from campaigns.selectors import campaign_for
from campaigns.views.common import _access, member_required
from metrics.report_context import report_context
from metrics.selectors.reports import client_report
from reports import narrative
from reports.forms import ShareLinkForm
from reports.models import ShareLinkView
from reports.selectors import live_share_link, share_link_for, share_links_of, share_url
from reports.services.share_links import (
    share_link_create,
    share_link_revoke,
    share_link_viewed,
)


@member_required
@require_http_methods(["GET", "POST"])
def share_links(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    require_role(access, Role.ADMIN)
    form = ShareLinkForm(request.POST or None)
    new_url = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _link, token = share_link_create(
                    access=access, campaign=campaign, label=form.cleaned_data["label"],
                    expires_at=form.expires_at(), show_costs=form.cleaned_data["show_costs"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                # Shown in this response only: the link is stored as a hash.
                new_url = share_url(token)
                form = ShareLinkForm()
        else:
            status = 400
    context = {
        "campaign": campaign, "form": form, "new_url": new_url,
        "links": share_links_of(access, campaign),
    }
    return render(request, "reports/share_links.html", context, status=status)


@member_required
@require_POST
def share_link_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    link = share_link_for(access, pk, action="write")
    share_link_revoke(access=access, share_link=link)
    messages.success(request, _("“%(link)s” revoked — it opens nothing now.") % {"link": link})
    return redirect("share_links", pk=link.campaign_id)


def shared_headers(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep the page out of search engines, caches and Referer headers.
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    link = live_share_link(token)
    organization = link.campaign.brand.organization
    report = client_report(link.campaign, show_costs=link.show_costs)
    with client_locale(organization):
        context = {
            **report_context(
                report, sort=request.GET.get("sort", "emv"),
                direction=request.GET.get("dir", ""), show_costs=link.show_costs,
                link_creators=False,
            ),
            **organization_branding(organization),
            "public": True,
            "token": token,
            "what_changed": narrative.what_changed(
                report, today=timezone.localdate(timezone=organization.tzinfo)
            ),
        }
        response = render(request, "reports/shared_report.html", context)
    share_link_viewed(share_link=link, kind=ShareLinkView.Kind.PAGE)
    return shared_headers(response)


@contextmanager
def client_locale(organization: Organization) -> Iterator[None]:
    """What a client report reads in: the organisation's time zone, and its language when it
    set one (else the reader's browser language, already active)."""
    language = organization.default_language or translation.get_language()
    with timezone.override(organization.tzinfo), translation.override(language):
        yield


@require_GET
def shared_brand_css(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's accent colour as a stylesheet (the CSP allows no inline style)."""
    link = live_share_link(token)
    accent = accent_or_default(link.campaign.brand.organization.accent_color)
    response = HttpResponse(f":root {{ --accent: {accent}; }}\n", content_type="text/css")
    response["Cache-Control"] = "private, max-age=300"
    return shared_headers(response)
