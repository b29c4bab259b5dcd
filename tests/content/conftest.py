"""A campaign with two creators' partnerships, a brief and a deliverable each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Role, User
from accounts.selectors import Access
from campaigns.models import Partnership
from content.models import BriefVersion, Deliverable
from tests import factories as f
from tests.content import factories as cf


@dataclass
class Flow:
    partnership: Partnership
    other: Partnership
    version: BriefVersion
    deliverable: Deliverable
    others_deliverable: Deliverable
    creator: User

    @property
    def creator_access(self) -> Access:
        membership = self.creator.memberships.get()
        return Access(organization=membership.organization, role=Role.CREATOR,
                      user=self.creator, influencer_id=membership.influencer_id)


@pytest.fixture
def flow(team, creator_member) -> Flow:
    campaign = f.CampaignFactory(brand__organization=team.organization, name="Glow")
    partnership = f.PartnershipFactory(campaign=campaign, fee=Decimal("500.00"))
    other = f.PartnershipFactory(campaign=campaign, fee=Decimal("300.00"))
    version = cf.BriefVersionFactory(
        brief__campaign=campaign, number=1, required_hashtags=["#GlowUp"],
        required_mentions=["@lumiskin"], forbidden_words=["cure"],
    )
    cf.BriefSendFactory(version=version, partnership=partnership)
    deliverable = cf.DeliverableFactory(partnership=partnership, fee_share=Decimal("200.00"))
    others = cf.DeliverableFactory(partnership=other, fee_share=Decimal("100.00"))
    creator = creator_member(team.organization, partnership.influencer)
    return Flow(partnership, other, version, deliverable, others, creator)
