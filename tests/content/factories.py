"""factory_boy factories of the workflow's records (briefs, deliverables, drafts, checks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

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
    PostCheck,
    ReviewDecision,
)
from influencers.models import Platform
from tests import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


class BriefFactory(factory.django.DjangoModelFactory[Brief]):
    class Meta:
        model = Brief
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(f.CampaignFactory)


class BriefVersionFactory(factory.django.DjangoModelFactory[BriefVersion]):
    class Meta:
        model = BriefVersion

    brief = factory.SubFactory(BriefFactory)
    number = factory.Sequence(lambda n: n + 1)
    goal = "Sales: drive orders through the creator's code."
    key_messages = "Three drops, morning and night."
    disclosure_tags = factory.LazyFunction(list)
    required_hashtags = factory.LazyFunction(list)
    required_mentions = factory.LazyFunction(list)
    forbidden_words = factory.LazyFunction(list)


class BriefAttachmentFactory(factory.django.DjangoModelFactory[BriefAttachment]):
    class Meta:
        model = BriefAttachment

    version = factory.SubFactory(BriefVersionFactory)
    name = "moodboard.pdf"
    content_type = "application/pdf"
    data = PDF
    size = len(PDF)


class BriefSendFactory(factory.django.DjangoModelFactory[BriefSend]):
    class Meta:
        model = BriefSend

    version = factory.SubFactory(BriefVersionFactory)
    partnership = factory.SubFactory(
        f.PartnershipFactory, campaign=factory.SelfAttribute("..version.brief.campaign")
    )


class DeliverableFactory(factory.django.DjangoModelFactory[Deliverable]):
    class Meta:
        model = Deliverable

    partnership = factory.SubFactory(f.PartnershipFactory)
    platform = Platform.INSTAGRAM
    format = DeliverableFormat.REEL
    quantity = 1
    due_date = dt.date(2026, 3, 20)
    fee_share = Decimal("200.00")
    status = DeliverableStatus.PLANNED


class DraftFactory(factory.django.DjangoModelFactory[Draft]):
    class Meta:
        model = Draft

    deliverable = factory.SubFactory(DeliverableFactory)
    number = factory.Sequence(lambda n: n + 1)
    caption = "#ad Three drops, morning and night 💧"
    link = "https://drive.example/draft.mp4"
    findings = factory.LazyFunction(list)


class DraftReviewFactory(factory.django.DjangoModelFactory[DraftReview]):
    class Meta:
        model = DraftReview

    draft = factory.SubFactory(DraftFactory)
    decision = ReviewDecision.REQUEST_CHANGES
    comment = "Move #ad to the start, please."


class PostCheckFactory(factory.django.DjangoModelFactory[PostCheck]):
    class Meta:
        model = PostCheck

    post = factory.SubFactory(f.PostFactory)
    passed = False
    findings = factory.LazyFunction(lambda: [{"rule": "disclosure_missing", "detail": "#ad"}])
