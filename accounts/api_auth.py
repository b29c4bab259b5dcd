"""DRF glue for the checkpoint: API-key authentication, the member permission, the throttle."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from accounts.keys import hash_key
from accounts.models import ApiKey, Membership, Role, lower_role
from accounts.selectors import Access
from accounts.services import api_key_touch
from config.ratelimit import Budget, budget_hit


class ApiKeyPrincipal:
    """Stands in for ``request.user`` when an API key authenticates."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.username = f"api-key:{api_key.prefix}"

    def __str__(self) -> str:
        return self.username


def keys_with_member_role() -> QuerySet[ApiKey]:
    """API keys with their organization, their person and that person's current role in the
    organization (``member_role``, None when no longer a member): one query."""
    member_role = Membership.objects.filter(
        organization=OuterRef("organization"), user=OuterRef("created_by")
    ).values("role")[:1]
    return ApiKey.objects.select_related("organization", "created_by").annotate(
        member_role=Subquery(member_role)
    )


def effective_role(api_key: ApiKey) -> str | None:
    """The lower of the key's role and its person's current role; None once the person has
    left the organization or been deactivated (the key must then fail authentication)."""
    if not hasattr(api_key, "member_role"):  # not loaded through keys_with_member_role()
        api_key.member_role = (  # type: ignore[attr-defined]
            Membership.objects.filter(
                organization_id=api_key.organization_id, user_id=api_key.created_by_id
            ).values_list("role", flat=True).first()
        )
    member_role: str | None = api_key.member_role  # type: ignore[attr-defined]
    # A creator's access is their own partnerships, through the portal and its session.
    if member_role is None or member_role == Role.CREATOR or not api_key.created_by.is_active:
        return None
    return lower_role(api_key.role, member_role)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiKeyPrincipal, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme != self.keyword:
            return None
        raw = raw.strip()
        if not raw:
            raise exceptions.AuthenticationFailed("No API key after Bearer.")
        api_key = keys_with_member_role().filter(hashed_key=hash_key(raw)).first()
        if api_key is None or not api_key.is_usable() or effective_role(api_key) is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked API key.")
        api_key_touch(api_key=api_key)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def access_of(request: Request) -> Access | None:
    """The acting organization and role: for an API key, the lower of its role and its
    person's current one; else the session's current organization and role."""
    if isinstance(request.auth, ApiKey):
        key = request.auth
        role = effective_role(key)
        if role is None:
            return None
        return Access(organization=key.organization, role=role, api_key=key)
    return getattr(request._request, "access", None) or None


class IsOrganizationMember(permissions.BasePermission):
    """A member or a key. A creator (portal session) reaches only the endpoints that say
    ``creator_allowed = True``, and there only their own rows (the checkpoint); every other
    endpoint answers them 404, as if it were not there."""

    message = "Sign in and belong to an organization, or use an API key."

    def has_permission(self, request: Request, view: Any) -> bool:
        access = access_of(request)
        if access is None:
            return False
        if access.is_creator and not getattr(view, "creator_allowed", False):
            raise exceptions.NotFound()
        return True


class ActorRateThrottle(throttling.BaseThrottle):
    """One budget per API key, or per user for browser sessions.

    Counted with one atomic increment in the shared cache (Redis in real mode), so concurrent
    requests on any number of workers cannot overshoot it, unlike DRF's SimpleRateThrottle
    whose read-then-write history list lets racing requests through. The rate is
    ``DEFAULT_THROTTLE_RATES["actor"]`` (``FUNNELBOARD_API_RATE``); a class attribute ``rate``
    overrides it."""

    scope = "actor"

    def __init__(self) -> None:
        rate: str | None = getattr(self, "rate", None) or self.get_rate()
        self.rate = rate
        self.budget = Budget.parse(rate) if rate else None
        self.retry_after: int | None = None

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES or {}
        rate: str | None = rates.get(self.scope)
        return rate

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"throttle:{self.scope}:{ident}"

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.budget is None:
            return True
        self.retry_after = budget_hit(self.get_cache_key(request, view), self.budget)
        return self.retry_after is None

    def wait(self) -> float | None:
        """Seconds until the budget's window ends: DRF puts it in ``Retry-After``."""
        return self.retry_after
