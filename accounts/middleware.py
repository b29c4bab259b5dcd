from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from accounts.selectors import Access, access_for_user

SESSION_ORGANIZATION_KEY = "organization_id"


def _session_access(request: HttpRequest) -> Access | None:
    user = request.user
    # An API key's principal (set by DRF on the same request) has no pk and no memberships.
    if not user.is_authenticated or user.pk is None:
        return None
    return access_for_user(user, request.session.get(SESSION_ORGANIZATION_KEY))


class CurrentOrganizationMiddleware:
    """Sets ``request.access``: the signed-in user's role in the organization they switched to.

    Lazy, so requests that never look (the redirect, the pixel) run no query for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = SimpleLazyObject(lambda: _session_access(request))  # type: ignore[attr-defined]
        return self.get_response(request)
