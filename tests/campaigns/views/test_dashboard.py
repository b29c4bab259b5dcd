"""The dashboard: campaigns with stage, status, dates, spend against budget and headline KPIs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report


def test_it_lists_the_campaigns_with_spend_and_headline_kpis(team, client_for):
    brand = f.BrandFactory(organization=team.organization)
    campaign = campaign_with_report(brand=brand, name="Vitamin launch", budget="10000.00")
    response = client_for(team.viewer).get(reverse("dashboard"))
    html = response.content.decode()
    assert "Vitamin launch" in html
    assert "3,000.00 USD of 10,000.00 USD" in html
    row = response.context["rows"][0]
    assert [c.group for c in row["headline"]] == ["conversion", "roi", "ctr", "traffic"]
    assert row["spend_share"] == pytest.approx(30.0)
    # each target names its own KPI and unit (the ROI card may carry a ROAS target in ×)
    assert "Conversions target: 84 of 100" in html
    assert campaign.pk


def test_filters_by_brand_stage_and_status(team, client_for):
    a = f.BrandFactory(organization=team.organization, name="Alpha")
    b = f.BrandFactory(organization=team.organization, name="Beta")
    f.CampaignFactory(brand=a, name="A-tofu", stage="TOFU", status="active")
    f.CampaignFactory(brand=b, name="B-bofu", stage="BOFU", status="draft")
    client = client_for(team.owner)
    names = lambda r: [row["campaign"].name for row in r.context["rows"]]  # noqa: E731
    assert names(client.get("/", {"brand": a.pk})) == ["A-tofu"]
    assert names(client.get("/", {"stage": "BOFU"})) == ["B-bofu"]
    assert names(client.get("/", {"status": "active"})) == ["A-tofu"]
    assert sorted(names(client.get("/", {"status": "nonsense"}))) == ["A-tofu", "B-bofu"]


def test_htmx_filtering_returns_only_the_list(team, client_for):
    f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    response = client_for(team.owner).get("/", {"stage": "BOFU"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="campaign-list"' in html and "<html" not in html


def test_outsiders_campaigns_are_not_listed(team, outsider_team, client_for):
    f.CampaignFactory(brand=f.BrandFactory(organization=outsider_team.organization), name="Secret")
    assert "Secret" not in client_for(team.owner).get("/").content.decode()


def test_outsider_gets_404_for_a_brand_filter_of_ours(team, outsider, client_for):
    brand = f.BrandFactory(organization=team.organization)
    f.CampaignFactory(brand=brand, name="Ours")
    response = client_for(outsider).get("/", {"brand": brand.pk})
    assert "Ours" not in response.content.decode()


def test_viewer_sees_no_edit_controls(team, client_for):
    assert "New campaign" not in client_for(team.viewer).get("/").content.decode()
    assert "New campaign" in client_for(team.manager).get("/").content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    team, client_for, django_assert_max_num_queries, count
):
    brand = f.BrandFactory(organization=team.organization)
    campaign_with_report(brand=brand, partnerships=count, days=2)
    for _ in range(count // 10):
        f.CampaignFactory(brand=brand)
    client = client_for(team.owner)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert len(response.context["rows"]) == count // 10 + 1
