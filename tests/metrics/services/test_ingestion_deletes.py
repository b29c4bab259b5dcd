"""Deletes of one ingested row (metrics/services/ingestion.py): post metrics, comments and
follower counts. Each recomputes the campaigns the row fed, a creator's follower count goes
back to her latest remaining snapshot, the role is the model's delete role, and another
organization's row is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from metrics.models import Comment, FollowerSnapshot, PostMetrics
from metrics.services.ingestion import (
    comment_delete,
    follower_snapshot_delete,
    post_metrics_delete,
)
from tests import factories as f


def test_deleting_post_metrics_recomputes_the_posts_campaign(
    team, maya, zoe, recomputed
):
    row = f.PostMetricsFactory(post__partnership=maya)
    kept = f.PostMetricsFactory(post__partnership=zoe)
    post_metrics_delete(access=team.access(Role.MANAGER), post_metrics=row)
    assert list(PostMetrics.objects.all()) == [kept]
    assert recomputed == [maya.campaign_id]


def test_deleting_a_comment_recomputes_the_posts_campaign(team, maya, recomputed):
    comment = f.CommentFactory(post__partnership=maya)
    comment_delete(access=team.access(Role.MANAGER), comment=comment)
    assert not Comment.objects.exists()
    assert recomputed == [maya.campaign_id]


def test_deleting_a_brand_accounts_count_recomputes_the_brands_campaigns(
    team, brand, maya, zoe, recomputed
):
    other_brand = f.PartnershipFactory(campaign__brand__organization=team.organization)
    snapshot = f.FollowerSnapshotFactory(brand_account__brand=brand)
    follower_snapshot_delete(access=team.access(Role.MANAGER), snapshot=snapshot)
    assert not FollowerSnapshot.objects.exists()
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])
    assert other_brand.campaign_id not in recomputed


def _creator_snapshot(account: Any, day: int, followers: int) -> Any:
    return f.FollowerSnapshotFactory(
        brand_account=None, social_account=account, organization=account.influencer.organization,
        date=dt.date(2026, 3, day), followers=followers,
    )


def test_deleting_a_creators_latest_count_goes_back_to_the_one_before(
    team, maya, recomputed
):
    account = f.SocialAccountFactory(influencer=maya.influencer, followers=12_000)
    _creator_snapshot(account, 1, 10_000)
    latest = _creator_snapshot(account, 2, 12_000)
    follower_snapshot_delete(access=team.access(Role.MANAGER), snapshot=latest)
    account.refresh_from_db()
    assert account.followers == 10_000
    assert recomputed == [maya.campaign_id]


def test_deleting_an_older_count_keeps_the_creators_latest(team, maya, recomputed):
    account = f.SocialAccountFactory(influencer=maya.influencer, followers=12_000)
    older = _creator_snapshot(account, 1, 10_000)
    _creator_snapshot(account, 2, 12_000)
    follower_snapshot_delete(access=team.access(), snapshot=older)
    account.refresh_from_db()
    assert account.followers == 12_000


def test_deleting_a_creators_only_count_leaves_her_count_as_it_is(
    team, maya, recomputed
):
    # As ingestion: it sets the count from the latest snapshot and never clears it.
    account = f.SocialAccountFactory(influencer=maya.influencer, followers=12_000)
    only = _creator_snapshot(account, 1, 12_000)
    follower_snapshot_delete(access=team.access(), snapshot=only)
    account.refresh_from_db()
    assert account.followers == 12_000


def test_a_viewer_may_not_delete(team, maya, recomputed):
    row = f.PostMetricsFactory(post__partnership=maya)
    comment = f.CommentFactory(post__partnership=maya)
    snapshot = f.FollowerSnapshotFactory(brand_account__brand=maya.campaign.brand)
    access = team.access(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        post_metrics_delete(access=access, post_metrics=row)
    with pytest.raises(PermissionDenied):
        comment_delete(access=access, comment=comment)
    with pytest.raises(PermissionDenied):
        follower_snapshot_delete(access=access, snapshot=snapshot)
    assert PostMetrics.objects.exists() and Comment.objects.exists()
    assert FollowerSnapshot.objects.exists() and recomputed == []


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN, Role.OWNER])
def test_a_manager_and_above_may_delete(team, maya, role, recomputed):
    post_metrics_delete(access=team.access(role),
                        post_metrics=f.PostMetricsFactory(post__partnership=maya))
    assert not PostMetrics.objects.exists()


def test_another_organizations_rows_are_refused(team, outsider_team, recomputed):
    theirs = f.PartnershipFactory(campaign__brand__organization=outsider_team.organization)
    row = f.PostMetricsFactory(post__partnership=theirs)
    comment = f.CommentFactory(post__partnership=theirs)
    snapshot = f.FollowerSnapshotFactory(brand_account__brand=theirs.campaign.brand)
    access = team.access(Role.OWNER)
    with pytest.raises(ValidationError):
        post_metrics_delete(access=access, post_metrics=row)
    with pytest.raises(ValidationError):
        comment_delete(access=access, comment=comment)
    with pytest.raises(ValidationError):
        follower_snapshot_delete(access=access, snapshot=snapshot)
    assert PostMetrics.objects.exists() and Comment.objects.exists()
    assert FollowerSnapshot.objects.exists() and recomputed == []
