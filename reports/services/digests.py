"""Writes of scheduled e-mail digests: the schedule and its recipients (admins and owners),
"send now", the beat's claim of due slots, and a recipient's own unsubscribe.

A digest is a ``DigestSend`` with one ``DigestDelivery`` per recipient, created together when
the digest is claimed; ``reports.services.digest_delivery.digest_deliver`` then builds and
sends it. A scheduled slot is claimed by inserting its row: the unique (schedule, slot)
constraint turns a second beat's insert into an ``IntegrityError``, so two beats never both
send.

Unsubscribing is the recipient's choice, and it sticks: an unsubscribed address stays listed
(it is never removed, so it cannot be quietly re-added) and an admin cannot add it back; the
recipient can subscribe again from the link in any digest they received.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access
from accounts.writes import apply_changes, ensure_in_organization, require_write
from campaigns.models import Campaign, CampaignStatus
from reports.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestRecipient,
    DigestSchedule,
    DigestSend,
    DigestTrigger,
)
from reports.schedule import Timing, latest_slot

SCHEDULE_FIELDS = frozenset({"frequency", "weekday", "day_of_month", "hour", "is_active"})
# A beat that was down (a deploy, an outage) still sends a slot it missed by less than this;
# a digest later than a day is stale, and the next slot comes soon enough.
LATE_LIMIT = timedelta(hours=24)
# "Send now" is refused while a digest of the campaign is still being sent, unless that one is
# older than this (its task was lost): a double click must not mail everyone twice.
IN_PROGRESS_WINDOW = timedelta(hours=1)
IN_PROGRESS = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
# Well past the last retry (about 31 minutes of backoff after the first attempt).
STALLED_AFTER = timedelta(hours=2)


def schedule_of(campaign: Campaign) -> DigestSchedule | None:
    return DigestSchedule.objects.filter(campaign=campaign).first()


@transaction.atomic
def digest_schedule_save(*, access: Access, campaign: Campaign, **fields: Any) -> DigestSchedule:
    """Create or change the campaign's schedule (admins and owners). A new or changed timing
    takes effect from its next slot (``effective_from``)."""
    require_write(access, DigestSchedule)
    ensure_in_organization(access, campaign)
    unknown = set(fields) - SCHEDULE_FIELDS
    if unknown:
        raise TypeError(f"Not schedule fields: {', '.join(sorted(unknown))}")
    schedule, created = DigestSchedule.objects.select_for_update().get_or_create(
        campaign=campaign
    )
    diff = apply_changes(schedule, fields)
    if created or diff:
        schedule.effective_from = timezone.now()
        schedule.save(update_fields=["effective_from"])
    audit_record(
        access=access, organization=access.organization,
        action="digest_schedule.created" if created else "digest_schedule.changed",
        obj=schedule, changes={"campaign": campaign.name, **diff},
    )
    return schedule


@transaction.atomic
def digest_schedule_delete(*, access: Access, schedule: DigestSchedule) -> None:
    """Stop and forget the campaign's digest (admins and owners): its recipients and the log of
    what was sent go with it."""
    require_write(access, DigestSchedule, "delete")
    ensure_in_organization(access, schedule)
    audit_record(
        access=access, organization=access.organization, action="digest_schedule.deleted",
        obj=schedule, changes={"campaign": schedule.campaign.name},
    )
    schedule.delete()


def _schedule_or_error(campaign: Campaign) -> DigestSchedule:
    schedule = schedule_of(campaign)
    if schedule is None:
        raise ValidationError(_("Save the digest's schedule first."))
    return schedule


@transaction.atomic
def digest_recipient_add(*, access: Access, campaign: Campaign, email: str) -> DigestRecipient:
    """Add an address (admins and owners); it need not be a member's."""
    require_write(access, DigestRecipient)
    ensure_in_organization(access, campaign)
    schedule = _schedule_or_error(campaign)
    address = BaseUserManager.normalize_email(email.strip())
    existing = schedule.recipients.filter(email__iexact=address).first()
    if existing is not None and existing.unsubscribed_at is not None:
        raise ValidationError(
            {"email": _("%(email)s unsubscribed from this digest; only they can subscribe "
                        "again, from the link in a digest they received.") % {"email": address}}
        )
    if existing is not None:
        raise ValidationError(
            {"email": _("%(email)s already receives this digest.") % {"email": address}}
        )
    recipient = DigestRecipient(schedule=schedule, email=address)
    recipient.full_clean()
    recipient.save()
    audit_record(
        access=access, organization=access.organization, action="digest_recipient.added",
        obj=recipient, changes={"campaign": campaign.name},
    )
    return recipient


@transaction.atomic
def digest_recipient_remove(*, access: Access, recipient: DigestRecipient) -> None:
    """Remove a subscribed address (admins and owners); an unsubscribed one is kept, so that
    it cannot be added back without the recipient's consent."""
    require_write(access, DigestRecipient, "delete")
    ensure_in_organization(access, recipient)
    if recipient.unsubscribed_at is not None:
        raise ValidationError(
            _("This address unsubscribed; it stays listed so nobody can add it back for them.")
        )
    audit_record(
        access=access, organization=access.organization, action="digest_recipient.removed",
        obj=recipient, changes={"email": recipient.email},
    )
    recipient.delete()


