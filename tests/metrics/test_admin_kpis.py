"""The KPI summaries the admin shows (metrics/admin_kpis.py)."""

from __future__ import annotations

from metrics import admin_kpis
from tests.metrics import scenario


def test_admin_summary_shows_the_nine_kpis_with_coverage(team):
    s = scenario.build(team.organization)
    assert "Not computed yet" in admin_kpis.kpi_summary_html(s.campaign)
    from metrics.engine import kpis_recompute

    kpis_recompute(campaign_id=s.campaign.pk, as_of=scenario.AS_OF)
    html = str(admin_kpis.kpi_summary_html(s.campaign))
    for title in ("Brand awareness", "Engagement", "Conversion", "Audience growth", "CTR",
                  "Traffic", "EMV", "ROI", "Sentiment", "Coverage", "Computed"):
        assert title in html
    assert "953.00" in html and "32,000" in html
    assert "953.00" not in str(admin_kpis.partnership_headline_html(s.carol))
    assert "223.00" in str(admin_kpis.partnership_headline_html(s.alice))
