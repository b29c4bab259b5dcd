"""After a KPI recompute the live posts' captions are checked again; a live deliverable whose
posts pass and have metrics is verified, a failing one stays live with its findings."""

from __future__ import annotations

from accounts.models import AuditEntry
from content.models import Deliverable, DeliverableStatus, PostCheck
from metrics.engine import kpis_recompute
from metrics.signals import kpis_recomputed
from tests import factories as f

LIVE = DeliverableStatus.LIVE


def _live(flow, caption: str, *, metrics: bool = True):
    post = f.PostFactory(partnership=flow.partnership, caption=caption)
    if metrics:
        f.PostMetricsFactory(post=post)
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status=LIVE)
    flow.deliverable.posts.add(post)
    return post


def test_a_passing_post_with_metrics_verifies_its_deliverable(team, flow):
    post = _live(flow, "#ad Three drops 💧 #GlowUp @LumiSkin")
    kpis_recompute(campaign_id=flow.partnership.campaign_id)
    check = PostCheck.objects.get(post=post)
    assert check.passed and check.findings == []
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == DeliverableStatus.VERIFIED
    entry = AuditEntry.objects.get(action="deliverable.status_changed")
    assert entry.actor is None and entry.changes["status"] == ["live", "verified"]


def test_a_post_missing_its_disclosure_is_flagged_and_stays_live(team, flow):
    post = _live(flow, "Three drops 💧 #GlowUp @LumiSkin")
    kpis_recompute(campaign_id=flow.partnership.campaign_id)
    check = PostCheck.objects.get(post=post)
    assert not check.passed
    assert check.findings == [{"rule": "disclosure_missing",
                               "detail": "#ad, #sponsored, #partner"}]
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == LIVE


def test_the_platforms_paid_partnership_label_is_a_disclosure(team, flow):
    """No #ad in the caption, but the platform shows its own label (stored by a connector
    or an integration): the disclosure rule passes; hashtags and mentions still count."""
    post = _live(flow, "Three drops 💧 #GlowUp @LumiSkin")
    post.paid_partnership = True
    post.save()
    kpis_recompute(campaign_id=flow.partnership.campaign_id)
    assert PostCheck.objects.get(post=post).passed
    post.caption, post.paid_partnership = "Three drops 💧", True
    post.save()
    kpis_recompute(campaign_id=flow.partnership.campaign_id)
    assert [x["rule"] for x in PostCheck.objects.get(post=post).findings] == [
        "hashtag_missing", "mention_missing"
    ]


def test_without_metrics_a_passing_post_waits(team, flow):
    post = _live(flow, "#ad #GlowUp @LumiSkin", metrics=False)
    kpis_recomputed.send(sender=None, campaign_id=flow.partnership.campaign_id)
    assert PostCheck.objects.get(post=post).passed
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == LIVE


def test_an_edited_caption_is_checked_again(team, flow):
    post = _live(flow, "#GlowUp @LumiSkin")
    kpis_recomputed.send(sender=None, campaign_id=flow.partnership.campaign_id)
    assert not PostCheck.objects.get(post=post).passed
    post.caption = "#ad #GlowUp @LumiSkin"
    post.save()
    kpis_recomputed.send(sender=None, campaign_id=flow.partnership.campaign_id)
    assert PostCheck.objects.get(post=post).passed
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == DeliverableStatus.VERIFIED


def test_posts_of_no_deliverable_and_other_campaigns_are_left_alone(team, flow):
    loose = f.PostFactory(partnership=flow.partnership, caption="no tags")
    elsewhere = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    kpis_recomputed.send(sender=None, campaign_id=flow.partnership.campaign_id)
    assert not PostCheck.objects.filter(post__in=[loose, elsewhere]).exists()
