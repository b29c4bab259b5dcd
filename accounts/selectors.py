"""Reads of tenancy data, and the one permission checkpoint every page and endpoint uses.

Every model names the path from itself to its organization (``organization_path``) and, where
it differs from the defaults, the role needed to see it (``view_role``), to write it
(``write_role``, default manager) and to delete it (``delete_role``, default ``write_role``).
``scoped`` and ``get_object_for`` are the only ways views and viewsets reach records: another
organization's object is a 404, a role that is too weak a 403.

A ``creator`` member (the creator portal) sees a model only when it names the path from
itself to its influencer (``creator_path``), and then only the rows of their own influencer;
every other model, and every row of another creator, is a 404. What a creator may write
(their drafts) the services decide, with ``require_own``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.keys import hash_key
from accounts.models import (
    ROLE_RANK,
    ApiKey,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    role_name,
)

M = TypeVar("M", bound=Model)
Action = Literal["view", "write", "delete"]


@dataclass(frozen=True)
class Access:
    """Who is acting, in which organization, with which role (a member or an API key)."""

    organization: Organization
    role: str
    user: User | None = None
    api_key: ApiKey | None = None
    # A ``creator`` member's influencer record; None for the team's roles.
    influencer_id: int | None = None

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_creator(self) -> bool:
        return self.role == Role.CREATOR


def required_role(model: type[Model], action: Action) -> str:
    view_role: str = getattr(model, "view_role", Role.VIEWER)
    write_role: str = getattr(model, "write_role", Role.MANAGER)
    if action == "view":
        return view_role
    if action == "write":
        return write_role
    return getattr(model, "delete_role", write_role)


def require_role(access: Access, role: str) -> None:
    if not access.has_role(role):
        raise PermissionDenied(_("This needs the %(role)s role.") % {"role": role_name(role)})


def scoped(organization: Organization, model: type[M]) -> QuerySet[M]:
    """Every row of ``model`` that belongs to ``organization``, and nothing else."""
    path: str = model.organization_path  # type: ignore[attr-defined]
    return model._default_manager.filter(**{path: organization})


def visible(access: Access, model: type[M]) -> QuerySet[M]:
    """The rows ``access`` may list: scoped, and empty when the role may not see the model
    (a creator: only their own rows of a model with a ``creator_path``)."""
    queryset = scoped(access.organization, model)
    if access.is_creator:
        return _own(access, model, queryset)
    if not access.has_role(required_role(model, "view")):
        return queryset.none()
    return queryset


def _own(access: Access, model: type[M], queryset: QuerySet[M]) -> QuerySet[M]:
    path: str | None = getattr(model, "creator_path", None)
    if path is None or access.influencer_id is None:
        return queryset.none()
    return queryset.filter(**{path: access.influencer_id})


def require_own(access: Access, obj: Model) -> None:
    """For a creator: 404 unless ``obj`` is one of their own records (a model with a
    ``creator_path``). The team's roles pass: their checks are the role rules."""
    if not access.is_creator:
        return
    model = type(obj)
    if not _own(access, model, model._default_manager.filter(pk=obj.pk)).exists():
        raise Http404(_no_such(model))


def get_object_for(
    access: Access,
    model: type[M],
    pk: Any,
    *,
    action: Action = "view",
    queryset: QuerySet[M] | None = None,
) -> M:
    """The object, if it is in the actor's organization (else 404) and the role allows ``action``
    (else 403). ``queryset`` may add ``select_related``; it is scoped here all the same."""
    base = queryset if queryset is not None else model._default_manager.all()
    path: str = model.organization_path  # type: ignore[attr-defined]
    base = base.filter(**{path: access.organization})
    if access.is_creator:
        base = _own(access, model, base)
    try:
        obj = base.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):  # type: ignore[attr-defined]
        raise Http404(_no_such(model)) from None
    if access.is_creator:
        # Their own record: what they may change the services decide (``require_own``).
        if action != "view" and action not in getattr(model, "creator_actions", ()):
            raise PermissionDenied(_("Creators cannot change this."))
        return obj
    if not access.has_role(required_role(model, "view")):
        raise Http404(_no_such(model))
    require_role(access, required_role(model, action))
    return obj


def _no_such(model: type[Model]) -> str:
    return _("No %(model)s with that id.") % {"model": model._meta.verbose_name}


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by(
        "organization__name"
    )


def access_for_user(user: User, organization_id: int | None) -> Access | None:
    """The user's access in the chosen organization, else in their first one; None if none."""
    memberships = list(memberships_of(user))
    if not memberships:
        return None
    chosen = next((m for m in memberships if m.organization_id == organization_id), memberships[0])
    return Access(organization=chosen.organization, role=chosen.role, user=user,
                  influencer_id=chosen.influencer_id)


def members_of(organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by(
        "user__username"
    )


def email_address_of(user: User, email: str) -> EmailAddress | None:
    """One of the user's e-mail addresses (any case), or None."""
    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=email).first()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, whatever its state (only a hash is stored)."""
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(hashed_token=hash_key(token))
        .first()
    )


def two_factor_setup_required(access: Access) -> bool:
    """Whether the organization requires two-factor sign-in of this member's role and the
    member has no authenticator yet (owners and admins, when the organization says so)."""
    if not access.organization.require_two_factor or access.user is None:
        return False
    if not access.has_role(Role.ADMIN):
        return False
    return not is_mfa_enabled(access.user, types=[Authenticator.Type.TOTP])
