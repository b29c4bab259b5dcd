"""The role matrix: each role may do exactly what SECURITY.md gives it, in pages and the API,
as a member or as an API key; fields a client must not set are ignored or refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import ROLE_RANK, TEAM_ROLES, ApiKey, Role
from campaigns.models import Brand, Campaign, Partnership, Post, TrackingLink
from tests.security.test_isolation import PAGE_PARAMS, _page_routes, _url
from tests.security.world import World, build_world

# Write actions and the least role that may do them (docs/architecture.md → checkpoint).
API_WRITES = [
    ("create campaign", Role.MANAGER, "post", "/api/v1/campaigns/", lambda w: {
        "brand": w[Brand].pk, "name": "New", "stage": "TOFU", "start_date": "2026-05-01",
        "end_date": "2026-05-31", "budget": "10.00", "currency": "USD", "status": "draft",
        "attribution_window_days": 30}),
    ("create brand", Role.ADMIN, "post", "/api/v1/brands/", lambda w: {
        "name": "Another brand", "website": "https://b.example", "currency": "EUR"}),
    ("add a cost", Role.ADMIN, "post", "/api/v1/costs/", lambda w: {
        "campaign": w[Campaign].pk, "category": "production", "amount": "12.00",
        "incurred_on": "2026-03-03"}),
    ("set an EMV rate", Role.ADMIN, "post", "/api/v1/emv-rates/", lambda w: {
        "platform": "tiktok", "metric": "likes", "value": "0.2"}),
    ("change compensation", Role.ADMIN, "patch", "partnership", lambda w: {"fee": "999.00"}),
    ("move a partnership", Role.MANAGER, "patch", "partnership", lambda w: {"status": "paid"}),
    ("create an API key", Role.OWNER, "post", "/api/v1/api-keys/", lambda w: {
        "name": "script", "role": "viewer"}),
    ("delete a campaign", Role.OWNER, "delete", "campaign", lambda w: None),
    ("ingest metrics", Role.MANAGER, "post", "/api/v1/post-metrics/", lambda w: [{
        "post": w[Post].pk,
        "captured_at": "2026-03-05T10:00:00+00:00", "likes": 3}]),
]


def _target(path: str, world: World) -> str:
    if path == "partnership":
        return f"/api/v1/partnerships/{world[Partnership].pk}/"
    if path == "campaign":
        return f"/api/v1/campaigns/{world[Campaign].pk}/"
    return path


@pytest.fixture
def world(team) -> World:
    return build_world(team.organization, "ACME")


def _as_member(team, role: str) -> APIClient:
    client = APIClient()
    client.force_login(team.user(role))
    return client


def _as_key(api_client_for, team, role: str) -> APIClient:
    return api_client_for(team.organization, role)


@pytest.mark.parametrize("how", ["member", "api key"])
@pytest.mark.parametrize("role", TEAM_ROLES)
@pytest.mark.parametrize("action", API_WRITES, ids=[a[0] for a in API_WRITES])
def test_each_role_may_do_exactly_its_writes(action, role, how, team, world, api_client_for):
    _, needed, method, path, body = action
    client = _as_member(team, role) if how == "member" else _as_key(api_client_for, team, role)
    response = getattr(client, method)(_target(path, world), body(world), format="json")
    allowed = ROLE_RANK[role] >= ROLE_RANK[needed]
    if allowed:
        assert response.status_code in (200, 201, 204), (response.status_code, response.content)
    else:
        assert response.status_code == 403, (response.status_code, response.content)


def test_viewers_can_post_to_no_page(client_for, team, world):
    """Every page route that changes something refuses a viewer (403, or 404 for records a viewer
    may not even see, such as costs); reads stay reads."""
    client = client_for(team.viewer)
    routes = dict(_page_routes())
    changed = []
    for name, params in PAGE_PARAMS.items():
        url = _url(routes[name], {p: world[m].pk for p, m in params.items()})
        status = client.post(url, {"status": "paid", "name": "Hacked", "value": "1"}).status_code
        if status not in (403, 404, 405):
            changed.append(f"{name} → {status}")
    assert not changed, changed
    assert Campaign.objects.get(pk=world[Campaign].pk).name != "Hacked"


def test_mass_assignment_of_the_organization_is_ignored(team, outsider_team, api_client_for):
    client = api_client_for(team.organization, Role.ADMIN)
    response = client.post(
        "/api/v1/brands/",
        {"name": "Mine", "currency": "USD", "organization": outsider_team.organization.pk,
         "key": "forged-key", "id": 424242},
        format="json",
    )
    assert response.status_code == 201
    brand = Brand.objects.get(pk=response.json()["id"])
    assert brand.organization == team.organization
    assert brand.key != "forged-key"
    assert brand.pk != 424242


def test_mass_assignment_of_computed_link_fields_is_ignored(team, world, api_client_for):
    client = api_client_for(team.organization, Role.MANAGER)
    link = world[TrackingLink]
    response = client.patch(
        f"/api/v1/links/{link.pk}/",
        {"slug": "stolen", "short_url": "https://evil.example/", "utm_term": "ok"},
        format="json",
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.slug != "stolen"
    assert link.utm_term == "ok"


def test_an_api_key_cannot_mint_a_stronger_key_or_change_its_own_role(team, api_client_for):
    client = api_client_for(team.organization, Role.OWNER)
    created = client.post(
        "/api/v1/api-keys/", {"name": "s", "role": "viewer", "hashed_key": "0" * 64},
        format="json",
    )
    assert created.status_code == 201
    key = ApiKey.objects.get(pk=created.json()["id"])
    assert key.hashed_key != "0" * 64
    assert key.role == Role.VIEWER


def test_a_manager_cannot_slip_compensation_into_a_new_partnership(team, world, api_client_for):
    from tests import factories as f

    influencer = f.InfluencerFactory(organization=team.organization)
    client = api_client_for(team.organization, Role.MANAGER)
    response = client.post(
        "/api/v1/partnerships/",
        {"campaign": world[Campaign].pk, "influencer": influencer.pk, "status": "prospect",
         "fee": "5000.00"},
        format="json",
    )
    assert response.status_code == 403
    assert not Partnership.objects.filter(influencer=influencer, fee=Decimal("5000")).exists()
