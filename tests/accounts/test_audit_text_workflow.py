"""accounts/audit_text_workflow.py: the workflow's, the ledger's, the share links' and the
digests' entries as sentences, from the shapes their services record (no database), then from
the services themselves (the records' ``str()`` read back as written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.audit_log import with_sentences
from accounts.audit_text import Entry, describe
from accounts.models import AuditEntry
from campaigns.models import Partnership
from content.services.briefs import brief_send, brief_version_create
from content.services.deliverables import deliverable_create
from content.services.drafts import draft_review, draft_submit
from payouts.models import PayoutLine
from payouts.services.approvals import payout_approve, payout_mark_paid
from reports.services.share_links import share_link_create
from tests import factories as f

LINE = "Fee 500.00 USD (Tess × Spring launch)"


@pytest.mark.parametrize(
    ("entry", "sentence"),
    [
        (Entry("Maya", "brief.version_created", "BriefVersion", "Brief of Spring launch v1",
               {"campaign": 4, "number": 1}),
         "Maya wrote the Spring launch brief."),
        (Entry("Maya", "brief.version_created", "BriefVersion", "Brief of Spring launch v2",
               {"campaign": 4, "number": 2}),
         "Maya wrote version 2 of the Spring launch brief."),
        (Entry("Maya", "brief.attachment_added", "BriefAttachment", "moodboard.pdf",
               {"version": 9, "size": 2_456_789}),
         "Maya attached “moodboard.pdf” (2.3\xa0MB) to a brief."),
        (Entry("Maya", "brief.attachment_deleted", "BriefAttachment", "moodboard.pdf",
               {"version": 9}),
         "Maya removed the attachment “moodboard.pdf” from a brief."),
        (Entry("Maya", "brief.sent", "BriefSend",
               "Brief of Spring launch v2 → Tess × Spring launch",
               {"version": 9, "number": 2, "partnership": 3}),
         "Maya sent version 2 of the Spring launch brief to Tess."),
        (Entry("Maya", "deliverable.created", "Deliverable", "1 × Instagram Reel",
               {"partnership": 3, "fee_share": "200.00"}),
         "Maya added the deliverable 1 × Instagram Reel with a fee share of 200.00."),
        (Entry("Maya", "deliverable.created", "Deliverable", "3 × Instagram Story",
               {"partnership": 3, "fee_share": "0.00"}),
         "Maya added the deliverable 3 × Instagram Story."),
        (Entry("Maya", "deliverable.changed", "Deliverable", "1 × TikTok Video",
               {"due_date": ["2026-05-01", "2026-05-08"], "platform": ["instagram", "tiktok"],
                "format": ["reel", "video"], "pay_on": ["approved", "live"]}),
         "Maya changed the deliverable 1 × TikTok Video: due date from 2026-05-01 to "
         "2026-05-08, platform from Instagram to TikTok, format from reel to video and "
         "payment milestone from on approval to on going live."),
        (Entry("Maya", "deliverable.deleted", "Deliverable", "1 × Instagram Reel",
               {"partnership": 3, "status": "planned"}),
         "Maya deleted the deliverable 1 × Instagram Reel (planned)."),
        (Entry("Maya", "deliverable.post_linked", "Deliverable", "1 × Instagram Reel",
               {"post": 412}),
         "Maya linked post #412 to the deliverable 1 × Instagram Reel."),
        (Entry("Maya", "deliverable.status_changed", "Deliverable", "1 × Instagram Reel",
               {"status": ["draft_submitted", "changes_requested"]}),
         "Maya moved the deliverable 1 × Instagram Reel from draft submitted to changes "
         "requested."),
        (Entry("", "deliverable.status_changed", "Deliverable", "1 × Instagram Reel",
               {"status": ["live", "verified"],
                "reason": "caption check passed and metrics arrived"}),
         "Funnelboard moved the deliverable 1 × Instagram Reel from live to verified: the "
         "caption check passed and the metrics arrived."),
        (Entry("Tess", "draft.submitted", "Draft", "Draft 2 of 1 × Instagram Reel",
               {"deliverable": 5, "number": 2, "findings": []}),
         "Tess submitted draft 2 of 1 × Instagram Reel."),
        (Entry("Tess", "draft.submitted", "Draft", "Draft 1 of 1 × Instagram Reel",
               {"deliverable": 5, "number": 1,
                "findings": ["disclosure_missing", "hashtag_missing", "hashtag_missing"]}),
         "Tess submitted draft 1 of 1 × Instagram Reel; the caption check found no "
         "disclosure and 2 missing hashtags."),
        (Entry("Maya", "draft.reviewed", "Draft", "Draft 2 of 1 × Instagram Reel",
               {"decision": "approve", "comment": ""}),
         "Maya approved draft 2 of 1 × Instagram Reel."),
        (Entry("Maya", "draft.reviewed", "Draft", "Draft 1 of 1 × Instagram Reel",
               {"decision": "request_changes", "comment": "Add #ad at the start."}),
         "Maya requested changes to draft 1 of 1 × Instagram Reel: “Add #ad at the start.”"),
        (Entry("Maya", "draft.reviewed", "Draft", "Draft 3 of 1 × Instagram Reel",
               {"decision": "request_changes", "comment": "Shorter " + "x" * 300}),
         "Maya requested changes to draft 3 of 1 × Instagram Reel: “Shorter "
         + "x" * 191 + "…”"),
        (Entry("Maya", "payout.approved", "PayoutLine", LINE,
               {"status": ["accrued", "approved"], "amount": "500.00", "currency": "USD"},
               "USD"),
         "Maya approved a payout of 500.00 USD to Tess."),
        (Entry("Maya", "payout.paid", "PayoutLine", LINE,
               {"status": ["approved", "paid"], "paid_on": "2026-05-02",
                "method": "bank_transfer", "reference": "INV-051", "amount": "500.00"}),
         "Maya marked a payout of 500.00 USD to Tess paid on 2026-05-02 (bank transfer, "
         "INV-051)."),
        (Entry("Maya", "payout.paid", "PayoutLine", LINE,
               {"status": ["approved", "paid"], "paid_on": "2026-05-02", "method": "paypal",
                "reference": "", "amount": "500.00"}),
         "Maya marked a payout of 500.00 USD to Tess paid on 2026-05-02 (PayPal)."),
        (Entry("Maya", "payout.deleted", "PayoutLine", LINE, {"amount": "500.00", "kind": "fee"}),
         "Maya deleted the accrued fee of 500.00 USD for Tess."),
        (Entry("", "payout.commission_changed", "PayoutLine",
               "Commission 5.31 USD (Tess × Spring launch)", {"amount": ["10.62", "5.31"]}),
         "Commission for Tess × Spring launch moved from 10.62 to 5.31 USD after a recompute."),
        (Entry("", "payout.product_changed", "PayoutLine",
               "Product 120.00 EUR (Tess × Spring launch)", {"amount": ["100.00", "120.00"]}),
         "Product value for Tess × Spring launch moved from 100.00 to 120.00 EUR after a "
         "recompute."),
        (Entry("", "payout.commission_adjusted", "PayoutLine",
               "Commission -2.50 USD (Tess × Spring launch)",
               {"amount": [None, "-2.50"], "target": "8.12"}),
         "A commission adjustment of -2.50 USD for Tess × Spring launch was added after a "
         "recompute, bringing the commission to 8.12 USD."),
        (Entry("Ana", "share_link.created", "ShareLink", "For Acme",
               {"campaign": "Spring launch", "show_costs": True,
                "expires_at": "2026-06-01T00:00:00+00:00"}),
         "Ana created the share link “For Acme” to the Spring launch report (with costs, fees "
         "and ROI, until 2026-06-01)."),
        (Entry("Ana", "share_link.created", "ShareLink", "Share link …a1b2",
               {"campaign": "Spring launch", "show_costs": False, "expires_at": None}),
         "Ana created the share link …a1b2 to the Spring launch report."),
        (Entry("Ana", "share_link.revoked", "ShareLink", "For Acme", {"campaign": "Spring launch"}),
         "Ana revoked the share link “For Acme” to the Spring launch report."),
        (Entry("Ana", "share_link.deleted", "ShareLink", "Share link …a1b2",
               {"campaign": "Spring launch"}),
         "Ana deleted the share link …a1b2 to the Spring launch report."),
        (Entry("Ana", "digest_schedule.created", "DigestSchedule",
               "Monthly digest of Spring launch",
               {"campaign": "Spring launch", "frequency": ["weekly", "monthly"],
                "day_of_month": [1, 15], "hour": [9, 8]}),
         "Ana scheduled the Spring launch digest: frequency monthly, day of the month 15 and "
         "hour 08:00."),
        (Entry("Ana", "digest_schedule.created", "DigestSchedule",
               "Weekly digest of Spring launch", {"campaign": "Spring launch"}),
         "Ana scheduled the Spring launch digest."),
        (Entry("Ana", "digest_schedule.changed", "DigestSchedule",
               "Weekly digest of Spring launch",
               {"campaign": "Spring launch", "weekday": [0, 4], "is_active": [True, False]}),
         "Ana changed the Spring launch digest's day of the week from Monday to Friday and "
         "sending from on to off."),
        (Entry("Ana", "digest_schedule.changed", "DigestSchedule",
               "Weekly digest of Spring launch", {"campaign": "Spring launch"}),
         "Ana saved the Spring launch digest's schedule unchanged."),
        (Entry("Ana", "digest_schedule.deleted", "DigestSchedule",
               "Weekly digest of Spring launch", {"campaign": "Spring launch"}),
         "Ana deleted the Spring launch digest and its recipients."),
        (Entry("Ana", "digest_recipient.added", "DigestRecipient", "cmo@acme.io",
               {"campaign": "Spring launch"}),
         "Ana added cmo@acme.io to the Spring launch digest."),
        (Entry("Ana", "digest_recipient.removed", "DigestRecipient", "cmo@acme.io",
               {"email": "cmo@acme.io"}),
         "Ana removed cmo@acme.io from a digest."),
        (Entry("", "digest_recipient.unsubscribed", "DigestRecipient", "cmo@acme.io",
               {"email": "cmo@acme.io"}),
         "The recipient cmo@acme.io unsubscribed from a digest."),
        (Entry("", "digest_recipient.resubscribed", "DigestRecipient", "cmo@acme.io",
               {"email": "cmo@acme.io"}),
         "The recipient cmo@acme.io subscribed to a digest again."),
        (Entry("Ana", "digest.sent_now", "DigestSend", "Digest of 2026-05-02 14:03 UTC",
               {"campaign": "Spring launch", "recipients": 3}),
         "Ana sent the Spring launch digest to 3 recipients outside its schedule."),
    ],
)
def test_each_workflow_action_reads_as_a_sentence(entry: Entry, sentence: str) -> None:
    assert describe(entry) == sentence


def test_the_sentences_speak_persian() -> None:
    entry = Entry("", "payout.commission_changed", "PayoutLine",
                  "Commission 5.31 USD (Tess × Spring launch)", {"amount": ["10.62", "5.31"]})
    with translation.override("fa"):
        sentence = describe(entry)
    assert "10.62" in sentence and "5.31 USD" in sentence
    assert "moved" not in sentence and "recompute" not in sentence


@pytest.mark.django_db
def test_what_the_services_record_reads_as_written(team) -> None:
    """The records' ``str()`` as the services store it is what the writers read back."""
    team.owner.first_name = "Maya"
    team.owner.save()
    access = team.access("owner")
    campaign = f.CampaignFactory(brand__organization=team.organization, name="Spring launch",
                                 currency="USD")
    partnership: Partnership = f.PartnershipFactory(
        campaign=campaign, influencer__name="Tess", fee=Decimal("500.00")
    )
    brief_version_create(access=access, campaign=campaign, goal="Sales.")
    version = brief_version_create(access=access, campaign=campaign, goal="Sales.",
                                   required_hashtags=["glowup"])
    brief_send(access=access, version=version, partnerships=[partnership])
    deliverable = deliverable_create(
        access=access, partnership=partnership, platform="instagram", format="reel",
        due_date=dt.date(2026, 5, 1), fee_share=Decimal("500.00"),
    )
    draft = draft_submit(access=access, deliverable=deliverable, caption="Morning glow",
                         link="https://example.com/draft")
    draft_review(access=access, draft=draft, decision="approve")
    line = PayoutLine.objects.get(deliverable=deliverable)
    payout_approve(access=access, line=line)
    payout_mark_paid(access=access, line=line, paid_on=dt.date(2026, 5, 2),
                     method="bank_transfer", reference="INV-051")
    share_link_create(access=access, campaign=campaign, label="For Acme")

    entries = list(AuditEntry.objects.filter(organization=team.organization).order_by("pk"))
    with_sentences(team.organization, entries)
    assert [entry.sentence for entry in entries] == [
        "Maya wrote the Spring launch brief.",
        "Maya wrote version 2 of the Spring launch brief.",
        "Maya sent version 2 of the Spring launch brief to Tess.",
        "Maya added the deliverable 1 × Instagram Reel with a fee share of 500.00 USD.",
        "Maya submitted draft 1 of 1 × Instagram Reel; the caption check found no disclosure "
        "and 1 missing hashtag.",
        "Maya moved the deliverable 1 × Instagram Reel from planned to draft submitted.",
        "Maya approved draft 1 of 1 × Instagram Reel.",
        "Maya moved the deliverable 1 × Instagram Reel from draft submitted to approved.",
        "Maya approved a payout of 500.00 USD to Tess.",
        "Maya marked a payout of 500.00 USD to Tess paid on 2026-05-02 (bank transfer, "
        "INV-051).",
        "Maya created the share link “For Acme” to the Spring launch report.",
    ]
