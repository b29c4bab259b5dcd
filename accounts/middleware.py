from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import ResolverMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from accounts.l10n import digits_setting
from accounts.selectors import Access, access_for_user, two_factor_setup_required

SESSION_ORGANIZATION_KEY = "organization_id"

# Pages a member reaches whatever their organization requires: their own account (password,
# e-mail addresses, two-factor sign-in), signing in and out, and joining or switching.
ACCOUNT_PAGES = {"login", "logout", "signup", "email", "switch", "invitation"}


class TwoFactorSetupRequired(PermissionDenied):
    """The organization requires two-factor sign-in of this owner or admin, who has none yet.

    A page is sent on to the set-up page (``CurrentOrganizationMiddleware.process_exception``);
    the API answers 403, as DRF does for any ``PermissionDenied``."""


# What a creator (the ``creator`` role) may open besides the portal: their own account pages,
# the language switch, and pages anyone may open (public links, help). The API checks its own
# (``IsOrganizationMember``); every other page answers a creator 404.
CREATOR_PAGES = {"accounts:language", "accounts:preferences", "kpi-help"}
CREATOR_NAMESPACES = {"portal", "api"}
# Public routes: no session is read, so no role is checked.
PUBLIC_PAGES = {
    "follow-link", "pixel-event", "pixel-image", "pixel-script", "shopify-webhook", "healthz",
    "readyz", "shared_report", "shared_brand_css", "shared_report_pdf", "digest_unsubscribe",
    "accounts:invitation",
}


def route_name(match: ResolverMatch) -> str:
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def creator_may_open(match: ResolverMatch | None) -> bool:
    if match is None or is_account_page(match) or match.namespace in CREATOR_NAMESPACES:
        return True
    if match.app_name == "admin":  # staff only; a creator is never staff of an organization
        return True
    return route_name(match) in CREATOR_PAGES | PUBLIC_PAGES


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
        # A member who chose no language reads the organisation's (``LanguageMiddleware``
        # started from their own choice or the browser's).
        if not getattr(user, "language", "") and access.organization.default_language:
            translation.activate(access.organization.default_language)
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
    ) -> HttpResponse | None:
        match = request.resolver_match
        request.two_factor_exempt = is_account_page(match)  # type: ignore[attr-defined]
        return _creator_gate(request, match)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorSetupRequired):
            return None
        messages.warning(request, str(exception))
        if getattr(request, "htmx", False):  # a fragment request: send the whole page on
            return HttpResponseClientRedirect(reverse("mfa_activate_totp"))
        return redirect("mfa_activate_totp")


def _creator_gate(request: HttpRequest, match: ResolverMatch | None) -> HttpResponse | None:
    """A creator reaches the portal and their own account; the team's home sends them to the
    portal, and every other page is a 404 to them (as if it were not there)."""
    # What a creator may open is decided by the route alone: those pages (public ones, the
    # portal, their account) read no membership here.
    if match is None or creator_may_open(match) or not request.user.is_authenticated:
        return None
    try:
        is_creator = bool(request.access) and request.access.is_creator  # type: ignore[attr-defined]
    except TwoFactorSetupRequired:  # an owner or admin: the view sends them to set it up
        return None
    if not is_creator:
        return None
    if route_name(match) == "dashboard":
        return redirect("portal:home")
    raise Http404("No such page.")


# Public endpoints answer machines in no language: the redirect, the pixel, webhooks, probes.
NO_LANGUAGE_PREFIXES = ("/r/", "/t/", "/hooks/", "/healthz", "/readyz", "/static/")


class LanguageMiddleware:
    """The language of a request: the member's own choice, else their organisation's (set when
    ``request.access`` is first read, see ``_session_access``), else the browser's
    (``Accept-Language``, or the language cookie on pages before signing in). The API follows
    ``Accept-Language`` only: its field names never change, its error messages do.

    Also holds the member's digits setting for the request (``accounts.l10n``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(NO_LANGUAGE_PREFIXES):
            return self.get_response(request)
        language, digits = self._choice(request)
        translation.activate(language)
        token = digits_setting.set(digits)
        try:
            response = self.get_response(request)
        finally:
            digits_setting.reset(token)
        language = translation.get_language()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if response.streaming:  # a CSV export writes its rows after this returns
            response.streaming_content = _in_language(  # type: ignore[attr-defined]
                response.streaming_content, language  # type: ignore[attr-defined]
            )
        translation.deactivate()
        return response

    @staticmethod
    def _choice(request: HttpRequest) -> tuple[str, str]:
        browser = translation.get_language_from_request(request)
        if request.path_info.startswith("/api/"):
            return browser, ""
        user = request.user
        if user.is_authenticated:
            return (getattr(user, "language", "") or browser), getattr(user, "digits", "")
        return browser, ""


def _in_language(chunks: Iterable[bytes], language: str) -> Iterator[bytes]:
    with translation.override(language):
        yield from chunks
