"""Rules particular to some resources: compensation needs an admin (to set and to see), a
brand's key and secret, links' short URLs, EMV pairs replaced on POST, and owners' API keys."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuditEntry, Role
from campaigns.models import Brand, Partnership
from metrics.models import EmvRate
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- Partnerships ---------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["fee", "product_value", "commission_rate"])
def test_a_manager_setting_compensation_gets_403(field, team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.MANAGER)
    answer = client.patch(f"/api/v1/partnerships/{mine.partnership.pk}/", {field: "42.00"})
    assert answer.status_code == 403
    body = {"campaign": mine.campaign.pk, "influencer": mine.other_influencer.pk, field: "7.00"}
    assert client.post("/api/v1/partnerships/", body).status_code == 403
    assert not Partnership.objects.filter(influencer=mine.other_influencer).exists()


def test_a_manager_may_resend_unchanged_compensation(team, mine, api_client_for) -> None:
    """A client that read the partnership as an admin may send its compensation back
    unchanged with a manager's key."""
    current = api_client_for(team.organization, Role.ADMIN).get(
        f"/api/v1/partnerships/{mine.partnership.pk}/"
    ).json()
    client = api_client_for(team.organization, Role.MANAGER)
    answer = client.patch(
        f"/api/v1/partnerships/{mine.partnership.pk}/",
        {"status": "paid", "fee": current["fee"], "commission_rate": current["commission_rate"]},
    )
    assert answer.status_code == 200


def test_an_admin_sets_compensation_and_it_is_audited(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.ADMIN)
    answer = client.patch(
        f"/api/v1/partnerships/{mine.partnership.pk}/", {"fee": "900.00", "commission_rate": 12.5}
    )
    assert answer.status_code == 200
    assert answer.json()["fee"] == "900.00"
    assert answer.json()["commission_rate"] == 12.5  # a percentage is a number
    assert AuditEntry.objects.filter(action="compensation.changed").exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_compensation_is_not_shown_below_admin(role, team, mine, api_client_for) -> None:
    body = api_client_for(team.organization, role).get(
        f"/api/v1/partnerships/{mine.partnership.pk}/"
    ).json()
    assert body["id"] == mine.partnership.pk
    assert not {"fee", "product_value", "commission_rate"} & set(body)


def test_admins_read_compensation(team, mine, api_client_for) -> None:
    body = api_client_for(team.organization, Role.ADMIN).get(
        f"/api/v1/partnerships/{mine.partnership.pk}/"
    ).json()
    assert body["fee"] == "500.00"


# --- Brands ---------------------------------------------------------------------------------
def test_a_brand_shows_its_key_and_never_its_secret(team, api_client_for) -> None:
    client = api_client_for(team.organization, Role.ADMIN)
    created = client.post(
        "/api/v1/brands/",
        {"name": "Glow", "currency": "USD", "shopify_webhook_secret": "s3cret", "key": "mine"},
    ).json()
    assert created["key"] and created["key"] != "mine"
    assert "shopify_webhook_secret" not in created
    assert "shopify_webhook_secret" not in client.get(f"/api/v1/brands/{created['id']}/").json()
    assert Brand.objects.get(pk=created["id"]).shopify_webhook_secret == "s3cret"


def test_an_admin_cannot_delete_a_brand_with_campaigns_but_an_owner_can(
    team, mine, api_client_for
) -> None:
    path = f"/api/v1/brands/{mine.brand.pk}/"
    assert api_client_for(team.organization, Role.ADMIN).delete(path).status_code == 403
    assert api_client_for(team.organization, Role.OWNER).delete(path).status_code == 204


# --- Links ----------------------------------------------------------------------------------
def test_a_link_has_a_read_only_slug_and_its_short_url(team, mine, api_client_for, settings):
    settings.FUNNELBOARD_BASE_URL = "https://fb.example"
    client = api_client_for(team.organization, Role.MANAGER)
    link = client.post(
        "/api/v1/links/",
        {"partnership": mine.partnership.pk, "destination_url": "https://brand.example/x",
         "slug": "chosen"},
    ).json()
    assert link["slug"] and link["slug"] != "chosen"
    assert link["short_url"] == f"https://fb.example/r/{link['slug']}"


def test_a_link_must_point_to_a_web_page(team, mine, api_client_for) -> None:
    answer = api_client_for(team.organization).post(
        "/api/v1/links/",
        {"partnership": mine.partnership.pk, "destination_url": "ftp://brand.example/x"},
    )
    assert answer.status_code == 400
    assert "destination_url" in answer.json()


