"""The organization scoping every app's admin builds on: who may do what, where.

Staff status only opens the admin. Superusers may do everything; for everyone else the member's
role in the object's organization decides every view, add, change, delete and action, with the
same rule the pages use (``accounts.selectors.required_role``, plus the stricter floors an admin
names in ``role_floor``). Django's model permissions grant nothing on organization-scoped models.

- Rows are those of the organizations where the role may view the model; another
  organization's object is a 404, as on the pages.
- Related choices come from organizations where the role may write the model; on save the
  object's organization (the one chosen, for a new object) is checked again and every related
  record must belong to it.
- Fields named in ``field_roles`` (compensation) are left out of forms, lists and filters for
  roles below the one named.

The admin classes built on these rules, which save and delete through the services, are in
``accounts.admin_bases``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.db.models.fields.related import ForeignKey
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest

from accounts.models import (
    ROLE_RANK,
    Membership,
    Organization,
    Role,
    User,
    higher_role,
)
from accounts.selectors import Access, Action, required_role


# --- Who may do what, where -----------------------------------------------------------------
def is_unscoped(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def roles_of(request: HttpRequest) -> dict[int, str]:
    """``{organization id: role}`` of the signed-in user (cached on the request)."""
    cached: dict[int, str] | None = getattr(request, "_admin_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user_id=request.user.pk).values_list(  # type: ignore[misc]
                "organization_id", "role"
            )
        )
        request._admin_roles = cached  # type: ignore[attr-defined]
    return cached


def organization_ids_of(request: HttpRequest, role: str = Role.VIEWER) -> list[int]:
    """The organizations where the staff user holds at least ``role``."""
    return [
        organization_id for organization_id, held in roles_of(request).items()
        if ROLE_RANK[held] >= ROLE_RANK[role]
    ]


def _organization_of_pk(request: HttpRequest | None, model: type[Model], pk: Any) -> int | None:
    cache: dict[tuple[type[Model], Any], int | None] = (
        request.__dict__.setdefault("_admin_organization_of", {}) if request is not None else {}
    )
    key = (model, pk)
    if key not in cache:
        path: str = model.organization_path  # type: ignore[attr-defined]
        cache[key] = model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    return cache[key]


def organization_id_of(obj: Model, request: HttpRequest | None = None) -> int | None:
    """The organization ``obj`` belongs to, as it stands in memory (a form's new parent counts).

    The first step of the path is read from the object; the rest is one query per distinct
    parent and request, so a deletion page listing thousands of clicks stays cheap."""
    model = type(obj)
    path: str | None = getattr(model, "organization_path", None)
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    related_id = getattr(obj, field.attname)  # type: ignore[union-attr]
    if related_id is None or not rest:
        return related_id
    return _organization_of_pk(request, field.related_model, related_id)  # type: ignore[arg-type]


def scope_queryset(
    request: HttpRequest, queryset: QuerySet[Any], role: str = Role.VIEWER
) -> QuerySet[Any]:
    """Rows of the organizations where the user holds ``role``; models without an organization
    are shared data."""
    if is_unscoped(request):
        return queryset
    model = queryset.model
    if model is User or issubclass(model, User):
        return queryset.filter(
            memberships__organization_id__in=organization_ids_of(request, role)
        ).distinct()
    path: str | None = getattr(model, "organization_path", None)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": organization_ids_of(request, role)})


def admin_access(request: HttpRequest, organization: Organization) -> Access:
    """The admin user's access in ``organization``, for calling services from the admin."""
    if is_unscoped(request):
        role: str = Role.OWNER
    else:
        held = roles_of(request).get(organization.pk)
        if held is None:
            raise Http404("Not a member of that organization.")
        role = held
    return Access(organization=organization, role=role, user=request.user)  # type: ignore[arg-type]


class OrganizationScopedMixin:
    """Role rules shared by model admins and inlines.

    ``role_floor`` raises the least role of an action above the model's own (pages that are
    stricter than the model, e.g. costs need admin to be seen); ``field_roles`` names fields
    only a role and above may see or set."""

    model: type[Model]
    role_floor: ClassVar[Mapping[str, str]] = {}
    field_roles: ClassVar[Mapping[str, str]] = {}

    def role_for(self, action: Action) -> str:
        floor = self.role_floor.get(action, Role.VIEWER)
        needed = higher_role(required_role(self.model, action), floor)
        if action != "view":
            # Nobody writes what they may not see.
            needed = higher_role(needed, self.role_for("view"))
        return needed

    def allowed(self, request: HttpRequest, action: Action, obj: Model | None = None) -> bool:
        """``obj`` None: may the user do ``action`` in at least one organization?"""
        if is_unscoped(request):
            return True
        if not (request.user.is_active and request.user.is_staff):
            return False
        organizations = organization_ids_of(request, self.role_for(action))
        if obj is None:
            return bool(organizations)
        return organization_id_of(obj, request) in organizations

    # Model admins and inlines alike (their ``has_add_permission`` signatures differ).
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "write", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "delete", obj)

    def require(self, request: HttpRequest, action: Action, obj: Model) -> None:
        if not self.allowed(request, action, obj):
            raise PermissionDenied(f"This needs the {self.role_for(action)} role.")

    def hidden_fields(self, request: HttpRequest, obj: Model | None = None) -> set[str]:
        """Fields the user may not see on ``obj`` (or, without one, on every row the page may
        show: a list mixing organizations shows a column only if each of them allows it)."""
        if not self.field_roles or is_unscoped(request):
            return set()
        if obj is not None:
            organization_id = organization_id_of(obj, request)
            return {
                name for name, role in self.field_roles.items()
                if organization_id not in organization_ids_of(request, role)
            }
        shown = set(organization_ids_of(request, self.role_for("view")))
        return {
            name for name, role in self.field_roles.items()
            if not shown <= set(organization_ids_of(request, role))
        }

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(
            request, super().get_queryset(request), self.role_for("view")  # type: ignore[misc]
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related: type[Model] = db_field.remote_field.model
        if not is_unscoped(request) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(
                request, related._default_manager.all(), self.role_for("write")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return (*excluded, *sorted(hidden - set(excluded))) if hidden or excluded else None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return [name for name in fields if name not in hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return tuple(name for name in fields if name not in hidden)

    def check_related(self, request: HttpRequest, obj: Model) -> None:
        """Every related record of ``obj`` must be in ``obj``'s own organization."""
        if is_unscoped(request):
            return
        organization_id = organization_id_of(obj, request)
        for field in obj._meta.concrete_fields:
            if not isinstance(field, ForeignKey):
                continue
            related: type[Model] = field.related_model  # type: ignore[assignment]
            related_id = getattr(obj, field.attname)
            if related_id is None or getattr(related, "organization_path", None) is None:
                continue
            if _organization_of_pk(request, related, related_id) != organization_id:
                raise ValidationError({field.name: "This record is in another organization."})