def _add_deliveries(send: DigestSend) -> int:
    recipients = send.schedule.recipients.filter(unsubscribed_at__isnull=True)
    rows = [DigestDelivery(send=send, recipient=r, email=r.email) for r in recipients]
    DigestDelivery.objects.bulk_create(rows)
    return len(rows)


def _enqueue(send_id: int) -> None:
    from reports.tasks import deliver_digest  # the task module imports this one

    # robust: the send is committed and listed whatever happens to the enqueue (eagerly run,
    # a transient SMTP failure raises Celery's Retry), so the request still succeeds.
    transaction.on_commit(lambda: deliver_digest.delay(send_id), robust=True)


@transaction.atomic
def digest_send_now(*, access: Access, campaign: Campaign) -> DigestSend:
    """Send the digest at once to every subscribed recipient (admins and owners)."""
    require_write(access, DigestSend)
    ensure_in_organization(access, campaign)
    schedule = _schedule_or_error(campaign)
    now = timezone.now()
    busy = DigestSend.objects.filter(
        schedule=schedule, status__in=IN_PROGRESS, created_at__gte=now - IN_PROGRESS_WINDOW
    )
    if busy.exists():
        raise ValidationError(_("A digest is being sent right now; wait for it to finish."))
    if not schedule.recipients.filter(unsubscribed_at__isnull=True).exists():
        raise ValidationError(_("Add a recipient first: nobody would receive the digest."))
    send = DigestSend.objects.create(schedule=schedule, trigger=DigestTrigger.MANUAL, slot=now)
    count = _add_deliveries(send)
    audit_record(
        access=access, organization=access.organization, action="digest.sent_now", obj=send,
        changes={"campaign": campaign.name, "recipients": count},
    )
    _enqueue(send.pk)
    return send


def digest_slot_claim(schedule: DigestSchedule, slot: datetime) -> DigestSend | None:
    """The new send of a scheduled slot with its deliveries, or None when the slot is already
    claimed (by an earlier run or a second beat: the unique constraint decides)."""
    try:
        with transaction.atomic():  # a savepoint: a lost race rolls back only this insert
            send = DigestSend.objects.create(
                schedule=schedule, trigger=DigestTrigger.SCHEDULE, slot=slot
            )
            _add_deliveries(send)
    except IntegrityError:
        return None
    return send


def digests_stalled(now: datetime) -> list[int]:
    """Sends still open long after every retry should have run: their retry was lost (a broker
    flushed, a worker killed between attempts). The beat gives each one last attempt, which
    marks whatever it cannot send as failed, so no digest stays "retrying" for ever."""
    return list(
        DigestSend.objects.filter(status__in=IN_PROGRESS, created_at__lt=now - STALLED_AFTER)
        .order_by("pk").values_list("pk", flat=True)[:100]
    )


def digests_due(now: datetime) -> list[int]:
    """Claim every active schedule's latest slot that is due, not yet claimed, not before the
    schedule took effect and less than ``LATE_LIMIT`` late; return the new sends' ids (the
    caller enqueues their delivery)."""
    schedules = list(
        DigestSchedule.objects.filter(
            is_active=True, recipients__unsubscribed_at__isnull=True,
        )
        .exclude(campaign__status=CampaignStatus.ARCHIVED)
        .select_related("campaign__brand__organization")
        .distinct()
    )
    # One read of the slots already claimed, rather than an insert that fails every run.
    claimed = set(
        DigestSend.objects.filter(
            trigger=DigestTrigger.SCHEDULE, slot__gte=now - LATE_LIMIT - timedelta(days=1)
        ).values_list("schedule_id", "slot")
    )
    new_ids = []
    for schedule in schedules:
        zone = schedule.campaign.brand.organization.tzinfo
        slot = latest_slot(Timing.of(schedule), zone, now)
        if slot < schedule.effective_from or now - slot > LATE_LIMIT:
            continue
        if (schedule.pk, slot) in claimed:
            continue
        send = digest_slot_claim(schedule, slot)
        if send is not None:
            new_ids.append(send.pk)
    return new_ids


def digest_unsubscribe(*, recipient: DigestRecipient) -> bool:
    """The recipient's own unsubscribe (the signed link is the authority); True if it changed
    anything. Deliveries not yet sent to them are dropped when their digest is sent."""
    changed = DigestRecipient.objects.filter(
        pk=recipient.pk, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    recipient.refresh_from_db(fields=["unsubscribed_at"])
    if changed:
        _audit_recipient(recipient, "digest_recipient.unsubscribed")
    return bool(changed)


def digest_resubscribe(*, recipient: DigestRecipient) -> bool:
    """The recipient subscribes again from their link; True if it changed anything."""
    changed = DigestRecipient.objects.filter(
        pk=recipient.pk, unsubscribed_at__isnull=False
    ).update(unsubscribed_at=None)
    recipient.refresh_from_db(fields=["unsubscribed_at"])
    if changed:
        _audit_recipient(recipient, "digest_recipient.resubscribed")
    return bool(changed)


def _audit_recipient(recipient: DigestRecipient, action: str) -> None:
    audit_record(
        access=None, organization=recipient.schedule.campaign.brand.organization,
        action=action, obj=recipient, changes={"email": recipient.email},
    )
