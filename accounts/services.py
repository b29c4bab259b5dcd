"""Writes of tenancy data: organizations, members, invitations, API keys, the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.keys import display_prefix, generate_key, hash_key
from accounts.models import ApiKey, AuditEntry, Invitation, Membership, Organization, Role, User
from accounts.selectors import Access

INVITATION_LIFETIME = timedelta(days=7)


def audit_record(
    *,
    access: Access | None,
    organization: Organization,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organization=organization,
        actor=access.user if access else None,
        api_key=access.api_key if access else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


@transaction.atomic
def organization_create(*, name: str, slug: str, owner: User, time_zone: str = "UTC") -> Organization:
    organization = Organization(name=name, slug=slug, time_zone=time_zone)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


@transaction.atomic
def organization_update(*, access: Access, **changes: Any) -> Organization:
    """Rename the organization or change its time zone (owners only)."""
    from accounts.selectors import require_role

    require_role(access, Role.OWNER)
    organization = access.organization
    diff: dict[str, list[Any]] = {}
    for field in ("name", "time_zone"):
        if field in changes and getattr(organization, field) != changes[field]:
            diff[field] = [getattr(organization, field), changes[field]]
            setattr(organization, field, changes[field])
    organization.full_clean()
    organization.save()
    if diff:
        audit_record(
            access=access, organization=organization, action="organization.updated",
            obj=organization, changes=diff,
        )
    return organization


@transaction.atomic
def membership_set_role(*, access: Access, membership: Membership, role: str) -> Membership:
    old = membership.role
    if old == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit_record(
        access=access, organization=membership.organization, action="member.role_changed",
        obj=membership, changes={"role": [old, role], "user": membership.user.username},
    )
    return membership


@transaction.atomic
def membership_remove(*, access: Access, membership: Membership) -> None:
    if membership.role == Role.OWNER:
        _ensure_another_owner(membership)
    audit_record(
        access=access, organization=membership.organization, action="member.removed",
        obj=membership, changes={"user": membership.user.username, "role": [membership.role, None]},
    )
    # Keys the member made for this organization go with them, at once.
    ApiKey.objects.filter(
        organization=membership.organization, created_by=membership.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    membership.delete()


def _ensure_another_owner(membership: Membership) -> None:
    from django.core.exceptions import ValidationError

    others = Membership.objects.filter(
        organization=membership.organization, role=Role.OWNER
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError("An organization needs at least one owner.")


@transaction.atomic
def invitation_create(*, access: Access, email: str, role: str) -> tuple[Invitation, str]:
    """Returns the invitation and its one-time token (only a hash is stored)."""
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        organization=access.organization, email=email, role=role, hashed_token=hash_key(token),
        invited_by=access.user, expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        access=access, organization=access.organization, action="member.invited",
        obj=invitation, changes={"email": email, "role": role},
    )
    return invitation, token


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        audit_record(
            access=None, organization=invitation.organization, action="member.joined",
            obj=membership, changes={"user": user.username, "role": [None, membership.role]},
        )
    return membership


@transaction.atomic
def api_key_create(
    *,
    organization: Organization,
    name: str,
    role: str,
    created_by: User | None = None,
    expires_at: datetime | None = None,
    access: Access | None = None,
) -> tuple[ApiKey, str]:
    """Returns the key record and the secret, which is shown once and never stored."""
    raw = generate_key()
    api_key = ApiKey(
        organization=organization, name=name, role=role, prefix=display_prefix(raw),
        hashed_key=hash_key(raw), created_by=created_by, expires_at=expires_at,
    )
    api_key.full_clean()
    api_key.save()
    audit_record(
        access=access, organization=organization, action="api_key.created", obj=api_key,
        changes={"name": name, "role": role},
    )
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, access: Access, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(
            access=access, organization=api_key.organization, action="api_key.revoked",
            obj=api_key, changes={"name": api_key.name},
        )
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use at most once a minute, so authentication stays one query on most requests."""
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