# --- EMV rates ------------------------------------------------------------------------------
def test_posting_an_existing_pair_replaces_it(team, api_client_for) -> None:
    client = api_client_for(team.organization, Role.ADMIN)
    first = client.post("/api/v1/emv-rates/", {"platform": "tiktok", "metric": "likes", "value": "0.30"})
    assert first.status_code == 201
    second = client.post("/api/v1/emv-rates/", {"platform": "tiktok", "metric": "likes", "value": "0.25"})
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    rates = EmvRate.objects.filter(organization=team.organization, platform="tiktok")
    assert [r.value for r in rates] == [Decimal("0.2500")]


def test_an_emv_change_recomputes_every_campaign_of_the_organization(
    team, mine, outsider_team, theirs, api_client_for
) -> None:
    other = f.CampaignFactory(brand=mine.brand)
    with mock.patch("metrics.engine.schedule_kpi_recompute") as schedule:
        api_client_for(team.organization, Role.ADMIN).post(
            "/api/v1/emv-rates/", {"platform": "x", "metric": "likes", "value": "0.1"}
        )
    assert set(schedule.call_args.args[0]) == {mine.campaign.pk, other.pk}


def test_a_manager_cannot_change_the_rate_card(team, api_client_for) -> None:
    answer = api_client_for(team.organization, Role.MANAGER).post(
        "/api/v1/emv-rates/", {"platform": "x", "metric": "likes", "value": "0.1"}
    )
    assert answer.status_code == 403


# --- API keys -------------------------------------------------------------------------------
def test_an_owner_creates_a_key_shown_once_that_works(team, api_client_for) -> None:
    client = api_client_for(team.organization, Role.OWNER)
    created = client.post("/api/v1/api-keys/", {"name": "Zapier", "role": "viewer"})
    assert created.status_code == 201
    raw = created.json()["key"]
    assert raw.startswith(created.json()["prefix"])
    listed = client.get(f"/api/v1/api-keys/{created.json()['id']}/").json()
    assert "key" not in listed
    new_client = APIClient()
    new_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert new_client.get("/api/v1/campaigns/").status_code == 200
    assert new_client.post("/api/v1/influencers/", {"name": "X"}).status_code == 403


def test_a_revoked_key_stops_working_at_once(team, api_client_for) -> None:
    victim = f.ApiKeyFactory(organization=team.organization, role=Role.MANAGER)
    victim_client = APIClient()
    victim_client.credentials(HTTP_AUTHORIZATION=f"Bearer {victim.raw}")
    assert victim_client.get("/api/v1/brands/").status_code == 200
    owner = api_client_for(team.organization, Role.OWNER)
    assert owner.delete(f"/api/v1/api-keys/{victim.pk}/").status_code == 204
    assert victim_client.get("/api/v1/brands/").status_code == 401
    assert ApiKey.objects.get(pk=victim.pk).revoked_at is not None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.VIEWER])
def test_only_owners_manage_keys(role, team, api_client_for) -> None:
    key = f.ApiKeyFactory(organization=team.organization)
    client = api_client_for(team.organization, role)
    assert client.get("/api/v1/api-keys/").json()["count"] == 0
    assert client.post("/api/v1/api-keys/", {"name": "x", "role": "owner"}).status_code == 403
    assert client.get(f"/api/v1/api-keys/{key.pk}/").status_code == 404
    assert client.delete(f"/api/v1/api-keys/{key.pk}/").status_code == 404


def test_outsider_gets_404_on_keys(team, outsider_team, api_client_for) -> None:
    key = f.ApiKeyFactory(organization=team.organization)
    client = api_client_for(outsider_team.organization, Role.OWNER)
    assert client.get(f"/api/v1/api-keys/{key.pk}/").status_code == 404
    assert client.delete(f"/api/v1/api-keys/{key.pk}/").status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


# --- KPI actions ----------------------------------------------------------------------------
def test_outsider_gets_404_on_the_campaign_kpi_actions(mine, outsider_team, api_client_for):
    client = api_client_for(outsider_team.organization)
    assert client.get(f"/api/v1/campaigns/{mine.campaign.pk}/kpis/").status_code == 404
    assert client.post(f"/api/v1/campaigns/{mine.campaign.pk}/recompute/").status_code == 404
