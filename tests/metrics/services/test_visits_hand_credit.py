"""A visit credited by hand keeps its credit when its source sends it again
(metrics/services/visits.py ``visits_ingest``), as a conversion does in ``conversions_ingest``;
a visit the rules attributed is attributed again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from metrics.models import Conversion, Visit
from metrics.services.conversions import conversions_ingest
from metrics.services.visits import visits_ingest
from tests import factories as f

MARCH_5 = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The campaign ids ``visits_ingest`` hands to the recompute entry point."""
    import metrics.services.visits

    ids: list[int] = []

    def record(campaign_ids: Any, **_: Any) -> list[int]:
        ids.extend(int(c) for c in campaign_ids if c is not None)
        return ids

    monkeypatch.setattr(metrics.services.visits, "schedule_kpi_recompute", record)
    return ids


def _resent(brand, link, external_id: str = "v-1") -> dict:
    return {"brand": brand, "external_id": external_id, "occurred_at": MARCH_5,
            "landing_url": "https://brand.example/shop?x=1", "utm_campaign": link.utm_campaign,
            "utm_content": link.utm_content}


def test_a_visit_credited_by_hand_keeps_its_credit_when_sent_again(brand, maya, zoe, recomputed):
    link = f.TrackingLinkFactory(partnership=maya)
    f.VisitFactory(brand=brand, source="api", external_id="v-1", partnership=zoe,
                   attribution="manual", occurred_at=MARCH_5)
    created, updated = visits_ingest(items=[_resent(brand, link)], source="api")
    assert (created, updated) == (0, 1)
    visit = Visit.objects.get()
    assert (visit.partnership, visit.attribution, visit.matched_click) == (zoe, "manual", None)
    assert (visit.utm_campaign, visit.landing_url) == (
        link.utm_campaign, "https://brand.example/shop?x=1"
    )
    assert recomputed == [zoe.campaign_id]


def test_a_visit_the_rules_attributed_is_attributed_again(brand, maya, zoe, recomputed):
    link = f.TrackingLinkFactory(partnership=maya)
    f.VisitFactory(brand=brand, source="api", external_id="v-1", partnership=zoe,
                   attribution="utm", occurred_at=MARCH_5)
    visits_ingest(items=[_resent(brand, link)], source="api")
    visit = Visit.objects.get()
    assert (visit.partnership, visit.attribution) == (maya, "utm")
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_visits_and_conversions_follow_the_same_rule(brand, maya, zoe):
    link = f.TrackingLinkFactory(partnership=maya)
    f.VisitFactory(brand=brand, source="api", external_id="v-1", partnership=zoe,
                   attribution="manual", occurred_at=MARCH_5)
    f.ConversionFactory(brand=brand, source="api", external_id="o-1", partnership=zoe,
                        attribution="manual", occurred_at=MARCH_5)
    visits_ingest(items=[_resent(brand, link)], source="api")
    conversions_ingest(items=[{
        "brand": brand, "external_id": "o-1", "occurred_at": MARCH_5,
        "utm_campaign": link.utm_campaign, "utm_content": link.utm_content,
    }], source="api")
    visit, conversion = Visit.objects.get(), Conversion.objects.get()
    assert (visit.partnership, visit.attribution) == (conversion.partnership,
                                                      conversion.attribution) == (zoe, "manual")
