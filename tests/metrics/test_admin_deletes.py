"""The admin deletes post metrics, comments and follower counts through their ingestion
services (metrics/services/ingestion.py), one by one and in bulk: the campaigns the rows fed
are recomputed and a creator's follower count goes back to her latest remaining snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

import metrics.admin
from metrics.models import Comment, FollowerSnapshot, PostMetrics
from tests import factories as f
from tests.admin_support import admin_url as url
from tests.admin_support import staff_client

SERVICES = ("post_metrics_delete", "comment_delete", "follower_snapshot_delete")


@pytest.fixture
def manager(team: Any) -> Client:
    return staff_client(team.manager)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The delete services the admin called, by name (each still runs)."""
    called: list[str] = []
    for name in SERVICES:
        service = getattr(metrics.admin, name)

        def spy(*args: Any, _name: str = name, _service: Any = service, **kwargs: Any) -> None:
            called.append(_name)
            _service(*args, **kwargs)

        monkeypatch.setattr(metrics.admin, name, spy)
    return called


def test_post_metrics_deleted_in_the_admin_go_through_the_service(
    manager, maya, calls, recomputed
):
    row = f.PostMetricsFactory(post__partnership=maya)
    response = manager.post(url(PostMetrics, "delete", row.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not PostMetrics.objects.exists()
    assert calls == ["post_metrics_delete"] and recomputed == [maya.campaign_id]


def test_a_comment_deleted_in_the_admin_goes_through_the_service(
    manager, maya, calls, recomputed
):
    comment = f.CommentFactory(post__partnership=maya)
    response = manager.post(url(Comment, "delete", comment.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert calls == ["comment_delete"] and recomputed == [maya.campaign_id]


def test_a_creators_count_deleted_in_the_admin_refreshes_her_followers(
    team, manager, maya, calls, recomputed
):
    account = f.SocialAccountFactory(influencer=maya.influencer, followers=12_000)
    snapshots = [
        f.FollowerSnapshotFactory(
            brand_account=None, social_account=account, organization=team.organization,
            date=dt.date(2026, 3, day), followers=followers,
        )
        for day, followers in ((1, 10_000), (2, 12_000))
    ]
    response = manager.post(url(FollowerSnapshot, "delete", snapshots[1].pk), {"post": "yes"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.followers == 10_000
    assert calls == ["follower_snapshot_delete"] and recomputed == [maya.campaign_id]


def test_the_bulk_delete_action_goes_through_the_services(
    manager, maya, zoe, calls, recomputed
):
    rows = [f.PostMetricsFactory(post__partnership=p) for p in (maya, zoe)]
    comments = [f.CommentFactory(post__partnership=p) for p in (maya, zoe)]
    snapshot = f.FollowerSnapshotFactory(brand_account__brand=maya.campaign.brand)
    batches = ((PostMetrics, rows), (Comment, comments), (FollowerSnapshot, [snapshot]))
    for model, objects in batches:
        response = manager.post(url(model, "changelist"), {
            "action": "delete_selected", "_selected_action": [o.pk for o in objects],
            "post": "yes",
        })
        assert response.status_code == 302
        assert not model._default_manager.exists()
    assert calls == ["post_metrics_delete"] * 2 + ["comment_delete"] * 2 + [
        "follower_snapshot_delete"
    ]
    both = sorted([maya.campaign_id, zoe.campaign_id])
    assert sorted(recomputed) == sorted(both * 3)


def test_a_viewer_cannot_delete_and_an_outsider_gets_404(
    team, outsider_team, maya, calls, recomputed
):
    row = f.PostMetricsFactory(post__partnership=maya)
    viewer = staff_client(team.viewer)
    assert viewer.post(url(PostMetrics, "delete", row.pk), {"post": "yes"}).status_code == 403
    outsider = staff_client(outsider_team.owner)
    assert outsider.post(url(PostMetrics, "delete", row.pk), {"post": "yes"}).status_code == 404
    assert PostMetrics.objects.exists() and calls == [] and recomputed == []
