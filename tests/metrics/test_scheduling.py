"""The one recompute entry point (``metrics.scheduling``) and the one organization-wide
recompute (``metrics.engine.campaigns_recompute``). The real-mode tests at the end run the same
path through a real Celery worker consuming from Redis, against PostgreSQL (not eager); they are
skipped unless DATABASE_URL and REDIS_URL are set."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import CampaignStatus
from metrics import tasks
from metrics.engine import campaigns_recompute
from metrics.models import KpiScope, KpiSnapshot
from metrics.scheduling import schedule_kpi_recompute
from metrics.services.emv import emv_rate_set
from tests import factories as f
from tests.metrics import scenario
from tests.metrics.test_engine import assert_total_document
from tests.worker import celery_worker, requires_real_mode, wait_for

__all__ = ["celery_worker"]  # the module-scoped real worker of the real-mode tests below

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "campaigns", "config", "influencers", "metrics")
TASK = "recompute_campaign_kpis"
# The entry point enqueues the task; the task module defines it and runs the engine.
ENTRY_POINT = {"metrics/scheduling.py", "metrics/tasks.py"}
# Still enqueueing the task themselves, in modules another change of the same restructuring
# owns; each is to call ``schedule_kpi_recompute`` instead, then leave this set.
NOT_YET_MIGRATED: set[str] = set()


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in name:
                found.append((name, ast.parse(path.read_text(), filename=name)))
    return found


def _starts_a_recompute(tree: ast.Module) -> list[int]:
    """Lines that import the KPI task, call the engine's ``kpis_recompute`` or name the task
    by its string (``send_task``): every way to run a recompute without the entry point."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == TASK for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == TASK:
            lines.append(node.lineno)  # tasks.recompute_campaign_kpis.delay(...)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
              and getattr(node.func, "id", getattr(node.func, "attr", "")) == "kpis_recompute"):
            lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and node.value == f"metrics.tasks.{TASK}":
            lines.append(node.lineno)
    return sorted(set(lines))


def test_nothing_but_the_entry_point_starts_a_recompute():
    offenders = {
        name: lines for name, tree in _sources()
        if name not in ENTRY_POINT and (lines := _starts_a_recompute(tree))
    }
    assert set(offenders) - NOT_YET_MIGRATED == set(), offenders


