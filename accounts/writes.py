"""Small helpers every app's services share (accounts imports no other app, so they live here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model

from accounts.selectors import Access, require_role, required_role

M = TypeVar("M", bound=Model)


def ensure_in_organization(access: Access, *objects: Model | None) -> None:
    """Refuse related records from another organization (defence in depth: forms and
    serializers already offer only scoped choices)."""
    for obj in objects:
        if obj is None:
            continue
        path: str = type(obj).organization_path  # type: ignore[attr-defined]
        owner_id = type(obj)._default_manager.filter(pk=obj.pk).values_list(
            path, flat=True
        ).first()
        if owner_id != access.organization.pk:
            raise ValidationError(f"{type(obj)._meta.verbose_name} is not in this organization.")


def apply_changes(instance: M, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields, validate, save; return ``{field: [old, new]}`` of what changed."""
    diff: dict[str, list[Any]] = {}
    for field, value in changes.items():
        old = getattr(instance, field)
        if old != value:
            diff[field] = [plain_value(old), plain_value(value)]
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return diff


def create_instance(model: type[M], fields: Mapping[str, Any]) -> M:
    instance = model(**fields)
    instance.full_clean()
    instance.save()
    return instance


def require_write(access: Access, model: type[Model], action: str = "write") -> None:
    require_role(access, required_role(model, action))  # type: ignore[arg-type]


def require_role_for_fields(
    access: Access, fields: Iterable[str], guarded: Iterable[str], role: str
) -> None:
    touched = sorted(set(fields) & set(guarded))
    if touched and not access.has_role(role):
        raise PermissionDenied(f"Only the {role} role may set {', '.join(touched)}.")


def plain_value(value: Any) -> Any:
    """``value`` as the audit log's JSON holds it: a record as its id, a Decimal or date as
    text."""
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
