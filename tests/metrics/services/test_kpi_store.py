"""Storing KPI documents: a day whose figures came out as stored keeps its row, every other
row is rewritten, and what is stored always equals a fresh computation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine

from metrics.engine import kpi_documents, kpis_recompute
from metrics.models import KpiScope, KpiSnapshot
from metrics.services.kpi_store import encoded
from tests import factories as f
from tests.metrics import scenario


@pytest.fixture
def built(team) -> scenario.Scenario:
    return scenario.build(team.organization)


def _rows(campaign_id: int) -> dict[tuple[str, str], tuple[int, dt.datetime]]:
    return {(scope, key): (pk, computed_at) for scope, key, pk, computed_at in
            KpiSnapshot.objects.filter(campaign_id=campaign_id)
            .values_list("scope", "key", "pk", "computed_at")}


def _figures(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "computed_at"}


def _recompute_at(campaign_id: int, instant: dt.datetime) -> None:
    with time_machine.travel(instant, tick=False):
        kpis_recompute(campaign_id=campaign_id, as_of=scenario.AS_OF)


def _assert_stored_equals_a_fresh_computation(campaign: Any) -> None:
    fresh = {(scope, key): _figures(document)
             for scope, key, _, document in kpi_documents(campaign, as_of=scenario.AS_OF)}
    stored = {(scope, key): _figures(data) for scope, key, data in
              KpiSnapshot.objects.filter(campaign=campaign).values_list("scope", "key", "data")}
    assert stored == fresh


def test_unchanged_days_keep_their_rows_and_the_rest_is_rewritten(built):
    campaign = built.campaign
    first_at = dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC)
    _recompute_at(campaign.pk, first_at)
    first = _rows(campaign.pk)
    days = sorted(key for scope, key in first if scope == KpiScope.DAY)
    assert len(days) == 10

    _recompute_at(campaign.pk, first_at + dt.timedelta(hours=1))
    second = _rows(campaign.pk)
    assert set(second) == set(first)
    for (scope, key), (pk, computed_at) in second.items():
        if scope == KpiScope.DAY:  # same figures: the row is kept as it was
            assert (pk, computed_at) == first[(scope, key)]
        else:  # as of the recompute: always rewritten
            assert computed_at == first_at + dt.timedelta(hours=1)

    # A late snapshot on 6 March changes the days from the 6th on, and only those.
    post = built.alice.posts.order_by("published_at").first()
    f.PostMetricsFactory(post=post, captured_at=scenario.at(6, 8), views=2500, reach=900)
    third_at = first_at + dt.timedelta(hours=2)
    _recompute_at(campaign.pk, third_at)
    third = _rows(campaign.pk)
    for key in days:
        kept = third[(KpiScope.DAY, key)] == second[(KpiScope.DAY, key)]
        assert kept == (key < "2026-03-06"), key
        if not kept:
            assert third[(KpiScope.DAY, key)][1] == third_at
    _assert_stored_equals_a_fresh_computation(campaign)


def test_a_change_of_costs_rewrites_every_day_it_reaches(built):
    campaign = built.campaign
    _recompute_at(campaign.pk, dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC))
    before = _rows(campaign.pk)
    f.CostFactory(campaign=campaign, incurred_on=dt.date(2026, 3, 9), amount="40.00")
    _recompute_at(campaign.pk, dt.datetime(2026, 3, 21, 10, tzinfo=dt.UTC))
    after = _rows(campaign.pk)
    rewritten = sorted(key for (scope, key), row in after.items()
                       if scope == KpiScope.DAY and row != before[(scope, key)])
    assert rewritten == ["2026-03-09", "2026-03-10"]
    _assert_stored_equals_a_fresh_computation(campaign)


def test_days_that_left_the_series_are_removed(built):
    campaign = built.campaign
    _recompute_at(campaign.pk, dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC))
    campaign.end_date = dt.date(2026, 3, 5)
    campaign.save()
    _recompute_at(campaign.pk, dt.datetime(2026, 3, 21, 10, tzinfo=dt.UTC))
    days = sorted(key for scope, key in _rows(campaign.pk) if scope == KpiScope.DAY)
    assert days == [f"2026-03-0{d}" for d in range(1, 6)]
    _assert_stored_equals_a_fresh_computation(campaign)


def test_the_digest_leaves_out_computed_at_and_nothing_else(built):
    documents = kpi_documents(built.campaign, as_of=scenario.AS_OF)
    scope, key, as_of, document = documents[0]
    later = {**document, "computed_at": "2030-01-01T00:00:00+00:00"}
    changed = {**document, "stage": "TOFU"}
    plain, same, other = encoded([(scope, key, as_of, d) for d in (document, later, changed)])
    assert plain.digest == same.digest != other.digest
    # The stored text is the document itself, computed_at included.
    assert json.loads(plain.text) == document
    assert json.loads(same.text)["computed_at"] == "2030-01-01T00:00:00+00:00"


def test_another_organizations_recompute_leaves_these_rows_alone(built, team):
    other = f.CampaignFactory(start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 4))
    _recompute_at(built.campaign.pk, dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC))
    mine = _rows(built.campaign.pk)
    _recompute_at(other.pk, dt.datetime(2026, 3, 21, 10, tzinfo=dt.UTC))
    assert _rows(built.campaign.pk) == mine
    assert other.brand.organization != team.organization