def test_the_scan_sees_the_ways_a_recompute_used_to_start():
    """The scan itself: the old seed_demo ``.apply``, a view's ``.delay`` and the API GET's
    direct engine call are all caught."""
    old = (
        "from metrics.tasks import recompute_campaign_kpis\n"
        "recompute_campaign_kpis.apply(args=(1,), throw=True)\n"
        "from metrics import tasks\n"
        "tasks.recompute_campaign_kpis.delay(1)\n"
        "from metrics.engine import kpis_recompute\n"
        "kpis_recompute(campaign_id=1)\n"
    )
    assert _starts_a_recompute(ast.parse(old)) == [1, 4, 6]


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The campaign ids handed to Celery (nothing runs)."""
    calls: list[int] = []
    monkeypatch.setattr(tasks.recompute_campaign_kpis, "apply_async",
                        lambda args, **kwargs: calls.append(args[0]))
    return calls


def test_several_writes_in_one_transaction_schedule_one_task_per_campaign(
    team, enqueued, django_capture_on_commit_callbacks
):
    access = team.access()
    campaign = f.CampaignFactory(brand__organization=team.organization)
    other = f.CampaignFactory(brand=campaign.brand)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for amount in ("10", "20", "30"):
            campaign_services.cost_create(
                access=access, campaign=campaign, category="other", amount=Decimal(amount),
                incurred_on=dt.date(2026, 3, 1),
            )
        schedule_kpi_recompute([campaign.pk, other.pk, None])
        # An EMV rate re-values every campaign of the organization: the same two again.
        emv_rate_set(access=access, platform="instagram", metric="impressions", value="0.01")
    assert len(callbacks) == 1
    assert enqueued == []  # nothing before the commit
    callbacks[0]()
    assert enqueued == sorted([campaign.pk, other.pk])


def test_a_rolled_back_transaction_schedules_nothing(
    team, enqueued, django_capture_on_commit_callbacks
):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    later = f.CampaignFactory(brand=campaign.brand)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            schedule_kpi_recompute([campaign.pk])
            raise RuntimeError("the write failed")
        assert enqueued == []
        # The rolled-back batch is dropped: the next transaction starts a batch of its own.
        with transaction.atomic():
            schedule_kpi_recompute([later.pk])
    assert len(callbacks) == 1
    assert enqueued == [later.pk]


def test_now_recomputes_here_without_waiting_for_a_commit(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    with transaction.atomic():
        assert schedule_kpi_recompute([campaign.pk, campaign.pk], now=True) == [campaign.pk]
        assert KpiSnapshot.objects.filter(campaign=campaign, scope=KpiScope.TOTAL).exists()


def _three_campaigns(team, outsider_team):
    live = f.CampaignFactory(brand__organization=team.organization,
                             status=CampaignStatus.COMPLETED)
    archived = f.CampaignFactory(brand=live.brand, status=CampaignStatus.ARCHIVED)
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization,
                               status=CampaignStatus.ACTIVE)
    return live, archived, theirs


def test_the_organization_wide_recompute_leaves_archived_campaigns_out(
    team, outsider_team, enqueued, django_capture_on_commit_callbacks
):
    live, archived, theirs = _three_campaigns(team, outsider_team)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_recompute(organization_id=team.organization.pk) == 1
    assert enqueued == [live.pk]


def test_the_nightly_recompute_leaves_archived_campaigns_out(
    team, outsider_team, enqueued, django_capture_on_commit_callbacks
):
    live, archived, theirs = _three_campaigns(team, outsider_team)
    running = f.CampaignFactory(brand=archived.brand, status=CampaignStatus.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_active_campaigns() == 2
    # Active campaigns only (the day rolls on for running ones); never an archived one.
    assert sorted(enqueued) == sorted([theirs.pk, running.pk])


def test_an_emv_rate_change_leaves_archived_campaigns_out(
    team, outsider_team, enqueued, django_capture_on_commit_callbacks
):
    live, archived, theirs = _three_campaigns(team, outsider_team)
    with django_capture_on_commit_callbacks(execute=True):
        emv_rate_set(access=team.access(), platform="instagram", metric="impressions",
                     value="0.01")
    assert enqueued == [live.pk]


def test_archived_campaigns_are_recomputed_when_asked_explicitly(team, outsider_team):
    live, archived, theirs = _three_campaigns(team, outsider_team)
    call_command("recompute_kpis", "--campaign", str(archived.pk), stdout=StringIO())
    assert KpiSnapshot.objects.filter(campaign=archived).exists()
    out = StringIO()
    call_command("recompute_kpis", stdout=out)
    assert "Recomputed 3 campaign(s)." in out.getvalue()
    assert {live.pk, archived.pk, theirs.pk} == set(
        KpiSnapshot.objects.filter(scope=KpiScope.TOTAL).values_list("campaign_id", flat=True)
    )


# --- The same path through a real Celery worker on Redis and PostgreSQL (real mode only) -----
def _stored_total(campaign_id: int) -> KpiSnapshot | None:
    return KpiSnapshot.objects.filter(campaign_id=campaign_id, scope=KpiScope.TOTAL).first()


@pytest.mark.realmode
@pytest.mark.celery_worker
@requires_real_mode
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_hand_computed_campaign(celery_worker, team, settings):
    from config.celery import app

    assert not app.conf.task_always_eager
    settings.KPI_RECOMPUTE_COUNTDOWN = 0
    built = scenario.build(team.organization, after_as_of=False)
    assert timezone.now() > scenario.AS_OF  # "now" then sees exactly the scenario's data
    started = timezone.now()
    # The normal path: a service's transaction schedules the recompute; it is queued on commit.
    with transaction.atomic():
        schedule_kpi_recompute([built.campaign.pk])
    assert _stored_total(built.campaign.pk) is None  # not computed in this process

    total = wait_for(lambda: _stored_total(built.campaign.pk), timeout=90)
    assert total.computed_at >= started
    assert_total_document(total.data, built.campaign, as_of=None)
    assert dt.datetime.fromisoformat(total.data["as_of"]) >= started
    days = KpiSnapshot.objects.filter(campaign=built.campaign, scope=KpiScope.DAY)
    assert days.count() == 10
    assert days.get(key="2026-03-07").data["conversion"]["revenue"] == "400.00"
    assert "recompute_campaign_kpis" in celery_worker.log()


@pytest.mark.realmode
@pytest.mark.celery_worker
@requires_real_mode
@pytest.mark.django_db(transaction=True)
def test_the_recompute_endpoint_queues_work_for_the_worker(celery_worker, team, api_client_for):
    from django.urls import reverse

    built = scenario.build(team.organization, after_as_of=False)
    url = reverse("api:campaign-recompute", args=[built.campaign.pk])
    response = api_client_for(team.organization).post(url)
    assert response.status_code == 202
    total = wait_for(lambda: _stored_total(built.campaign.pk), timeout=90)
    assert total.data["emv"]["total"] == "953.00"
