"""The partnership workflow in a demo (the spec's ``brief``): the campaign's brief in two
versions, each committed partnership's deliverables moved along their statuses — drafts
submitted and reviewed, approved ones delivered by the partnership's live posts — and, once the
KPI recompute has accrued the product and commission lines, two ledger lines approved and one
marked paid (``demo_payouts_settle``, which ``seed_demo`` calls after the recompute).

Every write goes through the content and payouts services, as the demo owner (the creator
login's drafts as that creator), so the audit log, the caption findings and the ledger (fee
lines accrue from ``deliverable_status_changed``) come out as in real use. Texts are written
in the demo's language, so the ledger's descriptions are too.

``content`` and ``payouts`` import ``metrics`` (their receivers listen to the KPI engine), so
they are imported inside the functions here: ``metrics`` does not import them at load time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Membership, Organization, Role, User
from accounts.selectors import Access
from campaigns.models import COMMITTED_STATUSES, Campaign, Partnership, Post, PromoCode
from metrics.demo.context import DemoContext
from metrics.demo.spec import BriefPlan, DeliverablePlan, DemoSpec

if TYPE_CHECKING:
    from content.models import BriefVersion


def seed_workflow(ctx: DemoContext, *, owner: User) -> None:
    """The brief (version 1 sent to one creator, version 2 to every committed partnership),
    then the deliverables in the spec's order. Draws draft links from the generator, after
    every other step."""
    plan = ctx.spec.brief
    if plan is None:
        return
    access = Access(organization=ctx.org, role=Role.OWNER, user=owner)
    campaign = next(c for c in ctx.campaigns if c.stage == plan.stage)
    partnerships = list(
        Partnership.objects.filter(campaign=campaign, status__in=COMMITTED_STATUSES)
        .select_related("influencer").order_by("pk")
    )
    by_creator = {p.influencer.name: p for p in partnerships}
    with translation.override(ctx.spec.default_language or "en"):
        _brief(ctx, access, campaign, plan, partnerships)
        submitters = _creator_accesses(ctx)
        for item in plan.deliverables:
            partnership = by_creator[item.creator]
            _deliverable(ctx, submitters.get(partnership.influencer_id, access), access,
                         partnership, item)


def _brief(ctx: DemoContext, access: Access, campaign: Campaign, plan: BriefPlan,
           partnerships: list[Partnership]) -> list[BriefVersion]:
    from content.services import brief_send, brief_version_create

    spec_plan = ctx.plan(campaign)
    fields = {
        "goal": plan.goal, "dos": plan.dos, "donts": plan.donts,
        "links_and_codes": plan.links_and_codes,
        "required_hashtags": [spec_plan.hashtag],
        "required_mentions": [_handle(ctx, campaign)],
        "forbidden_words": list(plan.forbidden),
        # No disclosure wording: the organization's default set applies (#ad, #sponsored,
        # #partner; with #تبلیغ and its kin where the organization writes Persian).
    }
    versions = []
    for number, key_messages in enumerate(plan.key_messages, start=1):
        version = brief_version_create(
            access=access, campaign=campaign, key_messages=key_messages, **fields
        )
        chosen = (partnerships if number == len(plan.key_messages) else
                  [p for p in partnerships if p.influencer.name == plan.first_sent_to])
        brief_send(access=access, version=version, partnerships=chosen)
        versions.append(version)
    ctx.counts["brief_versions"] += len(versions)
    return versions


def _handle(ctx: DemoContext, campaign: Campaign) -> str:
    """The brand's first handle, as its posts tag it."""
    return ctx.spec.brands[ctx.plan(campaign).brand].accounts[0][1]


def _creator_accesses(ctx: DemoContext) -> dict[int, Access]:
    """The creator login's access, by its influencer: its drafts are its own."""
    memberships = Membership.objects.filter(
        organization=ctx.org, role=Role.CREATOR
    ).select_related("user")
    return {
        m.influencer_id: Access(organization=ctx.org, role=m.role, user=m.user,
                                influencer_id=m.influencer_id)
        for m in memberships if m.influencer_id is not None
    }


