"""What the workflow page tests share: a campaign with a partnership in the team's
organisation, a creator member bound to its influencer, and every page route with an id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from accounts.models import Role, User
from campaigns.models import Campaign, Partnership, Post
from content.models import BriefAttachment, BriefVersion, Deliverable, DeliverableStatus, Draft
from tests import factories
from tests.content import factories as cf

PAST = dt.date(2020, 1, 6)  # a due date long gone: late unless delivered
FUTURE = dt.date(2099, 1, 6)
f: Any = factories


@dataclass
class Setup:
    campaign: Campaign
    partnership: Partnership
    post: Post
    version: BriefVersion
    attachment: BriefAttachment
    deliverable: Deliverable
    draft: Draft


def build(organization: Any) -> Setup:
    """One of each record the pages show, in ``organization``."""
    brand = f.BrandFactory(organization=organization, currency="EUR")
    campaign = f.CampaignFactory(brand=brand, name="Vitamin C launch")
    influencer = f.InfluencerFactory(organization=organization, name="Priya Raman")
    partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer, fee="1000.00")
    post = f.PostFactory(partnership=partnership, caption="Morning routine, no disclosure")
    version = cf.BriefVersionFactory(brief__campaign=campaign, number=1)
    attachment = cf.BriefAttachmentFactory(version=version)
    deliverable = cf.DeliverableFactory(
        partnership=partnership, due_date=FUTURE, status=DeliverableStatus.DRAFT_SUBMITTED
    )
    draft = cf.DraftFactory(
        deliverable=deliverable, number=1, caption="Loving this serum",
        findings=[{"rule": "disclosure_missing", "detail": "#ad, #sponsored, #partner"}],
    )
    return Setup(campaign, partnership, post, version, attachment, deliverable, draft)


def creator_of(setup: Setup) -> User:
    """A ``creator`` member of the organisation bound to the partnership's influencer."""
    user = f.UserFactory()
    f.MembershipFactory(
        organization=setup.campaign.brand.organization, user=user, role=Role.CREATOR,
        influencer=setup.partnership.influencer,
    )
    return user


def staff_urls(s: Setup) -> list[tuple[str, str]]:
    """(method, url) of every workflow page of the team."""
    return [
        ("get", reverse("content:brief", args=[s.campaign.pk])),
        ("post", reverse("content:brief", args=[s.campaign.pk])),
        ("post", reverse("content:attachment_add", args=[s.version.pk])),
        ("post", reverse("content:brief_send", args=[s.version.pk])),
        ("get", reverse("content:attachment_download", args=[s.attachment.pk])),
        ("post", reverse("content:attachment_delete", args=[s.attachment.pk])),
        ("get", reverse("content:deliverables", args=[s.partnership.pk])),
        ("post", reverse("content:deliverables", args=[s.partnership.pk])),
        ("get", reverse("content:deliverable_edit", args=[s.deliverable.pk])),
        ("post", reverse("content:deliverable_edit", args=[s.deliverable.pk])),
        ("post", reverse("content:deliverable_delete", args=[s.deliverable.pk])),
        ("post", reverse("content:deliverable_link_post", args=[s.deliverable.pk])),
        ("get", reverse("content:review_queue", args=[s.campaign.pk])),
        ("get", reverse("content:draft", args=[s.draft.pk])),
        ("post", reverse("content:draft_decide", args=[s.draft.pk])),
        ("get", reverse("content:draft_media", args=[s.draft.pk])),
    ]
