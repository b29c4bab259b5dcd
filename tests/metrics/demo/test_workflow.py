"""The partnership workflow in the demos: a brief in two versions, deliverables spread over the
flow, drafts and reviews, the payouts ledger and a creator portal login."""

import re

import pytest

from accounts.models import AuditEntry, Membership, Organization, Role
from accounts.selectors import Access
from campaigns.models import COMMITTED_STATUSES, FunnelStage, Partnership, PartnershipStatus
from content.checks import DISCLOSURE_MISSING, FORBIDDEN_WORD, MENTION_MISSING
from content.models import (
    BriefVersion,
    Deliverable,
    DeliverableStatus,
    DraftReview,
    DraftStatus,
    ReviewDecision,
)
from content.selectors import late_deliverables, review_queue
from metrics.demo.catalogue_en import ENGLISH
from metrics.models import ExchangeRate
from payouts.models import PayoutKind, PayoutLine, PayoutStatus
from portal.selectors import partnerships_for
from tests.metrics.demo.shared import demo_delete, seed

S = DeliverableStatus
PERSIAN_LETTERS = re.compile(r"[\u0600-\u06FF]")


def owner_access(slug: str = "demo") -> Access:
    membership = Membership.objects.select_related("organization", "user").get(
        organization__slug=slug, role=Role.OWNER
    )
    return Access(organization=membership.organization, role=Role.OWNER, user=membership.user)


def deliverables(slug: str = "demo"):
    return Deliverable.objects.filter(partnership__campaign__brand__organization__slug=slug)


def lines(slug: str = "demo"):
    return PayoutLine.objects.filter(partnership__campaign__brand__organization__slug=slug)


def sales_partnerships(slug: str = "demo"):
    return Partnership.objects.filter(
        campaign__brand__organization__slug=slug, campaign__stage=FunnelStage.BOFU
    )


@pytest.mark.django_db
def test_the_brief_has_two_versions_the_second_sent_to_every_committed_partnership(
    seeded_twice,
):
    versions = list(
        BriefVersion.objects.filter(brief__campaign__brand__organization__slug="demo")
        .order_by("number")
    )
    assert [v.number for v in versions] == [1, 2]
    first, second = versions
    assert first.key_messages != second.key_messages
    assert [s.partnership.influencer.name for s in first.sends.all()] == [ENGLISH.brief.first_sent_to]
    committed = set(sales_partnerships().filter(status__in=COMMITTED_STATUSES))
    assert {s.partnership for s in second.sends.all()} == committed
    assert second.required_hashtags == ["#vitamincserumlaunch"]
    assert second.required_mentions == ["@glowbotanics"]
    assert second.forbidden_words == ["cure", "miracle"]
    assert second.disclosure_tags == []  # the organization's default set


@pytest.mark.django_db
def test_the_deliverables_are_spread_over_the_flow(seeded_twice):
    statuses = list(deliverables().values_list("status", flat=True))
    assert {S.PLANNED, S.DRAFT_SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.LIVE,
            S.VERIFIED} <= set(statuses)
    for partnership in sales_partnerships().filter(status__in=COMMITTED_STATUSES):
        shares = [d.fee_share for d in partnership.deliverables.all()]
        assert 1 <= len(shares) <= 2 and sum(shares) <= partnership.fee
    delivered = deliverables().filter(status__in=[S.LIVE, S.VERIFIED])
    for deliverable in delivered:
        posts = list(deliverable.posts.all())
        assert len(posts) == 1 and posts[0].partnership_id == deliverable.partnership_id
    # A live post without the brand's handle stays live, flagged; the others are verified.
    flagged = delivered.get(status=S.LIVE).posts.get().caption_check
    assert not flagged.passed and flagged.findings[0]["rule"] == MENTION_MISSING
    assert all(d.posts.get().caption_check.passed for d in delivered.filter(status=S.VERIFIED))


@pytest.mark.django_db
def test_a_draft_waits_for_review_flagged_for_its_missing_disclosure(seeded_twice):
    queue = list(review_queue(owner_access()))
    assert len(queue) == 1
    assert [f["rule"] for f in queue[0].findings] == [DISCLOSURE_MISSING]
    assert "#ad" in queue[0].findings[0]["detail"]


@pytest.mark.django_db
def test_a_review_asked_for_changes_with_a_comment_and_a_new_draft_keeps_the_history(
    seeded_twice,
):
    asked = DraftReview.objects.filter(
        draft__deliverable__partnership__campaign__brand__organization__slug="demo",
        decision=ReviewDecision.REQUEST_CHANGES,
    )
    waiting = asked.get(draft__deliverable__status=S.CHANGES_REQUESTED)
    assert "miracle" in waiting.comment
    assert [f["rule"] for f in waiting.draft.findings] == [FORBIDDEN_WORD]
    resubmitted = asked.get(draft__deliverable__status=S.APPROVED).draft.deliverable
    assert list(resubmitted.drafts.order_by("number").values_list("status", flat=True)) == [
        DraftStatus.CHANGES_REQUESTED, DraftStatus.APPROVED,
    ]
    actions = set(AuditEntry.objects.filter(organization__slug="demo").values_list(
        "action", flat=True))
    assert {"brief.sent", "draft.submitted", "draft.reviewed", "deliverable.post_linked",
            "payout.approved", "payout.paid"} <= actions


