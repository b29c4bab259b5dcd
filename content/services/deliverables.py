"""A partnership's deliverables: their fee shares, their statuses and the live posts that
deliver them.

Statuses move only forward along ``planned → draft_submitted → changes_requested →
draft_submitted … → approved → live → verified``; every move is audited and announced with
``deliverable_status_changed`` (the payouts ledger accrues a fee share at its milestone)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access
from accounts.writes import (
    apply_changes,
    ensure_in_organization,
    require_role_for_fields,
    require_write,
)
from campaigns.models import Partnership, Post
from campaigns.selectors import compensation_role
from content.models import Deliverable, DeliverableStatus
from content.signals import deliverable_status_changed

S = DeliverableStatus
NEXT: dict[str, tuple[str, ...]] = {
    S.PLANNED: (S.DRAFT_SUBMITTED,),
    S.DRAFT_SUBMITTED: (S.CHANGES_REQUESTED, S.APPROVED),
    S.CHANGES_REQUESTED: (S.DRAFT_SUBMITTED,),
    S.APPROVED: (S.LIVE,),
    S.LIVE: (S.VERIFIED,),
    S.VERIFIED: (),
}
MONEY_FIELDS = ("fee_share",)


def transition_error(current: str, new: str) -> ValidationError:
    return ValidationError({"status": _(
        "A deliverable cannot go from “%(current)s” to “%(new)s”."
    ) % {"current": S(current).label, "new": S(new).label}})


def set_status(
    *, access: Access | None, deliverable: Deliverable, status: str, reason: str = ""
) -> Deliverable:
    """Move the deliverable one step along its statuses (else a ValidationError on
    ``status``), audit it and tell the listeners. ``access`` None: the system (a recompute)."""
    if status not in S.values:
        raise ValidationError({"status": _("Not a deliverable status.")})
    current = deliverable.status
    if status == current:
        return deliverable
    if status not in NEXT[current]:
        raise transition_error(current, status)
    deliverable.status = status
    deliverable.save(update_fields=["status", "updated_at"])
    audit_record(
        access=access, organization=deliverable.partnership.campaign.brand.organization,
        action="deliverable.status_changed", obj=deliverable,
        changes={"status": [current, status], **({"reason": reason} if reason else {})},
    )
    deliverable_status_changed.send(sender=Deliverable, deliverable=deliverable, status=status)
    return deliverable


def _check_fee_shares(partnership: Partnership, fee_share: Decimal, exclude: int | None) -> None:
    # Locks the partnership: two deliverables added at once cannot both fit the same room.
    fee = Partnership.objects.select_for_update().values_list("fee", flat=True).get(
        pk=partnership.pk
    )
    others = Deliverable.objects.filter(partnership_id=partnership.pk)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = others.aggregate(total=Sum("fee_share"))["total"] or Decimal("0")
    if taken + (fee_share or Decimal("0")) > fee:
        raise ValidationError({"fee_share": _(
            "The deliverables' fee shares would add up to %(total)s, more than the "
            "partnership's fee of %(fee)s."
        ) % {"total": taken + fee_share, "fee": fee}})


@transaction.atomic
def deliverable_create(*, access: Access, partnership: Partnership, **fields: Any) -> Deliverable:
    require_write(access, Deliverable)
    ensure_in_organization(access, partnership)
    status = fields.pop("status", S.PLANNED)
    if status != S.PLANNED:
        raise ValidationError({"status": _("A new deliverable starts as planned.")})
    fields.pop("posts", None)
    if fields.get("fee_share"):
        require_role_for_fields(access, ["fee_share"], MONEY_FIELDS, compensation_role())
    deliverable = Deliverable(**fields, partnership=partnership)
    deliverable.full_clean()
    _check_fee_shares(partnership, deliverable.fee_share, None)
    deliverable.save()
    audit_record(
        access=access, organization=access.organization, action="deliverable.created",
        obj=deliverable, changes={"partnership": partnership.pk,
                                  "fee_share": str(deliverable.fee_share)},
    )
    return deliverable


@transaction.atomic
def deliverable_update(*, access: Access, deliverable: Deliverable, **changes: Any) -> Deliverable:
    """Change what is due; ``status`` moves one step at a time (see ``NEXT``)."""
    require_write(access, Deliverable)
    ensure_in_organization(access, deliverable, changes.get("partnership"))
    changes.pop("posts", None)
    status = changes.pop("status", None)
    if "fee_share" in changes and changes["fee_share"] != deliverable.fee_share:
        require_role_for_fields(access, ["fee_share"], MONEY_FIELDS, compensation_role())
    partnership = changes.get("partnership", deliverable.partnership)
    diff = apply_changes(deliverable, changes)
    if {"fee_share", "partnership"} & set(diff):
        _check_fee_shares(partnership, deliverable.fee_share, deliverable.pk)
    if diff:
        audit_record(
            access=access, organization=access.organization, action="deliverable.changed",
            obj=deliverable, changes=diff,
        )
    if status is not None:
        set_status(access=access, deliverable=deliverable, status=status)
    return deliverable


@transaction.atomic
def deliverable_delete(*, access: Access, deliverable: Deliverable) -> None:
    require_write(access, Deliverable, "delete")
    ensure_in_organization(access, deliverable)
    audit_record(
        access=access, organization=access.organization, action="deliverable.deleted",
        obj=deliverable, changes={"partnership": deliverable.partnership_id,
                                  "status": deliverable.status},
    )
    deliverable.delete()


@transaction.atomic
def deliverable_link_post(*, access: Access, deliverable: Deliverable, post: Post) -> Deliverable:
    """Link a live post of the partnership to the approved deliverable it delivers (it goes
    live) and check the post's caption against the brief."""
    from content.services.post_checks import post_check_run

    require_write(access, Deliverable)
    ensure_in_organization(access, deliverable, post)
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if post.partnership_id != deliverable.partnership_id:
        raise ValidationError({"post": _("The post is not one of this partnership's.")})
    if deliverable.status not in (S.APPROVED, S.LIVE):
        raise ValidationError({"status": _(
            "Only an approved deliverable goes live; this one is “%(status)s”."
        ) % {"status": deliverable.get_status_display()}})
    if deliverable.posts.count() >= deliverable.quantity and not deliverable.posts.filter(
        pk=post.pk
    ).exists():
        raise ValidationError({"post": _("This deliverable already has all its posts.")})
    deliverable.posts.add(post)
    post_check_run(post=post)
    audit_record(
        access=access, organization=access.organization, action="deliverable.post_linked",
        obj=deliverable, changes={"post": post.pk},
    )
    set_status(access=access, deliverable=deliverable, status=S.LIVE)
    return deliverable
