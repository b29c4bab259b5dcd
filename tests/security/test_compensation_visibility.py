"""What a creator is paid, and the campaign's costs item by item, are for admins and owners —
in pages, in the API (keys and sessions alike) and in the exports. Lower roles see the
campaign-level totals the report shows (spend, ROI), never one creator's compensation."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import TEAM_ROLES, Role
from campaigns.models import Campaign, Partnership
from campaigns.selectors import COMPENSATION_FIELDS, COST_VALUES, sees_compensation
from metrics.engine import kpis_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

BELOW = [Role.VIEWER, Role.MANAGER]
ABOVE = [Role.ADMIN, Role.OWNER]
HOW = ["api key", "session"]
# The creators' export columns computed from what the creator is paid.
COST_COLUMNS = {"roi", "cpa", "total_cost"}


@pytest.fixture
def world(team) -> SimpleNamespace:
    brand = f.BrandFactory(organization=team.organization)
    campaign = f.CampaignFactory(brand=brand)
    paid = f.PartnershipFactory(
        campaign=campaign, fee=Decimal("500.00"), product_value=Decimal("80.00"),
        commission_rate=Decimal("10.00"),
    )
    cheap = f.PartnershipFactory(
        campaign=campaign, fee=Decimal("20.00"), product_value=Decimal("0.00"),
        commission_rate=Decimal("0.00"),
    )
    f.PostMetricsFactory(post=f.PostFactory(partnership=paid))
    cost = f.CostFactory(campaign=campaign, amount=Decimal("100.00"))
    kpis_recompute(campaign_id=campaign.pk)
    return SimpleNamespace(campaign=campaign, paid=paid, cheap=cheap, cost=cost)


def api(team, api_client_for, role: str, how: str) -> APIClient:
    if how == "api key":
        return api_client_for(team.organization, role)
    client = APIClient()
    client.force_login(team.user(role))
    return client


# --- The rule ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", TEAM_ROLES)
def test_the_rule_is_the_cost_view_role(team, role):
    assert sees_compensation(team.access(role)) == (role in ABOVE)


# --- API: partnerships ------------------------------------------------------------------------
@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("role", BELOW)
def test_lower_roles_get_partnerships_without_compensation(role, how, team, world, api_client_for):
    client = api(team, api_client_for, role, how)
    listing = client.get("/api/v1/partnerships/")
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert len(rows) == 2
    detail = client.get(f"/api/v1/partnerships/{world.paid.pk}/")
    assert detail.status_code == 200
    for body in [*rows, detail.json()]:
        assert body["status"] == "live"
        assert not set(COMPENSATION_FIELDS) & set(body), body


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("role", ABOVE)
def test_admins_and_owners_get_partnerships_with_compensation(
    role, how, team, world, api_client_for
):
    client = api(team, api_client_for, role, how)
    detail = client.get(f"/api/v1/partnerships/{world.paid.pk}/").json()
    assert detail["fee"] == "500.00"
    assert detail["product_value"] == "80.00"
    assert detail["commission_rate"] == 10.0
    rows = client.get("/api/v1/partnerships/").json()["results"]
    assert all(set(COMPENSATION_FIELDS) <= set(row) for row in rows)


def test_a_manager_moving_a_partnership_gets_no_compensation_back(team, world, api_client_for):
    client = api_client_for(team.organization, Role.MANAGER)
    answer = client.patch(f"/api/v1/partnerships/{world.paid.pk}/", {"status": "paid"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "paid"
    assert not set(COMPENSATION_FIELDS) & set(answer.json())
    # Writing compensation still needs the admin role (403), it is not silently ignored.
    refused = client.patch(f"/api/v1/partnerships/{world.paid.pk}/", {"fee": "1.00"})
    assert refused.status_code == 403
    assert Partnership.objects.get(pk=world.paid.pk).fee == Decimal("500.00")


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_only_admins_may_sort_partnerships_by_fee(role, team, world, api_client_for):
    """Sorting by fee would reveal the fees' order: below admin the ordering is ignored."""
    client = api_client_for(team.organization, role)
    up = [r["id"] for r in client.get("/api/v1/partnerships/?ordering=fee").json()["results"]]
    down = [r["id"] for r in client.get("/api/v1/partnerships/?ordering=-fee").json()["results"]]
    if role in ABOVE:
        assert up == [world.cheap.pk, world.paid.pk]
        assert down == list(reversed(up))
    else:
        assert up == down


