"""DRF glue for the checkpoint: API-key authentication, the member permission, the throttle."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from accounts.keys import hash_key
from accounts.models import ApiKey
from accounts.selectors import Access
from accounts.services import api_key_touch


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
        api_key = (
            ApiKey.objects.select_related("organization").filter(hashed_key=hash_key(raw)).first()
        )
        if api_key is None or not api_key.is_usable():
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked API key.")
        api_key_touch(api_key=api_key)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def access_of(request: Request) -> Access | None:
    """The acting organization and role: the API key's own, else the session's current one."""
    if isinstance(request.auth, ApiKey):
        key = request.auth
        return Access(organization=key.organization, role=key.role, api_key=key)
    return getattr(request._request, "access", None) or None


class IsOrganizationMember(permissions.BasePermission):
    message = "Sign in and belong to an organization, or use an API key."

    def has_permission(self, request: Request, view: Any) -> bool:
        return access_of(request) is not None


class ActorRateThrottle(throttling.SimpleRateThrottle):
    """One budget per API key, or per user for browser sessions (shared cache in real mode)."""

    scope = "actor"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
