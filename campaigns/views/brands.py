"""Brands: the list, a brand's settings (webhook, pixel) and its social accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import get_object_for, require_role
from campaigns import services
from campaigns.forms import BrandAccountForm, BrandForm, apply_errors
from campaigns.models import Brand
from campaigns.selectors import brand_accounts_of, brands_for
from campaigns.views.common import _access, member_required


@member_required
def brand_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = None
    if access.has_role(Role.ADMIN):
        form = BrandForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
            try:
                brand = services.brand_create(access=access, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Brand %(name)s created.") % {"name": brand.name})
                return redirect("brand_settings", pk=brand.pk)
    elif request.method == "POST":
        require_role(access, Role.ADMIN)
    return render(
        request, "campaigns/brands.html",
        {"brands": brands_for(access), "form": form, "is_admin": access.has_role(Role.ADMIN)},
    )


@member_required
def brand_settings(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    brand = get_object_for(access, Brand, pk)
    is_admin = access.has_role(Role.ADMIN)
    form = account_form = None
    if is_admin:
        form = BrandForm(request.POST or None, instance=brand)
        account_form = BrandAccountForm()
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("shopify_webhook_secret"):
                data.pop("shopify_webhook_secret")  # empty keeps the stored secret
            try:
                services.brand_update(access=access, brand=brand, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Brand saved."))
                return redirect("brand_settings", pk=brand.pk)
    elif request.method == "POST":
        require_role(access, Role.ADMIN)
    return render(request, "campaigns/brand_settings.html", _brand_context(brand, form, account_form, is_admin))


def _brand_context(brand: Brand, form: Any, account_form: Any, is_admin: bool) -> dict[str, Any]:
    base = settings.FUNNELBOARD_BASE_URL
    return {
        "brand": brand,
        "form": form,
        "account_form": account_form,
        "accounts": brand_accounts_of(brand),
        "is_admin": is_admin,
        "webhook_url": f"{base}/hooks/shopify/{brand.key}",
        "pixel_snippet": f'<script src="{base}/t/{brand.key}/pixel.js" async></script>',
        "has_secret": bool(brand.shopify_webhook_secret),
        "webhook_topics": ["Order creation", "Order payment", "Order update", "Order cancellation",
                           "Refund create"],
    }


@member_required
@require_POST
def brand_account_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    brand = get_object_for(access, Brand, pk)
    require_role(access, Role.ADMIN)
    account_form = BrandAccountForm(request.POST)
    if account_form.is_valid():
        try:
            services.brand_account_create(access=access, brand=brand, **account_form.cleaned_data)
        except ValidationError as error:
            apply_errors(account_form, error)
        else:
            messages.success(request, _("Brand account added."))
            return redirect(reverse("brand_settings", args=[brand.pk]) + "#accounts")
    context = _brand_context(brand, BrandForm(instance=brand), account_form, True)
    return render(request, "campaigns/brand_settings.html", context, status=400)
