"""A person's language and digits: the header's switcher and the preferences page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import PreferencesForm
from accounts.models import Language
from accounts.services import user_preferences_set


def _back(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("dashboard")


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The header's switcher: a member's choice is saved on them; before signing in it is a
    cookie, as Django's own ``set_language`` keeps it."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_back(request))
    if language not in Language.values:
        return response
    if request.user.is_authenticated:
        user_preferences_set(user=request.user, language=language)
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 60 * 60,
            samesite="Lax", secure=request.is_secure(), httponly=True,
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_preferences_set(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        translation.activate(user.language or translation.get_language())
        messages.success(request, _("Preferences saved."))
        return HttpResponseRedirect(reverse("accounts:preferences"))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)
