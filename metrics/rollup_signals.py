"""Rollup upkeep for one-row saves through the ORM (a form, the admin, a factory), in the same
transaction as the write: snapshots, comments, clicks, and the facts posts are keyed and
valued by (a post's partnership or platform, a creator's follower counts, a time zone).

Bulk writes (ingestion, the click drain) and deletions (``post_metrics_delete``,
``comment_delete``, and ``post_delete`` through its ``post_removing`` signal) keep the rollups
themselves: no delete signal is connected to posts, snapshots or comments, so a campaign's
deletion stays a cascade of fast deletes (its rollups go with it).
The funnel (conversions, refunds, visits) only notes the days a write touched
(``funnel_changed``); bulk writers note theirs themselves. A partnership's deletion (its
orders and visits leave the campaign) and a change of the campaign's windows re-derive
every day. Anything written around all of them (raw SQL) is repaired by ``rebuild_kpis``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import Campaign, Partnership, Post
from campaigns.signals import post_removing
from influencers.models import SocialAccount
from metrics.kpis import COUNTERS
from metrics.models import (
    Click,
    Comment,
    Conversion,
    FollowerSnapshot,
    PostMetrics,
    Refund,
    RollupRebuild,
    Visit,
)
from metrics.services.event_rollups import (
    click_rollups_add,
    comment_rollups_change,
)
from metrics.services.funnel_rollups import campaign_funnel_changed, funnel_changed
from metrics.services.post_rollups import (
    History,
    post_histories,
    post_rollups_rederive,
    post_rollups_refresh_facts,
)


def _values(row: Any) -> dict[str, int | None]:
    return {c: getattr(row, c) for c in COUNTERS}


# --- Post snapshots ---------------------------------------------------------------------------
@receiver(pre_save, sender=PostMetrics)
def _snapshot_before_save(sender: Any, instance: PostMetrics, raw: bool = False,
                          **kwargs: Any) -> None:
    instance._rollup_before = (  # type: ignore[attr-defined]
        None if instance.pk is None or raw
        else PostMetrics.objects.filter(pk=instance.pk).first()
    )


@receiver(post_save, sender=PostMetrics)
def _snapshot_saved(sender: Any, instance: PostMetrics, raw: bool = False,
                    **kwargs: Any) -> None:
    if raw:
        return
    before = getattr(instance, "_rollup_before", None)
    posts = {instance.post_id} | ({before.post_id} if before is not None else set())
    histories = post_histories(posts)
    old: dict[int, History] = {}
    for post_id in posts:
        history = [s for s in histories.get(post_id, []) if not (
            post_id == instance.post_id and s[0] == instance.captured_at)]
        if before is not None and before.post_id == post_id:
            history.append((before.captured_at, _values(before)))
        old[post_id] = history
    post_rollups_rederive(posts, old_histories=old)


# --- Posts and follower bases -------------------------------------------------------------
@receiver(post_save, sender=Post)
def _post_saved(sender: Any, instance: Post, created: bool, raw: bool = False,
                **kwargs: Any) -> None:
    if not created and not raw:
        post_rollups_refresh_facts([instance.pk])


@receiver(post_removing)
def _post_removing(sender: Any, post: Post, **kwargs: Any) -> None:
    post_rollups_rederive([post.pk], removed=True)


def _account_posts_refresh(account_id: int | None) -> None:
    if account_id is not None:
        post_rollups_refresh_facts(
            Post.objects.filter(social_account_id=account_id).values_list("pk", flat=True)
        )


@receiver(post_save, sender=SocialAccount)
def _account_saved(sender: Any, instance: SocialAccount, raw: bool = False,
                   **kwargs: Any) -> None:
    if not raw:
        _account_posts_refresh(instance.pk)


@receiver(post_save, sender=FollowerSnapshot)
@receiver(post_delete, sender=FollowerSnapshot)
def _followers_changed(sender: Any, instance: FollowerSnapshot, raw: bool = False,
                       **kwargs: Any) -> None:
    if not raw:
        _account_posts_refresh(instance.social_account_id)


# --- Comments ---------------------------------------------------------------------------------
@receiver(pre_save, sender=Comment)
def _comment_before_save(sender: Any, instance: Comment, raw: bool = False,
                         **kwargs: Any) -> None:
    instance._rollup_before = (  # type: ignore[attr-defined]
        None if instance.pk is None or raw
        else Comment.objects.filter(pk=instance.pk).values_list(
            "post_id", "posted_at", "sentiment").first()
    )


@receiver(post_save, sender=Comment)
def _comment_saved(sender: Any, instance: Comment, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    before = getattr(instance, "_rollup_before", None)
    comment_rollups_change(
        removed=[before] if before is not None else [],
        added=[(instance.post_id, instance.posted_at, instance.sentiment)],
    )


# --- Clicks -----------------------------------------------------------------------------------
@receiver(post_save, sender=Click)
def _click_saved(sender: Any, instance: Click, created: bool, raw: bool = False,
                 **kwargs: Any) -> None:
    if created and not raw:
        click_rollups_add([(instance.link_id, instance.occurred_at, instance.is_bot,
                            instance.is_unique)])


# --- The funnel: orders, refunds, visits -----------------------------------------------------
@receiver(pre_save, sender=Conversion)
@receiver(pre_save, sender=Visit)
def _funnel_event_before_save(sender: Any, instance: Conversion | Visit, raw: bool = False,
                              **kwargs: Any) -> None:
    instance._funnel_before = (  # type: ignore[union-attr]
        None if instance.pk is None or raw
        else sender.objects.filter(pk=instance.pk).values_list(
            "partnership_id", "occurred_at").first()
    )


@receiver(post_save, sender=Conversion)
@receiver(post_save, sender=Visit)
def _funnel_event_saved(sender: Any, instance: Conversion | Visit, raw: bool = False,
                        **kwargs: Any) -> None:
    if not raw:
        before = getattr(instance, "_funnel_before", None)
        funnel_changed([(instance.partnership_id, instance.occurred_at),
                        *([before] if before else [])])


@receiver(post_delete, sender=Conversion)
@receiver(post_delete, sender=Visit)
def _funnel_event_deleted(sender: Any, instance: Conversion | Visit, **kwargs: Any) -> None:
    funnel_changed([(instance.partnership_id, instance.occurred_at)])


@receiver(pre_save, sender=Refund)
def _refund_before_save(sender: Any, instance: Refund, raw: bool = False,
                        **kwargs: Any) -> None:
    instance._funnel_before = (  # type: ignore[attr-defined]
        None if instance.pk is None or raw
        else Refund.objects.filter(pk=instance.pk).values_list("conversion_id", flat=True).first()
    )


def _orders_changed(conversion_ids: set[int | None]) -> None:
    """A refund changes its order's contributions: the order's day is re-derived."""
    funnel_changed(Conversion.objects.filter(pk__in=conversion_ids - {None})
                   .values_list("partnership_id", "occurred_at"))


@receiver(post_save, sender=Refund)
def _refund_saved(sender: Any, instance: Refund, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _orders_changed({instance.conversion_id, getattr(instance, "_funnel_before", None)})


@receiver(post_delete, sender=Refund)
def _refund_deleted(sender: Any, instance: Refund, **kwargs: Any) -> None:
    _orders_changed({instance.conversion_id})


@receiver(post_delete, sender=Partnership)
def _partnership_deleted(sender: Any, instance: Partnership, **kwargs: Any) -> None:
    """Its orders and visits left the campaign (and maybe its visitors' first visits): the
    campaign's next recompute rebuilds."""
    RollupRebuild.objects.filter(campaign_id=instance.campaign_id).delete()


# --- Campaigns and time zones -----------------------------------------------------------
WINDOW_FIELDS = ("start_date", "end_date", "attribution_window_days")


@receiver(pre_save, sender=Campaign)
def _campaign_before_save(sender: Any, instance: Campaign, raw: bool = False,
                          **kwargs: Any) -> None:
    instance._rollup_windows = (  # type: ignore[attr-defined]
        None if instance.pk is None or raw
        else Campaign.objects.filter(pk=instance.pk).values_list(*WINDOW_FIELDS).first()
    )


@receiver(post_save, sender=Campaign)
def _campaign_saved(sender: Any, instance: Campaign, created: bool, raw: bool = False,
                    **kwargs: Any) -> None:
    """A new campaign has no events: its (empty) rollups are complete from the start, kept
    from then on; only campaigns older than the rollups need a first rebuild. New dates or a
    new attribution window change which orders and visits count, on every day."""
    if raw:
        return
    if created:
        RollupRebuild.objects.create(campaign=instance, rebuilt_at=timezone.now(), seconds=0)
        return
    before = getattr(instance, "_rollup_windows", None)
    if before is not None and before != tuple(getattr(instance, f) for f in WINDOW_FIELDS):
        campaign_funnel_changed(instance.pk)


# --- Time zones -----------------------------------------------------------------------------
@receiver(pre_save, sender=Organization)
def _organization_before_save(sender: Any, instance: Organization, raw: bool = False,
                              **kwargs: Any) -> None:
    instance._rollup_time_zone = (  # type: ignore[attr-defined]
        None if instance.pk is None or raw
        else Organization.objects.filter(pk=instance.pk).values_list(
            "time_zone", flat=True).first()
    )


@receiver(post_save, sender=Organization)
def _organization_saved(sender: Any, instance: Organization, **kwargs: Any) -> None:
    """Rollup days are the organization's local days: a new time zone rebuilds them all."""
    before = getattr(instance, "_rollup_time_zone", None)
    if before is not None and before != instance.time_zone:
        # The next recompute of each campaign rebuilds (and every campaign is recomputed).
        RollupRebuild.objects.filter(campaign__brand__organization=instance).delete()
        from metrics.engine import campaigns_recompute

        campaigns_recompute(organization_id=instance.pk)
