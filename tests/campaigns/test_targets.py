"""The KPI target services (campaigns/targets.py): set, update (value, KPI field, campaign),
delete — roles, the organization, one target per field and campaign, the recompute of the
campaigns touched — and the admin writing targets through them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import campaigns.targets
from accounts.models import Role
from campaigns.models import KpiTarget
from campaigns.targets import kpi_target_delete, kpi_target_set, kpi_target_update
from tests import factories as f
from tests.admin_support import staff_client

IMPRESSIONS, REACH = KpiTarget.Metric.IMPRESSIONS, KpiTarget.Metric.REACH


@pytest.fixture
def campaign(team: Any) -> Any:
    return f.CampaignFactory(brand__organization=team.organization)


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    ids: list[int] = []

    def record(campaign_ids: Any, **_: Any) -> list[int]:
        ids.extend(int(c) for c in campaign_ids if c is not None)
        return ids

    monkeypatch.setattr(campaigns.targets, "schedule_kpi_recompute", record)
    return ids


# --- The services ---------------------------------------------------------------------------
def test_set_creates_then_replaces_the_value(team, campaign, recomputed):
    first = kpi_target_set(access=team.access(Role.MANAGER), campaign=campaign,
                           metric=IMPRESSIONS, value=Decimal("1000"))
    second = kpi_target_set(access=team.access(Role.MANAGER), campaign=campaign,
                            metric=IMPRESSIONS, value=Decimal("2000"))
    assert first.pk == second.pk and KpiTarget.objects.get().value == Decimal("2000")
    assert recomputed == [campaign.pk, campaign.pk]


def test_update_changes_the_value_in_place(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS)
    saved = kpi_target_update(access=team.access(Role.MANAGER), target=target,
                              value=Decimal("5"))
    assert saved.pk == target.pk and KpiTarget.objects.get().value == Decimal("5")
    assert recomputed == [campaign.pk, campaign.pk]


def test_update_moves_a_target_to_another_field_without_a_delete(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS, value=Decimal("10"))
    saved = kpi_target_update(access=team.access(), target=target, metric=REACH)
    assert [(t.pk, t.metric, t.value) for t in KpiTarget.objects.all()] == [
        (target.pk, REACH, Decimal("10"))
    ]
    assert saved.metric == REACH


def test_moving_onto_a_field_that_has_a_target_replaces_it(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS, value=Decimal("10"))
    f.KpiTargetFactory(campaign=campaign, metric=REACH, value=Decimal("99"))
    kpi_target_update(access=team.access(), target=target, metric=REACH)
    assert [(t.pk, t.metric, t.value) for t in KpiTarget.objects.all()] == [
        (target.pk, REACH, Decimal("10"))
    ]


def test_moving_to_another_campaign_recomputes_both(team, campaign, recomputed):
    other = f.CampaignFactory(brand=campaign.brand)
    target = f.KpiTargetFactory(campaign=campaign)
    kpi_target_update(access=team.access(), target=target, campaign=other)
    assert KpiTarget.objects.get().campaign == other
    assert sorted(recomputed) == sorted([campaign.pk, other.pk])


def test_no_change_recomputes_nothing(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS)
    kpi_target_update(access=team.access(), target=target, metric=IMPRESSIONS)
    assert recomputed == []


def test_delete_recomputes_the_campaign(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign)
    kpi_target_delete(access=team.access(Role.MANAGER), target=target)
    assert not KpiTarget.objects.exists() and recomputed == [campaign.pk]


def test_a_viewer_may_not_write_targets(team, campaign, recomputed):
    target = f.KpiTargetFactory(campaign=campaign)
    viewer = team.access(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        kpi_target_set(access=viewer, campaign=campaign, metric=REACH, value=Decimal("1"))
    with pytest.raises(PermissionDenied):
        kpi_target_update(access=viewer, target=target, value=Decimal("1"))
    with pytest.raises(PermissionDenied):
        kpi_target_delete(access=viewer, target=target)
    assert KpiTarget.objects.get().value == target.value and recomputed == []


def test_another_organizations_targets_and_campaigns_are_refused(
    team, outsider_team, campaign, recomputed
):
    theirs = f.KpiTargetFactory(campaign__brand__organization=outsider_team.organization)
    mine = f.KpiTargetFactory(campaign=campaign)
    owner = team.access()
    with pytest.raises(ValidationError):
        kpi_target_set(access=owner, campaign=theirs.campaign, metric=REACH, value=Decimal("1"))
    with pytest.raises(ValidationError):
        kpi_target_update(access=owner, target=theirs, value=Decimal("1"))
    with pytest.raises(ValidationError):
        kpi_target_update(access=owner, target=mine, campaign=theirs.campaign)
    with pytest.raises(ValidationError):
        kpi_target_delete(access=owner, target=theirs)
    assert KpiTarget.objects.count() == 2 and recomputed == []


# --- The admin writes through them ----------------------------------------------------------
@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The calls of ``kpi_target_update`` (each still runs); no delete may be called."""
    calls: list[dict[str, Any]] = []
    update = campaigns.targets.kpi_target_update

    def spy(**kwargs: Any) -> KpiTarget:
        calls.append(kwargs)
        return update(**kwargs)

    def no_delete(**kwargs: Any) -> None:
        raise AssertionError("a changed target is updated, not deleted and set again")

    monkeypatch.setattr(campaigns.targets, "kpi_target_update", spy)
    monkeypatch.setattr(campaigns.targets, "kpi_target_delete", no_delete)
    return calls


def test_the_targets_admin_changes_the_field_through_the_update_service(team, campaign, updates):
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS, value=Decimal("10"))
    response = staff_client(team.manager).post(
        reverse("admin:campaigns_kpitarget_change", args=[target.pk]),
        {"campaign": campaign.pk, "metric": REACH, "value": "10"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(t.pk, t.metric) for t in KpiTarget.objects.all()] == [(target.pk, REACH)]
    assert len(updates) == 1 and updates[0]["metric"] == REACH


def test_the_targets_admin_moves_a_target_to_another_campaign(team, campaign, updates):
    other = f.CampaignFactory(brand=campaign.brand)
    target = f.KpiTargetFactory(campaign=campaign, metric=IMPRESSIONS, value=Decimal("10"))
    response = staff_client(team.manager).post(
        reverse("admin:campaigns_kpitarget_change", args=[target.pk]),
        {"campaign": other.pk, "metric": IMPRESSIONS, "value": "10"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(t.pk, t.campaign_id) for t in KpiTarget.objects.all()] == [(target.pk, other.pk)]
    assert len(updates) == 1
