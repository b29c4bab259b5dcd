"""The partnership workflow end to end, through the surfaces people and integrations use: an
owner invites a creator to the portal, a manager writes and sends the brief, the creator submits
a draft in the portal, the manager requests changes, the creator submits again through the API,
the manager approves it, the live post goes out without #ad and is flagged on the report, a
Shopify sale on the creator's code accrues commission and its refund reduces it, and an admin
approves the payout and exports it for accounting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from campaigns.models import PartnershipStatus
from content.models import BriefVersion, Deliverable, DeliverableStatus, Draft, PostCheck
from metrics.engine import kpis_recompute
from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from tests import factories as f
from tests.metrics.tracking.shopify_support import ORDER, REFUND, SECRET, post

# The smallest PNG: what the portal's upload sniffs as an image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5f1d0a80000000049454e44ae426082"
)


@pytest.fixture
def deal(team):
    """Mia's contracted partnership (fee 500, 10% commission, code MIA10) in an October 2026
    campaign of a Shopify brand, with a reel due on the 20th."""
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret=SECRET,
                           website="https://shop.example")
    campaign = f.CampaignFactory(brand=brand, slug="fall-glow", stage="BOFU",
                                 start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 31))
    partnership = f.PartnershipFactory(
        campaign=campaign, status=PartnershipStatus.CONTRACTED, fee=Decimal("500"),
        commission_rate=Decimal("10"), influencer__name="Mia Chen",
    )
    f.PromoCodeFactory(partnership=partnership, code="MIA10")
    Deliverable.objects.create(
        partnership=partnership, platform="instagram", format="reel", due_date="2026-10-20",
        fee_share=Decimal("500"), pay_on="approved",
    )
    return partnership


def _shopify(capture, brand, payload: dict, *, topic: str, webhook_id: str) -> None:
    """A signed webhook; its processing (queued on commit) and the recompute it asks for."""
    with capture(execute=True):
        response = post(Client(), brand, payload, topic=topic, webhook_id=webhook_id)
    assert response.status_code == 200
    kpis_recompute(campaign_id=brand.campaigns.get().pk)


def test_the_workflow_from_brief_to_exported_payout(
    team, client_for, deal, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    campaign, brand = deal.campaign, deal.campaign.brand
    owner, manager, admin = (client_for(team.user(r)) for r in ("owner", "manager", "admin"))

    # The owner invites Mia to the portal; she signs in with her new account and accepts.
    page = owner.post(reverse("accounts:member_invite"), {
        "email": "mia@example.com", "role": Role.CREATOR, "influencer": deal.influencer_id,
    })
    assert page.status_code == 200
    token = re.search(r"/accounts/invitations/([\w-]+)/", page.content.decode()).group(1)
    mia = f.UserFactory(username="mia", email="mia@example.com")
    portal = client_for(mia)
    assert portal.post(reverse("accounts:invitation", args=[token])).status_code == 302
    membership = Membership.objects.get(user=mia)
    assert (membership.role, membership.influencer_id) == (Role.CREATOR, deal.influencer_id)

    # The manager writes the brief and sends it; Mia reads that version in the portal.
    assert manager.post(reverse("content:brief", args=[campaign.pk]), {
        "key_messages": "Glow in five minutes.", "required_hashtags": "#FallGlow",
    }).status_code == 302
    version = BriefVersion.objects.get(brief__campaign=campaign)
    assert manager.post(reverse("content:brief_send", args=[version.pk]),
                        {"partnerships": [deal.pk]}).status_code == 302
    assert portal.get("/").status_code == 302  # the team's home sends her to the portal
    mine = portal.get(reverse("portal:partnership", args=[deal.pk])).content.decode()
    assert "Glow in five minutes." in mine and "#FallGlow" in mine

    # Her first draft, in the portal, has no disclosure: flagged, and changes are requested.
    deliverable = deal.deliverables.get()
    assert portal.post(reverse("portal:deliverable", args=[deliverable.pk]), {
        "caption": "Five-minute glow #FallGlow",
        "media": SimpleUploadedFile("look.png", PNG, "image/png"),
    }).status_code == 302
    first = Draft.objects.get(deliverable=deliverable)
    assert [x["rule"] for x in first.findings] == ["disclosure_missing"]
    queue = manager.get(reverse("content:review_queue", args=[campaign.pk])).content.decode()
    assert reverse("content:draft", args=[first.pk]) in queue
    assert manager.post(reverse("content:draft_decide", args=[first.pk]), {
        "decision": "request_changes", "comment": "Start with #ad, please.",
    }).status_code == 302
    assert "Start with #ad, please." in portal.get(
        reverse("portal:deliverable", args=[deliverable.pk])).content.decode()

    # The second draft comes through the API (her session) and the manager approves it there.
    api = APIClient()
    api.force_login(mia)
    answer = api.post("/api/v1/drafts/", {
        "deliverable": deliverable.pk, "caption": "#ad Five-minute glow #FallGlow",
        "link": "https://drive.example/mia/reel-v2",
    }, format="json")
    assert answer.status_code == 201 and answer.json()["findings"] == []
    staff = APIClient()
    staff.force_login(team.manager)
    assert staff.post(f"/api/v1/drafts/{answer.json()['id']}/review/",
                      {"decision": "approve"}, format="json").status_code == 200
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.APPROVED
    fee = PayoutLine.objects.get(partnership=deal, kind=PayoutKind.FEE)
    assert fee.amount == Decimal("500.00") and fee.status == PayoutStatus.ACCRUED

    # She posts without the tag after all: the live post's check flags it on the report.
    post = f.PostFactory(partnership=deal, caption="Five-minute glow #FallGlow")
    assert staff.post(f"/api/v1/deliverables/{deliverable.pk}/link-post/",
                      {"post": post.pk}, format="json").status_code == 200
    assert staff.post("/api/v1/post-metrics/", [{
        "post": post.pk, "captured_at": "2026-10-15T10:00:00+00:00", "likes": 40,
        "impressions": 900,
    }], format="json").status_code in (200, 201)
    kpis_recompute(campaign_id=campaign.pk)
    check = PostCheck.objects.get(post=post)
    assert not check.passed and check.findings[0]["rule"] == "disclosure_missing"
    report = manager.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Caption checks" in report and "disclosure" in report.lower()

    # A Shopify order on her code accrues commission; its refund brings it down.
    _shopify(capture, brand, ORDER, topic="orders/create", webhook_id="order-1")
    commission = PayoutLine.objects.get(partnership=deal, kind=PayoutKind.COMMISSION)
    assert commission.amount == Decimal("10.62")  # 10% of the 106.20 subtotal
    _shopify(capture, brand, REFUND, topic="refunds/create", webhook_id="refund-1")
    commission.refresh_from_db()
    assert (commission.amount, commission.previous_amount) == (Decimal("5.31"), Decimal("10.62"))

    # An admin approves the commission and exports this month (when the lines accrued).
    assert admin.post(reverse("payouts:approve", args=[commission.pk])).status_code == 302
    commission.refresh_from_db()
    assert commission.status == PayoutStatus.APPROVED and commission.approved_by == team.admin
    export = admin.get(reverse("payouts:export_csv"),
                       {"month": timezone.localdate().strftime("%Y-%m")})
    rows = list(csv.DictReader(io.StringIO(b"".join(export).decode() if export.streaming
                                           else export.content.decode())))
    approved = [r for r in rows if r.get("status") == "approved"]
    assert [Decimal(r["amount"]) for r in approved] == [Decimal("5.31")]
    assert {r.get("creator") for r in rows} == {"Mia Chen"}

    # Mia sees her earnings in the portal; the team's pages stay closed to her.
    home = portal.get(reverse("portal:home")).content.decode()
    # Accrued (the fee), approved (the commission), and the total of both.
    for amount in ("500.00 USD", "5.31 USD", "505.31 USD"):
        assert amount in home, amount
    assert portal.get(reverse("payouts:ledger")).status_code == 404
    assert portal.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 404
