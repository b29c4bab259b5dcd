"""The audit log's writes: one entry now (``audit_record``), or many made first and saved in one
statement (``audit_entry`` and ``audit_record_many``)."""

from __future__ import annotations

from typing import Any

from accounts.models import AuditEntry, Organization
from accounts.selectors import Access


def audit_entry(
    *,
    access: Access | None,
    organization: Organization,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """An audit entry, not yet saved: for a writer that records many at once
    (``audit_record_many``)."""
    return AuditEntry(
        organization=organization,
        actor=access.user if access else None,
        api_key=access.api_key if access else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def audit_record(
    *,
    access: Access | None,
    organization: Organization,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = audit_entry(access=access, organization=organization, action=action, obj=obj,
                        changes=changes)
    entry.save()
    return entry


def audit_record_many(entries: list[AuditEntry]) -> None:
    """Save entries made by ``audit_entry`` in one statement."""
    AuditEntry.objects.bulk_create(entries)
