"""The organisation's settings page (owners): name, time zone, language, two-factor rule and
the branding of client reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.branding import logo_data_uri
from accounts.forms import OrganizationSettingsForm
from accounts.models import Organization
from accounts.selectors import Access
from accounts.services import ORGANIZATION_SETTINGS, organization_logo_set, organization_update
from accounts.views import owner_page


@require_http_methods(["GET", "POST"])
@owner_page
def organization_settings(request: HttpRequest, access: Access) -> HttpResponse:
    # The form validates a copy, so the service sees the old values and audits the difference.
    copy = Organization.objects.get(pk=access.organization.pk)
    if request.method == "POST":
        form = OrganizationSettingsForm(request.POST, request.FILES, instance=copy)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    organization_update(
                        access=access, **{name: data[name] for name in ORGANIZATION_SETTINGS}
                    )
                    if data["logo"] or data["remove_logo"]:
                        organization_logo_set(access=access, data=data["logo"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("accounts:settings")
        return render(request, "accounts/settings.html", _settings_context(form, copy),
                      status=400)
    form = OrganizationSettingsForm(instance=copy)
    return render(request, "accounts/settings.html", _settings_context(form, copy))


def _settings_context(form: OrganizationSettingsForm, organization: Organization
                      ) -> dict[str, Any]:
    return {
        "form": form, "tab": "settings",
        "logo_uri": logo_data_uri(organization.logo, organization.logo_content_type),
    }
