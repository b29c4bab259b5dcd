"""The default EMV rate card (metrics/emv_defaults.py) and how an organization gets it."""

from __future__ import annotations

from metrics.emv_defaults import DEFAULT_RATES, emv_rates_ensure
from metrics.models import EmvRate


def test_default_rate_card_values_one_exposure_metric_per_platform(team):
    exposure = {(r.platform, r.metric) for r in DEFAULT_RATES
                if r.metric in ("impressions", "views", "reach")}
    platforms = {p for p, _ in exposure}
    assert len(exposure) == len(platforms) == 10
    assert ("instagram", "views") in exposure and ("facebook", "impressions") in exposure
    assert all(r.source for r in DEFAULT_RATES)
    assert emv_rates_ensure(organization=team.organization) is True
    assert EmvRate.objects.filter(organization=team.organization).count() == len(DEFAULT_RATES)
    assert emv_rates_ensure(organization=team.organization) is False  # edits are kept
