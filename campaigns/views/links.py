"""A partnership's tracking links (builder, preview, QR code) and promo codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role
from campaigns import services
from campaigns.forms import LinkForm, PromoCodeForm, apply_errors, link_defaults
from campaigns.links import build_tracking_url
from campaigns.models import PromoCode, TrackingLink
from campaigns.qr import qr_svg
from campaigns.selectors import links_of, partnership_for, promo_codes_of
from campaigns.views.common import _access, member_required


def short_url(link: TrackingLink) -> str:
    return f"{settings.FUNNELBOARD_BASE_URL}/r/{link.slug}"


def _links_context(access: Access, partnership: Any, **forms: Any) -> dict[str, Any]:
    can_edit = access.has_role(Role.MANAGER)
    defaults = link_defaults(partnership)
    link_form = forms.get("link_form") or LinkForm(initial=defaults)
    links = [{"link": link, "short_url": short_url(link), "full_url": _full(link)}
             for link in links_of(partnership)]
    return {
        "partnership": partnership,
        "campaign": partnership.campaign,
        "links": links,
        "codes": promo_codes_of(partnership),
        "link_form": link_form if can_edit else None,
        "code_form": (forms.get("code_form") or PromoCodeForm()) if can_edit else None,
        "preview": _preview(link_form.data if link_form.is_bound else defaults),
        "can_edit": can_edit,
    }


def _full(link: TrackingLink) -> str:
    try:
        return build_tracking_url(
            link.destination_url, utm_source=link.utm_source, utm_medium=link.utm_medium,
            utm_campaign=link.utm_campaign, utm_content=link.utm_content, utm_term=link.utm_term,
        )
    except ValueError:
        return link.destination_url


def _preview(data: Any) -> dict[str, str]:
    try:
        return {
            "url": build_tracking_url(
                str(data.get("destination_url") or ""),
                **{name: str(data.get(name) or "") for name in (
                    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")},
            ),
            "error": "",
        }
    except ValueError as error:
        return {"url": "", "error": str(error)}


@member_required
def partnership_links(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk)
    if request.method == "POST":
        require_role(access, Role.MANAGER)
        link_form = LinkForm(request.POST)
        if link_form.is_valid():
            try:
                link = services.link_create(
                    access=access, partnership=partnership, **link_form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(link_form, error)
            else:
                messages.success(request, _("Link created: %(url)s") % {"url": short_url(link)})
                return redirect("partnership_links", pk=partnership.pk)
        context = _links_context(access, partnership, link_form=link_form)
        return render(request, "campaigns/links.html", context, status=400)
    return render(request, "campaigns/links.html", _links_context(access, partnership))


@member_required
@require_GET
def link_preview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership_for(_access(request), pk)
    return render(request, "campaigns/links.html#preview", {"preview": _preview(request.GET)})


@member_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    link = get_object_for(access, TrackingLink, pk, action="delete")
    services.link_delete(access=access, link=link)
    messages.success(request, _("Link removed (disabled if it already had clicks)."))
    return redirect("partnership_links", pk=link.partnership_id)


@member_required
@require_GET
def link_qr(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_for(_access(request), TrackingLink, pk)
    response = HttpResponse(qr_svg(short_url(link)), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{link.slug}.svg"'
    return response


@member_required
@require_POST
def promo_code_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk)
    require_role(access, Role.MANAGER)
    code_form = PromoCodeForm(request.POST)
    if code_form.is_valid():
        try:
            code = services.promo_code_create(
                access=access, partnership=partnership, **code_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(code_form, error)
        else:
            messages.success(request, _("Promo code %(code)s created.") % {"code": code.code})
            return redirect(reverse("partnership_links", args=[partnership.pk]) + "#codes")
    context = _links_context(access, partnership, code_form=code_form)
    return render(request, "campaigns/links.html", context, status=400)


@member_required
@require_POST
def promo_code_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    code = get_object_for(access, PromoCode, pk, action="delete")
    services.promo_code_delete(access=access, code=code)
    messages.success(request, _("Promo code %(code)s deleted.") % {"code": code.code})
    return redirect(reverse("partnership_links", args=[code.partnership_id]) + "#codes")
