"""The portal's world: two creators of one organization working on the same campaign (Priya,
signed in, and Maya, the other creator), and a creator of another organization. Each has a
partnership with a brief sent, deliverables, drafts with reviews, codes, links, KPIs computed
by the engine and payout lines; the campaign has costs. Names and figures are distinctive, so
a page showing someone else's can be caught by looking for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from campaigns.models import Partnership, PartnershipStatus
from content.models import (
    Brief,
    BriefAttachment,
    BriefSend,
    BriefVersion,
    Deliverable,
    DeliverableFormat,
    DeliverableStatus,
    Draft,
    DraftReview,
    DraftStatus,
    ReviewDecision,
)
from influencers.models import Platform
from metrics.engine import kpis_recompute
from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from tests import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% a brief\n"
CAMPAIGN_COST = Decimal("9876.54")  # a cost of the campaign: never on a portal page
OTHER_FEE = Decimal("4321.00")      # the other creator's fee
OWN_FEE = Decimal("2468.00")        # the partnership's fee (the ledger says what is owed)


@dataclass
class Creator:
    user: User
    influencer: Any
    partnership: Partnership
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


def make_creator(organization: Any, campaign: Any, name: str, tag: str, *,
                 fee: Decimal, version: BriefVersion) -> Creator:
    low = tag.lower()
    influencer = f.InfluencerFactory(organization=organization, name=name)
    user = f.UserFactory(username=f"{low}-creator", email=f"{low}@example.com")
    f.MembershipFactory(organization=organization, user=user, role=Role.CREATOR,
                        influencer=influencer)
    partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer, fee=fee,
                                       status=PartnershipStatus.CONTRACTED)
    post = f.PostFactory(partnership=partnership, caption=f"{tag} caption #ad")
    f.PostMetricsFactory(post=post, impressions=12_345, reach=9_876)
    link = f.TrackingLinkFactory(partnership=partnership, utm_content=low)
    for _ in range(3):
        f.ClickFactory(link=link)
    code = f.PromoCodeFactory(partnership=partnership, code=f"{tag}15")
    f.ConversionFactory(brand=campaign.brand, partnership=partnership, attribution="manual",
                        amount=Decimal("250.00"), external_id=f"{low}-order")
    BriefSend.objects.create(partnership=partnership, version=version)
    today = timezone.localdate()
    late = Deliverable.objects.create(
        partnership=partnership, platform=Platform.INSTAGRAM, format=DeliverableFormat.REEL,
        due_date=today - dt.timedelta(days=2), fee_share=Decimal("300.00"),
        status=DeliverableStatus.CHANGES_REQUESTED,
    )
    upcoming = Deliverable.objects.create(
        partnership=partnership, platform=Platform.TIKTOK, format=DeliverableFormat.VIDEO,
        due_date=today + dt.timedelta(days=5), fee_share=Decimal("200.00"),
    )
    draft = Draft.objects.create(
        deliverable=late, number=1, caption=f"{tag} first take", status=DraftStatus.CHANGES_REQUESTED,
        findings=[{"rule": "disclosure_missing", "detail": "#ad"}],
        media=PNG, media_name=f"{low}.png", media_content_type="image/png", media_size=len(PNG),
    )
    DraftReview.objects.create(draft=draft, decision=ReviewDecision.REQUEST_CHANGES,
                               comment=f"{tag} please add #ad at the start")
    line = PayoutLine.objects.create(
        partnership=partnership, kind=PayoutKind.FEE, description=f"{tag} fee share",
        amount=Decimal("150.00"), currency=campaign.currency, status=PayoutStatus.APPROVED,
    )
    return Creator(user=user, influencer=influencer, partnership=partnership, objects={
        "post": post, "link": link, "code": code, "late": late, "upcoming": upcoming,
        "draft": draft, "line": line,
    })


def brief_version(campaign: Any, number: int, goal: str, attachment: str) -> BriefVersion:
    brief, _ = Brief.objects.get_or_create(campaign=campaign)
    version = BriefVersion.objects.create(
        brief=brief, number=number, goal=goal, key_messages=f"{goal} messages",
        required_hashtags=["#glowup"], disclosure_tags=["#ad"],
    )
    BriefAttachment.objects.create(version=version, name=attachment, content_type="application/pdf",
                                   size=len(PDF), data=PDF)
    return version


@dataclass
class PortalWorld:
    priya: Creator
    maya: Creator
    rival: Creator
    prospect: Partnership
    v1: BriefVersion
    v2: BriefVersion


@pytest.fixture
def portal(team, outsider_team) -> PortalWorld:
    organization = team.organization
    brand = f.BrandFactory(organization=organization, name="Glow")
    campaign = f.CampaignFactory(brand=brand, name="Vitamin C launch", slug="vitamin-c")
    f.CostFactory(campaign=campaign, amount=CAMPAIGN_COST, note="Studio hire")
    v1 = brief_version(campaign, 1, "Sent-to-Priya goal", "moodboard.pdf")
    v2 = brief_version(campaign, 2, "MAYAONLY goal", "mayaonly.pdf")
    priya = make_creator(organization, campaign, "Priya Raman", "PRIYA", fee=OWN_FEE, version=v1)
    maya = make_creator(organization, campaign, "Maya Chen", "MAYA", fee=OTHER_FEE, version=v2)
    # Priya on the team's shortlist of another campaign: not hers to see yet.
    other = f.CampaignFactory(brand=brand, name="SHORTLIST campaign", slug="shortlist")
    prospect = f.PartnershipFactory(campaign=other, influencer=priya.influencer,
                                    status=PartnershipStatus.PROSPECT)
    rival_brand = f.BrandFactory(organization=outsider_team.organization, name="Rival")
    rival_campaign = f.CampaignFactory(brand=rival_brand, name="RIVAL campaign", slug="rival")
    rival_version = brief_version(rival_campaign, 1, "RIVAL goal", "rival.pdf")
    rival = make_creator(outsider_team.organization, rival_campaign, "Rival Creator", "RIVAL",
                         fee=Decimal("999.00"), version=rival_version)
    for c in (campaign, rival_campaign):
        kpis_recompute(campaign_id=c.pk)
    return PortalWorld(priya=priya, maya=maya, rival=rival, prospect=prospect, v1=v1, v2=v2)


def portal_urls(creator: Creator) -> dict[str, str]:
    """Every portal URL carrying one of ``creator``'s ids."""
    attachment = BriefAttachment.objects.filter(
        version__sends__partnership=creator.partnership
    ).first()
    assert attachment is not None
    return {
        "partnership": reverse("portal:partnership", args=[creator.partnership.pk]),
        "deliverable": reverse("portal:deliverable", args=[creator["late"].pk]),
        "upcoming": reverse("portal:deliverable", args=[creator["upcoming"].pk]),
        "attachment": reverse("portal:attachment", args=[attachment.pk]),
        "draft_media": reverse("portal:draft_media", args=[creator["draft"].pk]),
        "link_qr": reverse("portal:link_qr", args=[creator["link"].pk]),
    }
