"""Fixtures of the metrics services' tests: a brand with two partnerships in two campaigns, and
the campaigns handed to the recompute entry point."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f


@pytest.fixture
def brand(team: Any) -> Any:
    return f.BrandFactory(organization=team.organization, name="Glow")


@pytest.fixture
def maya(brand: Any) -> Any:
    return f.PartnershipFactory(campaign__brand=brand)


@pytest.fixture
def zoe(brand: Any) -> Any:
    return f.PartnershipFactory(campaign__brand=brand)


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The campaign ids handed to ``schedule_kpi_recompute`` by the conversion, visit and refund
    services (they all schedule through ``schedule_for_partnerships``)."""
    import metrics.services.conversions

    ids: list[int] = []

    def record(campaign_ids: Any, **_: Any) -> list[int]:
        ids.extend(int(c) for c in campaign_ids if c is not None)
        return ids

    monkeypatch.setattr(metrics.services.conversions, "schedule_kpi_recompute", record)
    return ids
