"""Reads of e-mail digests: the campaign's schedule, recipients and log of sends (through the
permission checkpoint), and a recipient by their unsubscribe token (the public page's only
way in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.selectors import Access, get_object_for, visible
from campaigns.models import Campaign
from reports.digest_email import recipient_id_from
from reports.models import DigestDelivery, DigestRecipient, DigestSchedule, DigestSend
from reports.schedule import Timing, next_slot

LOG_LENGTH = 20


def digest_schedule_for(access: Access, campaign: Campaign) -> DigestSchedule | None:
    """The campaign's schedule if ``access`` may see it (managers and up), else None."""
    return visible(access, DigestSchedule).filter(campaign=campaign).first()


def digest_recipients_of(access: Access, schedule: DigestSchedule) -> QuerySet[DigestRecipient]:
    return visible(access, DigestRecipient).filter(schedule=schedule)


def digest_sends_of(access: Access, schedule: DigestSchedule) -> list[DigestSend]:
    """The latest sends, newest first, each with its deliveries (two queries in all)."""
    return list(
        visible(access, DigestSend).filter(schedule=schedule)
        .order_by("-created_at", "-pk")
        .prefetch_related(
            Prefetch("deliveries", queryset=DigestDelivery.objects.order_by("email"))
        )[:LOG_LENGTH]
    )


def digest_recipient_for(access: Access, pk: Any, *, action: str = "view") -> DigestRecipient:
    return get_object_for(
        access, DigestRecipient, pk, action=action,  # type: ignore[arg-type]
        queryset=DigestRecipient.objects.select_related("schedule"),
    )


def next_digest_at(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """When the next digest goes out (UTC), or None while the schedule is paused."""
    if not schedule.is_active:
        return None
    zone = schedule.campaign.brand.organization.tzinfo
    return next_slot(Timing.of(schedule), zone, max(now, schedule.effective_from))


def recipient_by_token(token: str) -> DigestRecipient | None:
    """The recipient an unsubscribe token was signed for, with the campaign; None when the
    token is forged or the recipient is gone."""
    recipient_id = recipient_id_from(token)
    if recipient_id is None:
        return None
    return (
        DigestRecipient.objects.select_related("schedule__campaign__brand__organization")
        .filter(pk=recipient_id).first()
    )
