"""Hand corrections of one visit (metrics/services/visits.py): the visit rules, attribution
kept consistent, and the recompute of the old and the new campaign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from metrics.models import Visit
from metrics.services.visits import visit_create, visit_delete, visit_update
from tests import factories as f

MARCH_5 = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


def test_a_visit_added_by_hand_is_attributed_by_its_utm(team, brand, maya, recomputed):
    link = f.TrackingLinkFactory(partnership=maya, utm_campaign="spring", utm_content="maya")
    visit = visit_create(access=team.access(Role.MANAGER), brand=brand, occurred_at=MARCH_5,
                         utm_campaign=link.utm_campaign, utm_content=link.utm_content)
    assert (visit.partnership, visit.attribution, visit.source) == (maya, "utm", "manual")
    assert recomputed == [maya.campaign_id]


def test_a_visit_added_with_a_partnership_is_manual_credit(team, brand, zoe):
    visit = visit_create(access=team.access(), brand=brand, occurred_at=MARCH_5, partnership=zoe)
    assert (visit.partnership, visit.attribution) == (zoe, "manual")


def test_an_id_the_source_already_has_is_refused(team, brand):
    f.VisitFactory(brand=brand, external_id="v-1", source="manual")
    with pytest.raises(ValidationError):
        visit_create(access=team.access(), brand=brand, occurred_at=MARCH_5, external_id="v-1")
    assert Visit.objects.count() == 1


def test_a_partnership_picked_by_hand_recomputes_both_campaigns(
    team, brand, maya, zoe, recomputed
):
    visit = f.VisitFactory(brand=brand, partnership=maya, attribution="utm")
    saved = visit_update(access=team.access(Role.MANAGER), visit=visit, partnership=zoe)
    assert (saved.partnership, saved.attribution, saved.matched_click) == (zoe, "manual", None)
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_a_corrected_click_id_applies_the_rules_again(team, brand, maya, zoe, recomputed):
    click = f.ClickFactory(link__partnership=zoe, occurred_at=MARCH_5 - dt.timedelta(hours=1))
    visit = f.VisitFactory(brand=brand, partnership=maya, attribution="utm", occurred_at=MARCH_5)
    saved = visit_update(access=team.access(), visit=visit, click_id=click.click_id)
    assert (saved.partnership, saved.attribution, saved.matched_click) == (zoe, "link", click)
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_it_refuses_a_naive_time_and_another_brands_partnership(team, brand, recomputed):
    visit = f.VisitFactory(brand=brand)
    elsewhere = f.PartnershipFactory(campaign__brand__organization=team.organization)
    with pytest.raises(ValidationError) as caught:
        visit_update(access=team.access(), visit=visit, partnership=elsewhere)
    assert caught.value.message_dict["partnership"] == ["This partnership is not the brand's."]
    with pytest.raises(ValidationError) as caught:
        visit_update(access=team.access(), visit=visit,
                     occurred_at=dt.datetime(2026, 3, 5, 10))  # noqa: DTZ001
    assert "occurred_at" in caught.value.message_dict
    with pytest.raises(ValidationError):
        visit_update(access=team.access(), visit=visit, external_id="renamed")
    assert Visit.objects.get().partnership is None and recomputed == []


def test_deleting_a_visit_recomputes_its_campaign(team, brand, maya, recomputed):
    visit = f.VisitFactory(brand=brand, partnership=maya, attribution="utm")
    with pytest.raises(PermissionDenied):
        visit_delete(access=team.access(Role.VIEWER), visit=visit)
    visit_delete(access=team.access(Role.MANAGER), visit=visit)
    assert not Visit.objects.exists() and recomputed == [maya.campaign_id]


def test_another_organizations_visit_is_refused(team, outsider_team):
    theirs = f.VisitFactory(brand__organization=outsider_team.organization)
    with pytest.raises(ValidationError):
        visit_update(access=team.access(), visit=theirs, visitor_id="mine")
    with pytest.raises(ValidationError):
        visit_delete(access=team.access(), visit=theirs)
    assert Visit.objects.count() == 1
