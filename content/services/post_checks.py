"""The caption check of live posts: when a post is linked to its deliverable, and again after
every KPI recompute (the post's metrics have arrived). A live deliverable whose posts all pass
and have metrics is verified; a failing one stays live with its findings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns.models import Post
from content.checks import Rules, check_caption
from content.models import Deliverable, DeliverableStatus, PostCheck
from content.selectors import rules_for
from content.services.deliverables import set_status
from metrics.models import PostMetrics


@transaction.atomic
def post_check_run(*, post: Post, rules: Rules | None = None) -> PostCheck:
    """Check the post's caption against its partnership's brief (``rules``: already looked
    up); store the result."""
    # A connector may report the platform's own "paid partnership" label on the post.
    flagged = bool(post.paid_partnership)
    rules = rules or rules_for(post.partnership)
    findings = [f.as_dict() for f in check_caption(post.caption, rules, paid_partnership=flagged)]
    check, _ = PostCheck.objects.update_or_create(
        post=post,
        defaults={"passed": not findings, "findings": findings, "checked_at": timezone.now()},
    )
    return check


@transaction.atomic
def deliverable_verify(*, deliverable: Deliverable) -> bool:
    """Live → verified when every linked post passed its check and has metrics."""
    if deliverable.status != DeliverableStatus.LIVE:
        return False
    posts = list(deliverable.posts.all())
    if not posts:
        return False
    post_ids = [p.pk for p in posts]
    passed = PostCheck.objects.filter(post_id__in=post_ids, passed=True).count()
    measured = PostMetrics.objects.filter(post_id__in=post_ids).values("post_id").distinct()
    if passed != len(posts) or measured.count() != len(posts):
        return False
    set_status(access=None, deliverable=deliverable, status=DeliverableStatus.VERIFIED,
               reason="caption check passed and metrics arrived")
    return True


def campaign_posts_recheck(*, campaign_id: int) -> int:
    """Re-check every post of the campaign that delivers a deliverable, then verify the live
    deliverables that now qualify. Returns how many posts were checked."""
    posts = (
        Post.objects.filter(partnership__campaign_id=campaign_id, deliverables__isnull=False)
        .select_related("partnership__campaign__brand__organization")
        .distinct()
    )
    checked = 0
    rules: dict[int, Rules] = {}
    for post in posts:
        if post.partnership_id not in rules:
            rules[post.partnership_id] = rules_for(post.partnership)
        post_check_run(post=post, rules=rules[post.partnership_id])
        checked += 1
    live = Deliverable.objects.filter(
        partnership__campaign_id=campaign_id, status=DeliverableStatus.LIVE
    ).select_related("partnership__campaign__brand__organization")
    for deliverable in live:
        deliverable_verify(deliverable=deliverable)
    return checked
