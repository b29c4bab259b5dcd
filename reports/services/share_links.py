"""Writes of share links: made by an admin (page or API) or by a digest, revoked by an admin,
and every opening counted (when and in which form, never who)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.keys import hash_key
from accounts.models import User
from accounts.selectors import Access
from accounts.services import person_of
from accounts.writes import ensure_in_organization, require_write
from campaigns.models import Campaign
from reports.models import ShareLink, ShareLinkView

# 32 random bytes: 256 bits, far above the 128 a guess would need to beat.
TOKEN_BYTES = 32


def share_link_issue(
    *, campaign: Campaign, label: str = "", expires_at: datetime | None = None,
    show_costs: bool = False, created_by: User | None = None,
) -> tuple[ShareLink, str]:
    """A new link and its token (returned once; only its hash is stored). No permission check:
    the callers are ``share_link_create`` and the digest, which has already been allowed."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(
        campaign=campaign, label=label, token_hash=hash_key(token), token_hint=token[-4:],
        show_costs=show_costs, expires_at=expires_at, created_by=created_by,
    )
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def share_link_create(
    *, access: Access, campaign: Campaign, label: str = "", expires_at: datetime | None = None,
    show_costs: bool = False,
) -> tuple[ShareLink, str]:
    """Share the campaign's report (admins and owners). Returns the link and its token."""
    require_write(access, ShareLink)
    ensure_in_organization(access, campaign)
    link, token = share_link_issue(
        campaign=campaign, label=label, expires_at=expires_at, show_costs=show_costs,
        created_by=person_of(access),
    )
    audit_record(
        access=access, organization=access.organization, action="share_link.created", obj=link,
        changes={"campaign": campaign.name, "show_costs": show_costs,
                 "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, access: Access, share_link: ShareLink) -> ShareLink:
    """Stop the link from opening anything (admins and owners); revoking twice is harmless."""
    require_write(access, ShareLink)
    ensure_in_organization(access, share_link)
    updated = ShareLink.objects.filter(pk=share_link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    share_link.refresh_from_db(fields=["revoked_at"])
    if updated:
        audit_record(
            access=access, organization=access.organization, action="share_link.revoked",
            obj=share_link, changes={"campaign": share_link.campaign.name},
        )
    return share_link


@transaction.atomic
def share_link_delete(*, access: Access, share_link: ShareLink) -> None:
    """Remove the link and its view counts (admins and owners); it opens nothing afterwards."""
    require_write(access, ShareLink, "delete")
    ensure_in_organization(access, share_link)
    audit_record(
        access=access, organization=access.organization, action="share_link.deleted",
        obj=share_link, changes={"campaign": share_link.campaign.name},
    )
    share_link.delete()


def share_link_viewed(*, share_link: ShareLink, kind: str = ShareLinkView.Kind.PAGE) -> None:
    """Count one opening of a live link."""
    ShareLinkView.objects.create(share_link=share_link, kind=kind)
