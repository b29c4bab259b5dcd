from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import ResolverMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from accounts.selectors import Access, access_for_user, two_factor_setup_required

SESSION_ORGANIZATION_KEY = "organization_id"

# Pages a member reaches whatever their organization requires: their own account (password,
# e-mail addresses, two-factor sign-in), signing in and out, and joining or switching.
ACCOUNT_PAGES = {"login", "logout", "signup", "email", "switch", "invitation"}


class TwoFactorSetupRequired(PermissionDenied):
    """The organization requires two-factor sign-in of this owner or admin, who has none yet.

    A page is sent on to the set-up page (``CurrentOrganizationMiddleware.process_exception``);
    the API answers 403, as DRF does for any ``PermissionDenied``."""


def is_account_page(match: ResolverMatch | None) -> bool:
    if match is None:
        return True
    if match.namespace == "accounts":
        return match.url_name in ACCOUNT_PAGES
    return (match.url_name or "").startswith(("account_", "mfa_"))


def _session_access(request: HttpRequest) -> Access | None:
    user = request.user
    # An API key's principal (set by DRF on the same request) has no pk and no memberships.
    if not user.is_authenticated or user.pk is None:
        return None
    access = access_for_user(user, request.session.get(SESSION_ORGANIZATION_KEY))
    if (
        access is not None
        and not getattr(request, "two_factor_exempt", True)
        and two_factor_setup_required(access)
    ):
        raise TwoFactorSetupRequired(
            f"{access.organization.name} requires two-factor sign-in for owners and admins: "
            "set up an authenticator app first."
        )
    if access is not None:
        # Every time the pages show is in the organisation's zone ("19:00 EST"), from here
        # to the end of the request (``CurrentOrganizationMiddleware.__call__`` resets it).
        timezone.activate(access.organization.tzinfo)
    return access


class CurrentOrganizationMiddleware:
    """Sets ``request.access``: the signed-in user's role in the organization they switched to.

    This is the checkpoint every page and the session API reach the organization through, so
    the organization's "two-factor sign-in for owners and admins" rule is enforced here, once:
    reading ``request.access`` outside the account pages raises ``TwoFactorSetupRequired`` for
    an owner or admin who has not set it up, and pages answer with the set-up page.

    Lazy, so requests that never look (the redirect, the pixel) run no query for it. Reading
    it also activates the organization's time zone for the rest of the request (pages read
    ``request.access`` before they render), so templates show its local times."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = SimpleLazyObject(lambda: _session_access(request))  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        request.two_factor_exempt = is_account_page(request.resolver_match)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorSetupRequired):
            return None
        messages.warning(request, str(exception))
        if getattr(request, "htmx", False):  # a fragment request: send the whole page on
            return HttpResponseClientRedirect(reverse("mfa_activate_totp"))
        return redirect("mfa_activate_totp")
