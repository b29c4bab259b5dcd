"""Tenancy: organizations, their members and API keys, invitations and the audit log."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.branding import ACCENT_PATTERN, DEFAULT_ACCENT


class Language(models.TextChoices):
    """The interface languages. English is the default; Persian reads right to left."""

    ENGLISH = "en", "English"
    PERSIAN = "fa", "فارسی"


class Digits(models.TextChoices):
    LANGUAGE = "", _("As the language writes them")
    LATIN = "latin", _("Latin (0123456789)")
    PERSIAN = "persian", _("Persian (۰۱۲۳۴۵۶۷۸۹)")


class User(AbstractUser):
    """A person who signs in. Organizations come through memberships."""

    language = models.CharField(
        max_length=8, choices=Language.choices, blank=True,
        help_text=_("Empty: the organisation's language, else the browser's."),
    )
    digits = models.CharField(max_length=8, choices=Digits.choices, blank=True)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone.") % {"value": repr(value)})


def validate_accent_color(value: str) -> None:
    if value and not ACCENT_PATTERN.fullmatch(value):
        raise ValidationError(_("Give the colour as #rrggbb, e.g. #4f46e5."))


class Organization(models.Model):
    """An agency or a brand's marketing team; every record belongs to exactly one."""

    organization_path: ClassVar[str] = "pk"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for owners and admins"), default=False,
        help_text=_("Owners and admins without an authenticator app are sent to set one up "
                    "before they can open this organization's pages."),
    )
    default_language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, blank=True,
        help_text=_("The language of members who chose none, and of client reports. Empty: "
                    "each reader's browser language."),
    )
    # Report branding: share pages, PDFs and digest e-mails show these.
    logo = models.BinaryField(blank=True, null=True, editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    accent_color = models.CharField(
        max_length=7, default=DEFAULT_ACCENT, blank=True, validators=[validate_accent_color],
        help_text=_("The colour of headings and charts in client reports (#rrggbb; empty: "
                    "Funnelboard's own)."),
    )
    report_footer = models.CharField(
        max_length=200, blank=True,
        help_text=_("One line at the foot of every client report page and e-mail."),
    )
    # The partnership workflow (``content``, ``payouts``).
    disclosure_tags = models.JSONField(
        _("disclosure tags"), default=list, blank=True,
        help_text=_("What a sponsored caption must carry near its start, any one of them "
                    "(e.g. #ad, #sponsored). Empty: #ad, #sponsored, #partner, and #تبلیغ "
                    "where the organisation writes Persian."),
    )
    payout_approval_limit = models.DecimalField(
        _("payout approval limit"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Payout lines above this amount need an owner's approval; admins approve "
                    "the rest. Empty: admins approve any amount."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    """Ordered from most to least powerful; see ``ROLE_RANK``.

    ``creator`` is not a rung of the team's ladder: it is a creator (influencer) signed in to
    the creator portal, bound to one influencer record (``Membership.influencer``), who sees
    only their own partnerships' records (models naming a ``creator_path``) and nothing else."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", pgettext_lazy("role", "Admin")  # "Admin" alone is the admin site's link
    MANAGER = "manager", _("Manager")
    VIEWER = "viewer", _("Viewer")
    CREATOR = "creator", _("Creator")


def role_name(role: str) -> str:
    """A role as a sentence names it ("manager"): its label, lower-cased, in the active
    language; an unknown value as it is."""
    try:
        return str(Role(role).label).lower()
    except ValueError:
        return str(role)


ROLE_RANK: dict[str, int] = {
    Role.CREATOR: -1, Role.VIEWER: 0, Role.MANAGER: 1, Role.ADMIN: 2, Role.OWNER: 3,
}
# The team's roles: what members, invitations without a creator and API keys may hold.
TEAM_ROLES: tuple[str, ...] = (Role.OWNER, Role.ADMIN, Role.MANAGER, Role.VIEWER)
TEAM_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in TEAM_ROLES]


def lower_role(*roles: str) -> str:
    """The least powerful of ``roles``."""
    return min(roles, key=ROLE_RANK.__getitem__)


def higher_role(*roles: str) -> str:
    """The most powerful of ``roles``."""
    return max(roles, key=ROLE_RANK.__getitem__)


class Membership(models.Model):
    organization_path: ClassVar[str] = "organization"
    write_role: ClassVar[str] = "owner"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # The creator a ``creator`` member is; empty for every other role.
    influencer = models.ForeignKey(
        "influencers.Influencer", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=(models.Q(role="creator") & models.Q(influencer__isnull=False))
                | (~models.Q(role="creator") & models.Q(influencer__isnull=True)),
                name="membership_creator_has_influencer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class ApiKey(models.Model):
    """An organization's key for integrations. Only a SHA-256 hash of the secret is stored.

    Every key belongs to a person (``created_by``): it acts with the lower of its own role and
    that person's current role in the organization, and stops working when they leave it."""

    organization_path: ClassVar[str] = "organization"
    write_role: ClassVar[str] = "owner"
    view_role: ClassVar[str] = "owner"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=10, choices=TEAM_ROLE_CHOICES, default=Role.VIEWER)
    prefix = models.CharField(
        max_length=16, db_index=True, help_text=_("Shown to identify the key.")
    )
    hashed_key = models.CharField(max_length=64, unique=True)
    # A key without a person would outlive every member; deleting the person deletes the key.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys",
        verbose_name=_("belongs to"), help_text=_("The member the key acts for."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """A single-use link an owner sends. It expires, can be revoked, and when it names an
    e-mail address only the signed-in user with that address may accept it."""

    organization_path: ClassVar[str] = "organization"
    write_role: ClassVar[str] = "owner"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(
        blank=True,
        help_text=_("Only the user with this address may accept; empty for anyone."),
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # For the ``creator`` role: the creator whose portal the invitation opens.
    influencer = models.ForeignKey(
        "influencers.Influencer", null=True, blank=True, on_delete=models.CASCADE,
        related_name="invitations",
    )
    hashed_token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email or 'anyone'} to {self.organization}"

    def clean(self) -> None:
        """A creator invitation names one of the organization's influencers; no other does."""
        if self.role == Role.CREATOR and self.influencer_id is None:
            raise ValidationError({"influencer": _("A creator invitation names the creator.")})
        if self.influencer_id is not None and self.role != Role.CREATOR:
            raise ValidationError({"influencer": _("Only a creator invitation names a creator.")})
        if self.influencer_id is not None and (
            self.influencer.organization_id != self.organization_id  # type: ignore[union-attr]
        ):
            raise ValidationError({"influencer": _("That creator is not in this organization.")})

    def state(self, now: datetime | None = None) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def is_for(self, email: str) -> bool:
        """Whether a user with ``email`` may accept (any user when the invitation names none)."""
        if not self.email:
            return True
        return bool(email) and email.strip().casefold() == self.email.strip().casefold()


class AuditEntry(models.Model):
    """Append-only record of sensitive changes: who, when, what, from what to what."""

    organization_path: ClassVar[str] = "organization"
    view_role: ClassVar[str] = "owner"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}"
