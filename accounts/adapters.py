"""How django-allauth and django-axes fit Funnelboard: sign-up only through an invitation, and
one lockout count per account whether its username or its e-mail address was typed."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from django.http import HttpRequest

from accounts.models import Invitation, InvitationState
from accounts.selectors import invitation_by_token

# The token of the invitation link this browser opened; it opens sign-up for as long as the
# invitation is pending (the session lives on the server, so the token is not in a cookie).
SESSION_INVITATION_KEY = "invitation_token"


def held_invitation(request: HttpRequest) -> tuple[Invitation, str] | None:
    """The pending invitation whose link this session opened, with its token; else None."""
    token = request.session.get(SESSION_INVITATION_KEY)
    if not token:
        return None
    invitation = invitation_by_token(token)
    if invitation is None or invitation.state() != InvitationState.PENDING:
        return None
    return invitation, token


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up on their own: only a person holding a pending invitation."""
        return held_invitation(request) is not None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failed sign-ins under (``AXES_USERNAME_CALLABLE``).

    allauth authenticates with ``username`` (and ``email`` when an address was typed); axes'
    own handlers pass ``username`` only. An address that belongs to exactly one account counts
    under that account's username, so switching between the two gains no extra attempts."""
    given = credentials or {}
    typed = given.get("username") or given.get("email")
    if not typed:
        data = getattr(request, "POST", None) or {}
        typed = data.get("username") or data.get("login")
    if not typed:
        return None
    typed = str(typed).strip()
    if "@" in typed:
        owners = filter_users_by_email(typed)
        if len(owners) == 1:
            return str(owners[0].get_username())
    return typed
