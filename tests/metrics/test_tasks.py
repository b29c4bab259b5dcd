"""The KPI tasks (metrics/tasks.py): the nightly and per-organization recomputes, the debounce
key cleared, comments labelled in batches."""

from __future__ import annotations

from campaigns.models import CampaignStatus
from metrics import tasks
from metrics.models import Comment, KpiSnapshot
from metrics.scheduling import pending_key, schedule_kpi_recompute
from tests import factories as f


def test_nightly_task_recomputes_only_active_campaigns(team, django_capture_on_commit_callbacks):
    active = f.CampaignFactory(brand__organization=team.organization)
    draft = f.CampaignFactory(brand=active.brand, status=CampaignStatus.DRAFT)
    archived = f.CampaignFactory(brand=active.brand, status=CampaignStatus.ARCHIVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_active_campaigns.delay().get() == 1
    assert KpiSnapshot.objects.filter(campaign=active).exists()
    assert not KpiSnapshot.objects.filter(campaign=draft).exists()
    assert not KpiSnapshot.objects.filter(campaign=archived).exists()


def test_organization_task_recomputes_its_campaigns_only(
    team, outsider_team, django_capture_on_commit_callbacks
):
    mine = f.CampaignFactory(brand__organization=team.organization)
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_organization_kpis.delay(team.organization.pk).get() == 1
    assert KpiSnapshot.objects.filter(campaign=mine).exists()
    assert not KpiSnapshot.objects.filter(campaign=theirs).exists()


def test_the_task_clears_the_debounce_key(team, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    campaign = f.CampaignFactory(brand__organization=team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_kpi_recompute([campaign.pk])
    assert KpiSnapshot.objects.filter(campaign=campaign).exists()
    assert cache.get(pending_key(campaign.pk)) is None


def test_label_pending_comments_labels_in_batches(team, monkeypatch):
    monkeypatch.setattr(tasks, "LABEL_BATCH", 2)
    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    for i, text in enumerate(["I love it", "awful, I hate it", "it is a shoe"]):
        f.CommentFactory(post=post, external_id=f"x{i}", text=text)
    f.CommentFactory(post=post, external_id="done", text="I love it", sentiment="negative")
    assert tasks.label_pending_comments.delay().get() == 1
    labels = dict(Comment.objects.values_list("external_id", "sentiment"))
    assert labels == {"x0": "positive", "x1": "negative", "x2": "neutral", "done": "negative"}
