from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.middleware import TwoFactorSetupRequired
from accounts.selectors import memberships_of


def organization(request: HttpRequest) -> dict[str, Any]:
    """The current access and, for the switcher, the user's other organizations."""
    try:
        access = getattr(request, "access", None)
        present = bool(access)
    except TwoFactorSetupRequired:  # e.g. a 404 page, for a member yet to set up two factors
        present = False
    if not present:
        return {"access": None, "memberships": []}
    return {"access": access, "memberships": memberships_of(request.user)}  # type: ignore[arg-type]
