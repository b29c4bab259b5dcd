from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.selectors import memberships_of


def organization(request: HttpRequest) -> dict[str, Any]:
    """The current access and, for the switcher, the user's other organizations."""
    access = getattr(request, "access", None)
    if not access:
        return {"access": None, "memberships": []}
    return {"access": access, "memberships": memberships_of(request.user)}  # type: ignore[arg-type]