# --- API: costs -------------------------------------------------------------------------------
@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("role", BELOW)
def test_lower_roles_list_no_costs_and_get_404(role, how, team, world, api_client_for):
    client = api(team, api_client_for, role, how)
    listing = client.get("/api/v1/costs/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert listing.json()["results"] == []
    assert client.get(f"/api/v1/costs/{world.cost.pk}/").status_code == 404
    assert client.get(f"/api/v1/costs/?campaign={world.campaign.pk}").json()["count"] == 0


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("role", ABOVE)
def test_admins_and_owners_list_and_read_costs(role, how, team, world, api_client_for):
    client = api(team, api_client_for, role, how)
    assert [r["id"] for r in client.get("/api/v1/costs/").json()["results"]] == [world.cost.pk]
    assert client.get(f"/api/v1/costs/{world.cost.pk}/").json()["amount"] == "100.00"


# --- API: KPI documents -----------------------------------------------------------------------
def _kpis(client: APIClient, campaign: Campaign, by: str = "") -> dict[str, Any]:
    query = f"?by={by}" if by else ""
    response = client.get(f"/api/v1/campaigns/{campaign.pk}/kpis/{query}")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("role", BELOW)
def test_lower_roles_get_kpis_without_a_creators_costs(role, how, team, world, api_client_for):
    client = api(team, api_client_for, role, how)
    total = _kpis(client, world.campaign, "partnership")
    # The campaign's totals stay, as on the report page and the dashboard...
    assert Decimal(total["roi"]["total_cost"]) > 0
    assert "roi" in total["roi"] and "revenue" in total["roi"]
    # ...without the itemisation into fees, products, commissions and cost categories.
    assert "cost_breakdown" not in total["roi"]
    assert len(total["breakdown"]) == 2
    for row in total["breakdown"]:
        assert set(row["roi"]) == {"revenue"}, row["roi"]
    for row in _kpis(client, world.campaign, "day")["breakdown"]:
        assert "cost_breakdown" not in (row["roi"] or {})


@pytest.mark.parametrize("role", ABOVE)
def test_admins_and_owners_get_the_whole_kpi_document(role, team, world, api_client_for):
    total = _kpis(api_client_for(team.organization, role), world.campaign, "partnership")
    assert Decimal(total["roi"]["cost_breakdown"]["fees"]) == Decimal("520.00")
    paid = next(r for r in total["breakdown"] if r["key"] == str(world.paid.pk))
    assert set(COST_VALUES) <= set(paid["roi"])
    assert Decimal(paid["roi"]["total_cost"]) >= Decimal("580.00")


# --- API: the schema documents the rule -------------------------------------------------------
def test_the_openapi_schema_documents_the_fields_per_role():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    partnership = schema["components"]["schemas"]["Partnership"]["properties"]
    for name in COMPENSATION_FIELDS:
        assert "omitted for managers and viewers" in partnership[name]["description"]
    costs = schema["paths"]["/api/v1/costs/"]["get"]["description"]
    assert "admin role and above" in costs and "404" in costs
    kpis = schema["paths"]["/api/v1/campaigns/{id}/kpis/"]["get"]["description"]
    assert "cost_breakdown" in kpis and "roles below admin" in kpis


# --- Pages and exports ------------------------------------------------------------------------
def _csv(client: Client, name: str, campaign: Campaign) -> list[list[str]]:
    response = client.get(reverse(name, args=[campaign.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("role", BELOW)
def test_lower_roles_export_creators_without_cost_columns(role, team, world, client_for):
    rows = _csv(client_for(team.user(role)), "campaign_export_leaderboard", world.campaign)
    header = rows[0]
    assert header[:4] == ["creator", "handle", "status", "emv"]
    assert not COST_COLUMNS & set(header), header
    assert all(len(row) == len(header) for row in rows[1:3])


@pytest.mark.parametrize("role", ABOVE)
def test_admins_and_owners_export_creators_with_cost_columns(role, team, world, client_for):
    rows = _csv(client_for(team.user(role)), "campaign_export_leaderboard", world.campaign)
    header = rows[0]
    assert COST_COLUMNS <= set(header)
    paid = next(r for r in rows[1:] if r[0] == world.paid.influencer.name)
    assert Decimal(paid[header.index("total_cost")]) >= Decimal("580.00")


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_the_kpi_export_itemises_costs_only_for_admins(role, team, world, client_for):
    rows = _csv(client_for(team.user(role)), "campaign_export", world.campaign)
    fields = {(r[0], r[1]) for r in rows if len(r) >= 2}
    assert ("roi", "total_cost") in fields  # the campaign's total, as the report shows it
    assert (("roi", "cost_breakdown.fees") in fields) == (role in ABOVE)


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_the_report_leaderboard_shows_a_creators_cost_values_only_to_admins(
    role, team, world, client_for
):
    response = client_for(team.user(role)).get(reverse("campaign_detail", args=[world.campaign.pk]))
    assert response.status_code == 200
    for row in response.context["leaderboard"]:
        shown = set(row["doc"]["roi"])
        if role in ABOVE:
            assert set(COST_VALUES) <= shown
        else:
            assert shown == {"revenue"}
            cells = dict(row["cells"])
            assert cells["ROI"] == cells["CPA"] == "—"


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_the_pipeline_board_shows_fees_only_to_admins(role, team, world, client_for):
    html = client_for(team.user(role)).get(
        reverse("partnership_board", args=[world.campaign.pk])
    ).content.decode()
    assert ("Fee 500.00" in html) == (role in ABOVE)
