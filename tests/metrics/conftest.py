"""Fixtures of the metrics tests: a brand with two partnerships in two campaigns, and the
campaigns the metrics services hand to the recompute entry point."""

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
    """The campaign ids the metrics services hand to ``schedule_kpi_recompute``, in order: the
    conversion, visit and refund services (through ``schedule_for_partnerships``) and the
    ingestion services (post metrics, comments, follower counts and their deletes)."""
    import metrics.services.conversions
    import metrics.services.ingestion

    ids: list[int] = []

    def record(campaign_ids: Any, **_: Any) -> list[int]:
        ids.extend(int(c) for c in campaign_ids if c is not None)
        return ids

    for module in (metrics.services.conversions, metrics.services.ingestion):
        monkeypatch.setattr(module, "schedule_kpi_recompute", record)
    return ids
