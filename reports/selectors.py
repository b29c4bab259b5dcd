"""Reads of client reports: share links by token (the public pages' only way in) and by
organisation (the pages and API that manage them)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.keys import hash_key
from accounts.selectors import Access, get_object_for, visible
from campaigns.models import Campaign
from reports.models import ShareLink

# What ``secrets.token_urlsafe(32)`` produces; anything else is no link, without a query.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def share_url(token: str) -> str:
    """The public address a token opens (shown once, when the link is made)."""
    return settings.FUNNELBOARD_BASE_URL.rstrip("/") + reverse("shared_report", args=[token])


def live_share_link(token: str) -> ShareLink:
    """The live link a token opens, with its campaign, brand and organisation; 404 when the
    token is unknown, revoked or expired (all look the same from outside)."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise Http404(_("No such report."))
    link = (
        ShareLink.objects.select_related("campaign__brand__organization")
        .filter(token_hash=hash_key(token), revoked_at__isnull=True)
        .first()
    )
    if link is None or not link.is_live(timezone.now()):
        raise Http404(_("No such report."))
    return link


def share_links_of(access: Access, campaign: Campaign) -> QuerySet[ShareLink]:
    """The campaign's links with their view counts, newest first (admins and owners)."""
    return (
        visible(access, ShareLink).filter(campaign=campaign)
        .select_related("created_by")
        .annotate(view_count=Count("views"), last_viewed_at=Max("views__viewed_at"))
        .order_by("-created_at", "-pk")  # a grouped query drops Meta.ordering
    )


def share_link_for(access: Access, pk: Any, *, action: str = "view") -> ShareLink:
    return get_object_for(
        access, ShareLink, pk, action=action,  # type: ignore[arg-type]
        queryset=ShareLink.objects.select_related("campaign"),
    )
