"""Writes of tenancy data: organizations, members, invitations, API keys, the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit_writes import audit_record
from accounts.branding import LogoError, logo_content_type
from accounts.keys import display_prefix, generate_key, hash_key
from accounts.models import (
    ROLE_RANK,
    ApiKey,
    Invitation,
    InvitationState,
    Membership,
    Organization,
    Role,
    User,
    role_name,
)
from accounts.selectors import Access, require_role
from accounts.writes import plain_value

INVITATION_LIFETIME = timedelta(days=7)
ORGANIZATION_SETTINGS = (
    "name", "time_zone", "default_language", "require_two_factor", "accent_color", "report_footer",
    "disclosure_tags", "payout_approval_limit",
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
    """Rename the organization, change its time zone, whether owners and admins must sign in
    with two factors, or its report branding (owners only)."""
    require_role(access, Role.OWNER)
    organization = access.organization
    diff: dict[str, list[Any]] = {}
    for field in ORGANIZATION_SETTINGS:
        if field in changes and getattr(organization, field) != changes[field]:
            diff[field] = [plain_value(getattr(organization, field)), plain_value(changes[field])]
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
def organization_logo_set(*, access: Access, data: bytes | None) -> Organization:
    """Replace the report logo with ``data`` (a PNG or a drawing-only SVG), or remove it
    (``None``). Owners only; a refused file raises ``ValidationError`` with the reason."""
    require_role(access, Role.OWNER)
    organization = access.organization
    if data is None:
        organization.logo, organization.logo_content_type = None, ""
        action_changes: dict[str, Any] = {"logo": ["set", "removed"]}
    else:
        try:
            content_type = logo_content_type(data)
        except LogoError as exc:
            raise ValidationError({"logo": str(exc)}) from exc
        organization.logo, organization.logo_content_type = data, content_type
        action_changes = {"logo": ["", f"{content_type}, {len(data):,} bytes"]}
    organization.save(update_fields=["logo", "logo_content_type"])
    audit_record(
        access=access, organization=organization, action="organization.updated",
        obj=organization, changes=action_changes,
    )
    return organization


def user_preferences_set(*, user: User, **changes: str) -> User:
    """A person's own interface language and digits (``accounts.models.Language``,
    ``Digits``; "" = the organisation's language, the language's digits)."""
    unknown = set(changes) - {"language", "digits"}
    if unknown:
        raise TypeError(f"Not preferences: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=list(changes))
    return user


def person_of(access: Access) -> User | None:
    """The person behind ``access``: the signed-in user, or the person an API key belongs to."""
    if access.user is not None and access.user.pk is not None:
        return access.user
    if access.api_key is not None:
        return access.api_key.created_by
    return None


def _require_owner_of(access: Access, obj: Membership | Invitation | ApiKey) -> None:
    """Every tenancy write needs the owner role, in the object's own organization (views and
    the API reach objects through the checkpoint already; commands and the admin may not)."""
    require_role(access, Role.OWNER)
    if obj.organization_id != access.organization.pk:
        raise PermissionDenied(
            _("This %(model)s is not in this organization.") % {"model": obj._meta.verbose_name}
        )


@transaction.atomic
def membership_set_role(*, access: Access, membership: Membership, role: str) -> Membership:
    """Change a member's role. Their API keys stay, but act at most with the new role."""
    _require_owner_of(access, membership)
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
    """Remove a member; every API key they own in the organization is revoked with them."""
    _require_owner_of(access, membership)
    if membership.role == Role.OWNER:
        _ensure_another_owner(membership)
    revoked = ApiKey.objects.filter(
        organization=membership.organization, created_by=membership.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    changes: dict[str, Any] = {"user": membership.user.username, "role": [membership.role, None]}
    if revoked:
        changes["api_keys_revoked"] = revoked
    audit_record(
        access=access, organization=membership.organization, action="member.removed",
        obj=membership, changes=changes,
    )
    membership.delete()


def _ensure_another_owner(membership: Membership) -> None:
    others = Membership.objects.filter(
        organization=membership.organization, role=Role.OWNER
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("An organization needs at least one owner."))


@transaction.atomic
def membership_add(*, access: Access, user: User, role: str) -> Membership:
    """Add an existing account to the organization directly (an owner, in the admin; the pages
    invite instead). Audited as ``member.added``."""
    membership = Membership(organization=access.organization, user=user, role=role)
    _require_owner_of(access, membership)
    membership.full_clean()
    membership.save()
    audit_record(
        access=access, organization=membership.organization, action="member.added",
        obj=membership, changes={"user": user.username, "role": [None, role]},
    )
    return membership


@transaction.atomic
def invitation_create(
    *, access: Access, email: str, role: str, influencer: Any = None
) -> tuple[Invitation, str]:
    """Returns the invitation and its one-time token (only a hash is stored). With an e-mail
    address, only the user with that address may accept it. A ``creator`` invitation names
    the organization's influencer whose portal it opens (``Invitation.clean``)."""
    require_role(access, Role.OWNER)
    token = secrets.token_urlsafe(24)
    email = (email or "").strip()
    invitation = Invitation(
        organization=access.organization, email=email, role=role, hashed_token=hash_key(token),
        invited_by=person_of(access), expires_at=timezone.now() + INVITATION_LIFETIME,
        influencer=influencer,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        access=access, organization=access.organization, action="member.invited",
        obj=invitation, changes={"email": email, "role": role, **(
            {"influencer": str(influencer)} if influencer is not None else {}
        )},
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, access: Access, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    _require_owner_of(access, invitation)
    invitation = Invitation.objects.select_for_update().select_related("organization").get(
        pk=invitation.pk
    )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."), code="used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            access=access, organization=invitation.organization, action="member.invitation_revoked",
            obj=invitation, changes={"email": invitation.email, "role": invitation.role},
        )
    return invitation


INVITATION_REFUSALS: dict[str, Any] = {  # lazily translated texts
    InvitationState.ACCEPTED: gettext_lazy("This invitation was already used."),
    InvitationState.REVOKED: gettext_lazy("This invitation was withdrawn."),
    InvitationState.EXPIRED: gettext_lazy("This invitation has expired."),
}


def invitation_refusal(invitation: Invitation, user: User | None = None) -> ValidationError | None:
    """Why ``user`` may not accept ``invitation`` (the code names the reason), or None.

    Without a user: whether the link still works at all (someone signing up through it; the
    sign-up form checks the address they give)."""
    state = invitation.state()
    if state in INVITATION_REFUSALS:
        return ValidationError(INVITATION_REFUSALS[state], code=state)
    if user is not None and not invitation.is_for(user.email):
        return ValidationError(
            _("This invitation was sent to another e-mail address than your account's."),
            code="email",
        )
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join with the invited role (an existing member keeps theirs). Single use: the row is
    locked, so two people racing for one link cannot both join."""
    invitation = Invitation.objects.select_for_update().select_related("organization").get(
        pk=invitation.pk
    )
    refusal = invitation_refusal(invitation, user)
    if refusal is not None:
        raise refusal
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user,
        defaults={"role": invitation.role, "influencer_id": invitation.influencer_id},
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
def invitation_signup(
    *, invitation: Invitation, username: str, email: str, password: str
) -> Membership:
    """Create an account through an invitation and join with the invited role, as one write:
    an invitation refused on the way (used, withdrawn or expired meanwhile, or naming another
    address) leaves no account behind. The address counts as verified when it is the invited
    one, since the link was sent there."""
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(
        user=user, email=email, primary=True, verified=bool(invitation.email) and
        invitation.is_for(email),
    )
    return invitation_accept(invitation=invitation, user=user)


def email_address_adopt(*, user: User) -> EmailAddress | None:
    """Record the e-mail of an account made before allauth (or by an admin) as its primary,
    unverified address, as allauth keeps them; an account that has a primary one is left as is."""
    if not user.email or EmailAddress.objects.filter(user=user, primary=True).exists():
        return None
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email,
        defaults={"primary": True}, create_defaults={"email": user.email, "primary": True},
    )
    return address


def _key_person(access: Access, created_by: User | None) -> User:
    """Whom a new key belongs to: a key made by a key belongs to that key's person; otherwise
    the given person, else the acting user."""
    if access.api_key is not None:
        person = access.api_key.created_by
        if created_by is not None and created_by.pk != person.pk:
            raise PermissionDenied(_("An API key can only make keys for its own person."))
        return person
    chosen = created_by or person_of(access)
    if chosen is None:
        raise ValidationError({"created_by": _("An API key must belong to a member.")})
    return chosen


@transaction.atomic
def api_key_create(
    *,
    access: Access,
    name: str,
    role: str,
    created_by: User | None = None,
    expires_at: datetime | None = None,
    organization: Organization | None = None,
) -> tuple[ApiKey, str]:
    """Returns the key record and the secret, which is shown once and never stored.

    Owners only. The key belongs to a person (``created_by``; see ``_key_person``) who must be
    an active member, and its role may not be above that person's current role. A key made by
    a key expires no later than its maker. ``organization``, when given, must be the access's.
    """
    require_role(access, Role.OWNER)
    if organization is not None and organization.pk != access.organization.pk:
        raise PermissionDenied(_("That organization is not the one you act in."))
    organization = access.organization
    person = _key_person(access, created_by)
    membership = Membership.objects.filter(
        organization=organization, user=person, user__is_active=True
    ).first()
    if membership is None:
        raise ValidationError(
            {"created_by": _("%(username)s is not an active member of %(organization)s.") % {
                "username": person.username, "organization": organization.name,
            }}
        )
    if role in ROLE_RANK and ROLE_RANK[role] > ROLE_RANK[membership.role]:
        raise ValidationError(
            {"role": _("A key cannot have a higher role than its member (%(role)s).") % {
                "role": role_name(membership.role),
            }}
        )
    maker = access.api_key
    if maker is not None and maker.expires_at is not None and (
        expires_at is None or expires_at > maker.expires_at
    ):
        raise ValidationError(
            {"expires_at": _("A key made by a key cannot expire later than the key making it.")}
        )
    raw = generate_key()
    api_key = ApiKey(
        organization=organization, name=name, role=role, prefix=display_prefix(raw),
        hashed_key=hash_key(raw), created_by=person, expires_at=expires_at,
    )
    api_key.full_clean()
    api_key.save()
    audit_record(
        access=access, organization=organization, action="api_key.created", obj=api_key,
        changes={"name": name, "role": role, "belongs_to": person.username},
    )
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, access: Access, api_key: ApiKey) -> ApiKey:
    _require_owner_of(access, api_key)
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