@pytest.mark.django_db
def test_a_planned_deliverable_is_late(seeded_twice):
    late = list(late_deliverables(owner_access()))
    assert [d.status for d in late] == [S.PLANNED]


@pytest.mark.django_db
def test_the_ledger_has_fees_products_commissions_and_an_approved_and_a_paid_line(
    seeded_twice,
):
    fees = lines().filter(kind=PayoutKind.FEE)
    reached = deliverables().filter(status__in=[S.APPROVED, S.LIVE, S.VERIFIED])
    # Pay on approval or on going live: every deliverable past its milestone has its line.
    assert fees.count() == reached.count() == 4
    assert lines().filter(kind=PayoutKind.PRODUCT).exists()
    commissions = lines().filter(kind=PayoutKind.COMMISSION)
    assert commissions.count() == 3 and all(line.amount > 0 for line in commissions)
    assert set(fees.values_list("status", flat=True)) == {
        PayoutStatus.ACCRUED, PayoutStatus.APPROVED, PayoutStatus.PAID,
    }
    paid = fees.get(status=PayoutStatus.PAID)
    assert paid.paid_on and paid.reference == ENGLISH.brief.payment_reference
    assert paid.approved_by.username == "demo"


@pytest.mark.django_db
def test_the_creator_login_reaches_the_portal_and_sees_only_their_partnerships(
    seeded_twice, client,
):
    membership = Membership.objects.select_related("influencer").get(
        user__username="demo-creator"
    )
    assert membership.role == Role.CREATOR and membership.influencer.name == "Maya Chen"
    assert client.post(
        "/accounts/login/", {"username": "demo-creator", "password": "demo"}
    ).status_code == 302
    assert client.get("/portal/").status_code == 200
    access = Access(organization=membership.organization, role=Role.CREATOR,
                    user=membership.user, influencer_id=membership.influencer_id)
    own = Partnership.objects.filter(influencer=membership.influencer).exclude(
        status=PartnershipStatus.PROSPECT
    )
    assert set(partnerships_for(access)) == set(own) and own.count() == 2
    for partnership in own:
        assert client.get(f"/portal/partnerships/{partnership.pk}/").status_code == 200
    other = sales_partnerships().exclude(influencer=membership.influencer).first()
    assert client.get(f"/portal/partnerships/{other.pk}/").status_code == 404
    # Maya's drafts are her own: she submitted them, the owner reviewed them.
    drafts = [d for dv in deliverables().filter(partnership__in=own) for d in dv.drafts.all()]
    assert drafts and {d.submitted_by.username for d in drafts} == {"demo-creator"}


@pytest.fixture(scope="module")
def seeded_fa(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        had_rates = ExchangeRate.objects.exists()
        out = seed("--lang", "fa")
        yield out
        demo_delete("demo-fa")
        if not had_rates:
            ExchangeRate.objects.all().delete()


@pytest.mark.django_db
def test_the_persian_demo_runs_the_workflow_in_persian(seeded_fa, client):
    assert "Creator portal: sign in as demo-fa-creator / demo" in seeded_fa
    version = BriefVersion.objects.get(
        brief__campaign__brand__organization__slug="demo-fa", number=2
    )
    for text in (version.goal, version.key_messages, version.dos, version.donts,
                 *version.required_hashtags, *version.forbidden_words):
        assert PERSIAN_LETTERS.search(text), text
    # #تبلیغ is the organization's disclosure: the posts carrying it pass and are verified.
    assert deliverables("demo-fa").filter(status=S.VERIFIED).exists()
    pending = review_queue(owner_access("demo-fa")).get()
    assert pending.findings[0]["rule"] == DISCLOSURE_MISSING
    assert "#تبلیغ" in pending.findings[0]["detail"]
    descriptions = lines("demo-fa").values_list("description", flat=True)
    assert descriptions and all(PERSIAN_LETTERS.search(d) for d in descriptions)
    assert lines("demo-fa").filter(status=PayoutStatus.PAID).count() == 1
    assert lines("demo-fa").filter(kind=PayoutKind.COMMISSION).exists()
    org = Organization.objects.get(slug="demo-fa")
    assert Membership.objects.get(user__username="demo-fa-creator").organization == org
    assert client.post(
        "/accounts/login/", {"username": "demo-fa-creator", "password": "demo"}
    ).status_code == 302
    assert client.get("/portal/").status_code == 200