def _deliverable(ctx: DemoContext, submitter: Access, reviewer: Access,
                 partnership: Partnership, item: DeliverablePlan) -> None:
    """One deliverable: created as planned, its drafts submitted and reviewed, and, when
    ``live``, delivered by the partnership's post on its platform (due that day)."""
    from content.services import (
        deliverable_create,
        deliverable_link_post,
        draft_review,
        draft_submit,
    )

    post = _delivering_post(partnership, item) if item.live else None
    due = ctx.ago(-item.due_in_days)
    if post is not None and post.published_at is not None:
        due = post.published_at.astimezone(ctx.tz).date()
    deliverable = deliverable_create(
        access=reviewer, partnership=partnership, platform=item.platform, format=item.format,
        due_date=due, fee_share=Decimal(item.fee_share), pay_on=item.pay_on,
    )
    ctx.counts["deliverables"] += 1
    code = PromoCode.objects.filter(partnership=partnership).values_list("code", flat=True)
    words = {"mention": _handle(ctx, partnership.campaign),
             "hashtag": ctx.plan(partnership.campaign).hashtag, "code": code.first() or ""}
    for step in item.drafts:
        draft = draft_submit(
            access=submitter, deliverable=deliverable, caption=step.caption.format(**words),
            link=f"https://share.example/d/{ctx.token(12)}",
        )
        ctx.counts["drafts"] += 1
        if step.decision:
            draft_review(access=reviewer, draft=draft, decision=step.decision,
                         comment=step.comment.format(**words))
            ctx.counts["draft_reviews"] += 1
    if post is not None:
        deliverable_link_post(access=reviewer, deliverable=deliverable, post=post)


def _delivering_post(partnership: Partnership, item: DeliverablePlan) -> Post:
    """The partnership's first post on the deliverable's platform, of its format if it has
    one."""
    posts = list(
        Post.objects.filter(partnership=partnership, platform=item.platform)
        .order_by("published_at", "pk")
    )
    if not posts:
        raise ValueError(f"{partnership} has no {item.platform} post to deliver {item.format}")
    return next((p for p in posts if p.post_type == item.format), posts[0])


def demo_ledger_sync(organization: Organization) -> None:
    """Bring the ledger up to the KPIs just computed. The recompute queues the ledger's own
    task, which a worker may not have run yet; settling here is idempotent (a ledger already
    settled is only read)."""
    from payouts.services.accrual import ledger_sync

    for campaign_id in Campaign.objects.filter(brand__organization=organization).values_list(
        "pk", flat=True
    ):
        ledger_sync(campaign_id=campaign_id)


def demo_payouts_settle(spec: DemoSpec, *, organization: Organization, owner: User,
                        today: dt.date | None = None) -> int:
    """Approve the brief campaign's first two accrued fee lines (by due date) and mark the
    first paid yesterday, by bank transfer, as the owner. Run after the KPI recompute, which
    accrues the product and commission lines. Returns how many lines were approved."""
    from payouts.models import PaymentMethod, PayoutKind, PayoutLine, PayoutStatus
    from payouts.services.approvals import payout_approve_many, payout_mark_paid

    plan = spec.brief
    if plan is None:
        return 0
    today = today or timezone.now().astimezone(zoneinfo.ZoneInfo(spec.time_zone)).date()
    access = Access(organization=organization, role=Role.OWNER, user=owner)
    lines = PayoutLine.objects.filter(
        partnership__campaign__brand__organization=organization,
        partnership__campaign__stage=plan.stage, kind=PayoutKind.FEE,
        status=PayoutStatus.ACCRUED,
    ).order_by("deliverable__due_date", "pk")[:2]
    with translation.override(spec.default_language or "en"), transaction.atomic():
        approved = payout_approve_many(access=access, lines=list(lines))
        if approved:
            payout_mark_paid(
                access=access, line=approved[0], paid_on=today - dt.timedelta(days=1),
                method=PaymentMethod.BANK_TRANSFER, reference=plan.payment_reference,
            )
    return len(approved)
