"""The content part of the issue's walk-through, end to end through the services: a brief sent,
a draft by the creator, changes requested, approved, the live post missing #ad flagged, then
fixed and verified once its metrics are in."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry, Role
from content import selectors, services
from content.check_text import finding_message
from content.models import DeliverableStatus, PostCheck
from metrics.engine import kpis_recompute
from tests import factories as f
from tests.content import factories as cf


def test_brief_to_verified(team, flow):
    manager = team.access(Role.MANAGER)
    campaign = flow.partnership.campaign
    version = services.brief_version_create(
        access=manager, campaign=campaign, required_hashtags=["#GlowUp"],
        required_mentions=["@lumiskin"],
    )
    services.brief_send(access=manager, version=version, partnerships=[flow.partnership])
    assert selectors.current_brief(flow.partnership) == version

    first = services.draft_submit(
        access=flow.creator_access, deliverable=flow.deliverable,
        caption="Morning glow 💧 #GlowUp @lumiskin",
        media=SimpleUploadedFile("reel.mp4", cf.MP4),
    )
    assert [finding_message(x) for x in first.findings] == [
        "No disclosure: the caption needs one of #ad, #sponsored, #partner near its start."
    ]
    assert list(selectors.review_queue(manager, campaign)) == [first]
    services.draft_review(access=manager, draft=first, decision="request_changes",
                          comment="Add #ad at the start.")
    second = services.draft_submit(
        access=flow.creator_access, deliverable=flow.deliverable,
        caption="#ad Morning glow 💧 #GlowUp @lumiskin",
        media=SimpleUploadedFile("reel.mp4", cf.MP4),
    )
    assert second.findings == []
    services.draft_review(access=manager, draft=second, decision="approve")

    # The creator posts without the tag after all.
    post = f.PostFactory(partnership=flow.partnership, caption="Morning glow 💧 #GlowUp @lumiskin")
    services.deliverable_link_post(access=manager, deliverable=flow.deliverable, post=post)
    f.PostMetricsFactory(post=post)
    kpis_recompute(campaign_id=campaign.pk)
    check = PostCheck.objects.get(post=post)
    assert not check.passed and check.findings[0]["rule"] == "disclosure_missing"
    flow.deliverable.refresh_from_db()
    assert flow.deliverable.status == DeliverableStatus.LIVE

    post.caption = "#ad " + post.caption
    post.save()
    kpis_recompute(campaign_id=campaign.pk)
    flow.deliverable.refresh_from_db()
    assert flow.deliverable.status == DeliverableStatus.VERIFIED
    assert [d.number for d in selectors.draft_history(flow.deliverable)] == [2, 1]
    trail = list(AuditEntry.objects.filter(organization=team.organization)
                 .order_by("pk").values_list("action", flat=True))
    for action in ("brief.version_created", "brief.sent", "draft.submitted", "draft.reviewed",
                   "deliverable.post_linked", "deliverable.status_changed"):
        assert action in trail
