"""``GET campaigns/{id}/kpis/`` and ``POST campaigns/{id}/recompute/`` (CampaignKpiActions).

The mixin is tested on a minimal host viewset routed by this module (the checkpoint comes from
``accounts.api.OrgScopedMixin``, as in the real campaign viewset), and on the real
``/api/v1/campaigns/`` route once the campaign viewset mixes it in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from accounts.api import OrgScopedMixin
from accounts.models import Role
from campaigns.models import Campaign
from metrics.api.kpis import CampaignKpiActions
from metrics.engine import kpis_recompute
from metrics.models import KpiScope, KpiSnapshot
from metrics.selectors.snapshots import campaign_snapshots
from tests import factories as f
from tests.metrics import scenario


class KpiHostViewSet(CampaignKpiActions, OrgScopedMixin, viewsets.GenericViewSet):
    model = Campaign


router = DefaultRouter()
router.register("campaigns", KpiHostViewSet, basename="campaign")
urlpatterns = [path("api/v1/", include((router.urls, "api"), namespace="api"))]

pytestmark = pytest.mark.urls("tests.metrics.api.test_kpis")

GROUP_FIELDS = {
    "awareness": {"impressions", "reach", "video_views"},
    "engagement": {"likes", "comments", "shares", "saves", "engagements", "mentions",
                   "engagement_rate", "engagement_rate_followers"},
    "conversion": {"conversions", "revenue", "conversion_rate", "by_source",
                   "excluded_other_currency"},
    "audience_growth": {"followers_start", "followers_end", "followers_gained", "growth_rate",
                        "leads"},
    "ctr": {"clicks", "unique_clicks", "impressions", "ctr"},
    "traffic": {"visits", "unique_visitors", "visit_conversion_rate"},
    "emv": {"total", "by_platform", "rates_used"},
    "roi": {"revenue", "total_cost", "cost_breakdown", "roi", "roas", "cpm", "cpe", "cpc",
            "cpa"},
    "sentiment": {"positive", "neutral", "negative", "total", "net_sentiment"},
}
TOP_LEVEL = ["campaign", "stage", "currency", "as_of", "computed_at", "headline", "targets",
             "coverage", "awareness", "engagement", "conversion", "audience_growth", "ctr",
             "traffic", "emv", "roi", "sentiment"]


def kpis_url(campaign_id: int) -> str:
    return f"/api/v1/campaigns/{campaign_id}/kpis/"


@pytest.fixture
def built(team) -> scenario.Scenario:
    s = scenario.build(team.organization)
    kpis_recompute(campaign_id=s.campaign.pk, as_of=scenario.AS_OF)
    return s


def test_it_returns_every_field_of_the_document(built, team, api_client_for):
    response = api_client_for(team.organization, Role.ADMIN).get(kpis_url(built.campaign.pk))
    assert response.status_code == 200
    body = response.json()
    assert list(body) == TOP_LEVEL
    for group, names in GROUP_FIELDS.items():
        assert names <= set(body[group]), group
    assert set(body["audience_growth"]) - GROUP_FIELDS["audience_growth"] == {
        "overlapping_campaigns"
    }
    assert set(body["coverage"]) == {
        "posts", "impressions", "reach", "views", "likes", "comments", "shares", "saves",
        "mentions", "link_clicks", "impressions_from_views",
    }
    assert set(body["roi"]["cost_breakdown"]) == {
        "fees", "product", "commission", "ad_spend", "production", "platform_fee", "other",
    }
    assert body["conversion"]["revenue"] == "265.00"
    assert body["ctr"]["ctr"] == pytest.approx(0.015625)
    assert body["emv"]["total"] == "953.00"
    assert body["sentiment"]["net_sentiment"] == 25.0
    assert "breakdown" not in body


@pytest.mark.parametrize(
    ("by", "keys"),
    [("platform", ["instagram", "tiktok", "youtube"]),
     ("day", [f"2026-03-{d:02d}" for d in range(1, 11)])],
)
def test_by_adds_a_breakdown(built, team, api_client_for, by, keys):
    response = api_client_for(team.organization).get(kpis_url(built.campaign.pk), {"by": by})
    assert response.status_code == 200
    breakdown = response.json()["breakdown"]
    assert [item["key"] for item in breakdown] == keys
    if by == "platform":
        assert breakdown[0]["roi"] is None and breakdown[0]["emv"]["total"] == "65.00"
    else:
        assert breakdown[-1]["conversion"]["revenue"] == "265.00"


def test_by_partnership_lists_each_creator(built, team, api_client_for):
    response = api_client_for(team.organization).get(
        kpis_url(built.campaign.pk), {"by": "partnership"}
    )
    labels = {item["label"]: item for item in response.json()["breakdown"]}
    assert set(labels) == {"Alice", "Bob", "Carol"}
    assert labels["Alice"]["partnership"] == built.alice.pk
    assert labels["Alice"]["audience_growth"]["followers_start"] is None


def test_an_unknown_by_is_a_400_naming_the_field(built, team, api_client_for):
    response = api_client_for(team.organization).get(kpis_url(built.campaign.pk), {"by": "week"})
    assert response.status_code == 400
    assert "by" in response.json()


def test_outsider_gets_404(built, outsider_team, api_client_for):
    client = api_client_for(outsider_team.organization)
    assert client.get(kpis_url(built.campaign.pk)).status_code == 404
    assert client.post(f"/api/v1/campaigns/{built.campaign.pk}/recompute/").status_code == 404


def test_recompute_answers_202_and_stores_a_new_snapshot(
    built, team, api_client_for, django_capture_on_commit_callbacks
):
    before = KpiSnapshot.objects.get(campaign=built.campaign, scope=KpiScope.TOTAL).computed_at
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(team.organization, Role.MANAGER).post(
            f"/api/v1/campaigns/{built.campaign.pk}/recompute/"
        )
    assert response.status_code == 202
    assert response.json() == {"campaign": built.campaign.pk, "status": "queued"}
    # Embedded mode runs the task eagerly once the request's transaction commits.
    after = KpiSnapshot.objects.get(campaign=built.campaign, scope=KpiScope.TOTAL).computed_at
    assert after > before


def test_a_viewer_may_not_recompute(built, team, api_client_for):
    response = api_client_for(team.organization, Role.VIEWER).post(
        f"/api/v1/campaigns/{built.campaign.pk}/recompute/"
    )
    assert response.status_code == 403


def test_the_first_read_writes_nothing_and_schedules_a_recompute(
    team, api_client_for, monkeypatch
):
    """A GET never computes or writes: before the first compute it answers the document's
    shape with unknown values and asks the worker for a recompute."""
    import metrics.api.kpis as kpis_api

    scheduled: list[list[int]] = []
    monkeypatch.setattr(kpis_api, "schedule_kpi_recompute",
                        lambda ids, **kw: scheduled.append(list(ids)) or list(ids))
    campaign = f.CampaignFactory(brand__organization=team.organization, stage="TOFU")
    client = api_client_for(team.organization)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(kpis_url(campaign.pk))
        by_day = client.get(kpis_url(campaign.pk) + "?by=day")
    assert response.status_code == 200 and by_day.status_code == 200
    body = response.json()
    assert list(body)[: len(TOP_LEVEL)] == TOP_LEVEL
    for group, names in GROUP_FIELDS.items():
        assert names <= set(body[group]), group
    assert body["headline"] == ["awareness", "engagement", "ctr", "emv", "sentiment"]
    assert body["computed_at"] is None
    assert body["awareness"]["impressions"] is None  # nothing computed yet
    assert body["roi"]["roi"] is None
    assert by_day.json()["breakdown"] == []
    assert not KpiSnapshot.objects.filter(campaign=campaign).exists()
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and KpiSnapshot._meta.db_table in q["sql"]]
    assert writes == []
    assert scheduled == [[campaign.pk], [campaign.pk]]


def test_reading_stored_kpis_takes_one_query(built):
    with CaptureQueriesContext(connection) as ctx:
        total, breakdown = campaign_snapshots(built.campaign.pk, KpiScope.DAY)
    assert total is not None and len(breakdown) == 10
    assert len(ctx.captured_queries) == 1


def test_the_endpoint_query_count_does_not_grow_with_rows(built, team, api_client_for,
                                                          django_assert_max_num_queries):
    client = api_client_for(team.organization)
    client.get(kpis_url(built.campaign.pk))  # warm the key's last-used stamp
    # Authentication (key lookup) + throttle (database cache in embedded mode) + the campaign
    # through the checkpoint + the snapshots: ≤ 5 queries for the KPI read itself.
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(kpis_url(built.campaign.pk), {"by": "day"})
    assert response.status_code == 200
    kpi_queries = [q for q in ctx.captured_queries
                   if "kpisnapshot" in q["sql"] or "campaigns_campaign" in q["sql"]]
    assert len(kpi_queries) <= 2
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(kpis_url(built.campaign.pk), {"by": "day"})


@pytest.mark.urls("config.urls")
def test_the_real_campaign_route_serves_kpis(built, team, outsider_team, api_client_for):
    url = reverse("api:campaign-kpis", args=[built.campaign.pk])
    assert api_client_for(team.organization).get(url).status_code == 200
    assert api_client_for(outsider_team.organization).get(url).status_code == 404
