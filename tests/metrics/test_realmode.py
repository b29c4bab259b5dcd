"""The hand-computed campaign computed by a real Celery worker consuming from Redis, against
PostgreSQL (not eager). Skipped unless DATABASE_URL and REDIS_URL are set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from metrics.models import KpiScope, KpiSnapshot
from metrics.scheduling import schedule_kpi_recompute
from tests.metrics import scenario
from tests.metrics.test_engine import assert_total_document
from tests.worker import celery_worker, requires_real_mode, wait_for

__all__ = ["celery_worker"]

pytestmark = [pytest.mark.realmode, requires_real_mode]


def _stored_total(campaign_id: int) -> KpiSnapshot | None:
    return KpiSnapshot.objects.filter(campaign_id=campaign_id, scope=KpiScope.TOTAL).first()


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


@pytest.mark.django_db(transaction=True)
def test_the_recompute_endpoint_queues_work_for_the_worker(celery_worker, team, api_client_for):
    from django.urls import reverse

    built = scenario.build(team.organization, after_as_of=False)
    url = reverse("api:campaign-recompute", args=[built.campaign.pk])
    response = api_client_for(team.organization).post(url)
    assert response.status_code == 202
    total = wait_for(lambda: _stored_total(built.campaign.pk), timeout=90)
    assert total.data["emv"]["total"] == "953.00"
