"""Which brief (and so which caption rules) applies, late deliverables, the review queue."""

from __future__ import annotations

import datetime as dt

from accounts.models import Role
from content import selectors
from content.models import DeliverableStatus, DraftStatus
from tests import factories as f
from tests.content import factories as cf


def test_rules_come_from_the_version_the_partnership_was_sent(team, flow):
    newer = cf.BriefVersionFactory(brief=flow.version.brief, number=2,
                                   required_hashtags=["#Newer"], disclosure_tags=["#anzeige"])
    rules = selectors.rules_for(flow.partnership)
    assert selectors.current_brief(flow.partnership) == flow.version
    assert rules.hashtags == ("#GlowUp",) and rules.mentions == ("@lumiskin",)
    assert rules.forbidden == ("cure",)
    assert rules.disclosures == ("#ad", "#sponsored", "#partner")  # empty: the organisation's
    # Not sent any version: the campaign's latest.
    assert selectors.latest_version(flow.other.campaign) == newer
    assert selectors.rules_for(flow.other).hashtags == ("#Newer",)
    assert selectors.rules_for(flow.other).disclosures == ("#anzeige",)


def test_without_a_brief_the_organisations_disclosures_apply(team):
    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    assert selectors.rules_for(partnership).disclosures == ("#ad", "#sponsored", "#partner")
    team.organization.default_language = "fa"
    team.organization.save()
    partnership.refresh_from_db()
    assert "#تبلیغ" in selectors.rules_for(partnership).disclosures
    team.organization.disclosure_tags = ["#werbung"]
    team.organization.save()
    partnership = type(partnership).objects.get(pk=partnership.pk)
    assert selectors.rules_for(partnership).disclosures == ("#werbung",)


def test_late_deliverables_are_past_due_and_not_live(team, flow, outsider_team):
    today = dt.date(2026, 3, 21)  # the fixture's deliverables are due on the 20th
    cf.DeliverableFactory(partnership=flow.partnership, status=DeliverableStatus.LIVE,
                          fee_share=0)
    cf.DeliverableFactory(partnership=flow.partnership, due_date=dt.date(2026, 3, 25),
                          fee_share=0)
    cf.DeliverableFactory(partnership__campaign__brand__organization=outsider_team.organization)
    late = selectors.late_deliverables(team.access(Role.VIEWER), today=today)
    assert set(late) == {flow.deliverable, flow.others_deliverable}
    assert list(selectors.late_deliverables(flow.creator_access, today=today)) == [
        flow.deliverable
    ]
    assert flow.deliverable.is_late(today) and not flow.deliverable.is_late(dt.date(2026, 3, 20))


def test_the_review_queue_holds_each_deliverables_latest_pending_draft(team, flow):
    cf.DraftFactory(deliverable=flow.deliverable, number=1, status=DraftStatus.CHANGES_REQUESTED)
    waiting = cf.DraftFactory(deliverable=flow.deliverable, number=2)
    superseded = cf.DraftFactory(deliverable=flow.others_deliverable, number=1)
    newest = cf.DraftFactory(deliverable=flow.others_deliverable, number=2)
    queue = list(selectors.review_queue(team.access(Role.VIEWER)))
    assert queue == [waiting, newest] and superseded not in queue
    other_campaign = f.CampaignFactory(brand__organization=team.organization)
    assert list(selectors.review_queue(team.access(), campaign=other_campaign)) == []


def test_draft_history_is_newest_first_with_reviews(team, flow, django_assert_max_num_queries):
    first = cf.DraftFactory(deliverable=flow.deliverable, number=1)
    cf.DraftReviewFactory(draft=first)
    cf.DraftFactory(deliverable=flow.deliverable, number=2)
    with django_assert_max_num_queries(3):
        history = list(selectors.draft_history(flow.deliverable))
        assert [d.number for d in history] == [2, 1]
        assert [r.comment for r in history[1].reviews.all()] == ["Move #ad to the start, please."]


def test_a_creator_sees_only_their_own_deliverables(team, flow):
    assert list(selectors.deliverables_of(flow.creator_access, flow.partnership)) == [
        flow.deliverable
    ]
    assert list(selectors.deliverables_of(flow.creator_access, flow.other)) == []
    assert list(selectors.deliverables_of(team.access(Role.VIEWER), flow.other)) == [
        flow.others_deliverable
    ]
