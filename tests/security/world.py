"""One of every record, for an organization, with a marker in its visible text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from accounts.models import Organization
from metrics.models import (
    ClickDayRollup,
    CommentDayRollup,
    ConversionDayRollup,
    EventKind,
    FunnelChange,
    KpiScope,
    NewVisitorDayRollup,
    PlatformConnection,
    PostDayRollup,
    PostRollupState,
    RollupRebuild,
    VisitDayRollup,
    VisitorFirstSeen,
)
from metrics.services.rollup_rebuild import kpi_rollups_rebuild
from payouts.models import PayoutKind, PayoutLine
from reports.models import (
    DigestDelivery,
    DigestRecipient,
    DigestSchedule,
    DigestSend,
    DigestTrigger,
    ShareLinkView,
)
from reports.services.share_links import share_link_issue
from tests import factories as f


@dataclass
class World:
    organization: Organization
    marker: str
    objects: dict[type[Model], Model] = field(default_factory=dict)

    def __getitem__(self, model: type[Model]) -> Any:
        return self.objects[model]


def build_world(organization: Organization, marker: str) -> World:
    low = marker.lower()
    brand = f.BrandFactory(organization=organization, name=f"{marker} Brand")
    brand_account = f.BrandAccountFactory(brand=brand, handle=f"{low}brand")
    influencer = f.InfluencerFactory(organization=organization, name=f"{marker} Creator")
    social = f.SocialAccountFactory(influencer=influencer, handle=f"{low}handle")
    campaign = f.CampaignFactory(brand=brand, name=f"{marker} Campaign", slug=f"{low}-campaign")
    target = f.KpiTargetFactory(campaign=campaign)
    partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer)
    post = f.PostFactory(
        partnership=partnership, social_account=social, caption=f"{marker} caption"
    )
    code = f.PromoCodeFactory(partnership=partnership, code=f"{marker}CODE")
    link = f.TrackingLinkFactory(partnership=partnership, utm_content=low)
    cost = f.CostFactory(campaign=campaign, note=f"{marker} cost")
    comment = f.CommentFactory(post=post, text=f"{marker} comment")
    metrics = f.PostMetricsFactory(post=post)
    snapshot = f.FollowerSnapshotFactory(brand_account=brand_account)
    click = f.ClickFactory(link=link)
    visit = f.VisitFactory(brand=brand, visitor_id=f"{low}-visitor", external_id=f"{low}-visit",
                           partnership=partnership, attribution="manual")
    conversion = f.ConversionFactory(
        brand=brand, external_id=f"{marker}-order", kind=EventKind.SALE,
        partnership=partnership, attribution="manual",
    )
    refund = f.RefundFactory(conversion=conversion)
    emv = f.EmvRateFactory(organization=organization)
    key = f.ApiKeyFactory(organization=organization, name=f"{marker} key")
    invitation = f.InvitationFactory(organization=organization, email=f"{low}@example.com")
    audit = f.AuditEntryFactory(organization=organization, object_repr=f"{marker} audit")
    delivery = f.WebhookDeliveryFactory(brand=brand)
    kpis = f.KpiSnapshotFactory(campaign=campaign, scope=KpiScope.TOTAL)
    connection = PlatformConnection.objects.create(
        organization=organization, social_account=social, platform=social.platform,
        external_account_id=f"{low}-ext",
    )
    membership = organization.memberships.first()
    payout = PayoutLine.objects.create(
        partnership=partnership, kind=PayoutKind.FEE, amount="250.00",
        description=f"{marker} payout",
    )
    world = World(organization=organization, marker=marker)
    for obj in (
        brand, brand_account, influencer, social, campaign, target, partnership, post, code, link,
        cost, comment, metrics, snapshot, click, visit, conversion, refund, emv, key, invitation,
        audit, delivery, kpis, connection, membership, payout,
    ):
        world.objects[type(obj)] = obj
    # The KPI rollups the snapshot, comment, click, visit and order above were counted in, and
    # a funnel change waiting for the next recompute.
    kpi_rollups_rebuild(campaign_id=campaign.pk)
    for model in (ClickDayRollup, CommentDayRollup, PostDayRollup, PostRollupState,
                  RollupRebuild, ConversionDayRollup, VisitDayRollup, VisitorFirstSeen,
                  NewVisitorDayRollup):
        world.objects[model] = model.objects.filter(campaign=campaign).first()
    world.objects[FunnelChange] = FunnelChange.objects.create(partnership=partnership)
    _client_reports(world, campaign, marker)
    _workflow(world, partnership, post, marker)
    return world


def _client_reports(world: World, campaign: Any, marker: str) -> None:
    """A share link (opened once) and a digest with one recipient, sent once."""
    share_link, _ = share_link_issue(campaign=campaign, label=f"{marker} share link")
    schedule = DigestSchedule.objects.create(campaign=campaign)
    recipient = DigestRecipient.objects.create(
        schedule=schedule, email=f"{marker.lower()}-client@example.com"
    )
    send = DigestSend.objects.create(
        schedule=schedule, trigger=DigestTrigger.MANUAL, slot=timezone.now(),
        share_link=share_link,
    )
    for obj in (
        share_link, ShareLinkView.objects.create(share_link=share_link), schedule, recipient,
        send, DigestDelivery.objects.create(send=send, recipient=recipient, email=recipient.email),
    ):
        world.objects[type(obj)] = obj


def _workflow(world: World, partnership: Any, post: Any, marker: str) -> None:
    """A brief version sent to the partnership with an attachment, a deliverable with a
    reviewed draft, and the live post's caption check."""
    from content.models import (
        Brief,
        BriefAttachment,
        BriefSend,
        BriefVersion,
        Deliverable,
        Draft,
        DraftReview,
        PostCheck,
    )

    brief = Brief.objects.create(campaign=partnership.campaign)
    version = BriefVersion.objects.create(brief=brief, number=1, goal=f"{marker} goal")
    deliverable = Deliverable.objects.create(
        partnership=partnership, platform=post.platform, format="reel",
        due_date=timezone.localdate(), fee_share=0, status="changes_requested",
    )
    draft = Draft.objects.create(deliverable=deliverable, number=1, status="changes_requested",
                                 caption=f"{marker} draft", link="https://drive.example/d")
    for obj in (
        brief, version, deliverable, draft,
        BriefAttachment.objects.create(version=version, name=f"{marker}.pdf", size=5,
                                       content_type="application/pdf", data=b"%PDF-"),
        BriefSend.objects.create(version=version, partnership=partnership),
        DraftReview.objects.create(draft=draft, decision="request_changes",
                                   comment=f"{marker} review"),
        PostCheck.objects.create(post=post, passed=True),
    ):
        world.objects[type(obj)] = obj
