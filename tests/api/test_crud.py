"""Every CRUD resource, per role: viewers read (costs: admins), the write role writes, weaker
roles get 403 (404 where they may not even see the record); another organization's records are
404 on every detail route and invalid (400) as related ids."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.api.conftest import RESOURCES, ROLES_BELOW, Resource, below, url

pytestmark = pytest.mark.django_db

by_path = pytest.mark.parametrize("resource", RESOURCES, ids=str)


@by_path
def test_viewer_lists_and_reads(resource: Resource, team, mine, api_client_for) -> None:
    """Viewers read everything but what needs a higher role (costs): that they do not see."""
    if resource.view_role != Role.VIEWER:
        viewer = api_client_for(team.organization, Role.VIEWER)
        assert viewer.get(url(resource)).json()["count"] == 0
        existing = getattr(mine, resource.existing)
        assert viewer.get(url(resource, existing.pk)).status_code == 404
    client = api_client_for(team.organization, resource.view_role)
    listing = client.get(url(resource))
    assert listing.status_code == 200
    assert set(listing.json()) == {"count", "next", "previous", "results"}
    existing = getattr(mine, resource.existing)
    assert existing.pk in [row["id"] for row in listing.json()["results"]]
    detail = client.get(url(resource, existing.pk))
    assert detail.status_code == 200
    assert detail.json()["id"] == existing.pk


@by_path
def test_roles_below_the_write_role_get_403_on_every_write(
    resource: Resource, team, mine, api_client_for
) -> None:
    existing = getattr(mine, resource.existing)
    for role in ROLES_BELOW[resource.write_role]:
        client = api_client_for(team.organization, role)
        unseen = 404 if below(resource, role) else 403  # an unseen record does not exist
        assert client.post(url(resource), resource.body(mine)).status_code == 403, role
        assert client.patch(url(resource, existing.pk), resource.change).status_code == unseen
        assert client.put(url(resource, existing.pk), resource.body(mine)).status_code == unseen
        assert client.delete(url(resource, existing.pk)).status_code == unseen
    assert type(existing).objects.filter(pk=existing.pk).exists()


@by_path
def test_the_write_role_creates_changes_and_replaces(
    resource: Resource, team, mine, api_client_for
) -> None:
    client = api_client_for(team.organization, resource.write_role)
    created = client.post(url(resource), resource.body(mine))
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = client.patch(url(resource, pk), resource.change)
    assert changed.status_code == 200, changed.json()
    for name, value in resource.change.items():
        assert changed.json()[name] == value
    assert client.get(url(resource, pk)).json()[next(iter(resource.change))] == (
        next(iter(resource.change.values()))
    )
    replaced = client.put(url(resource, pk), resource.body(mine))
    assert replaced.status_code == 200, replaced.json()


@by_path
def test_the_delete_role_deletes_and_weaker_roles_cannot(
    resource: Resource, team, mine, api_client_for
) -> None:
    record = resource.fresh(mine)
    for role in ROLES_BELOW.get(resource.delete_role, []):
        answer = api_client_for(team.organization, role).delete(url(resource, record.pk))
        assert answer.status_code == (404 if below(resource, role) else 403)
    client = api_client_for(team.organization, resource.delete_role)
    assert client.delete(url(resource, record.pk)).status_code == 204
    assert client.get(url(resource, record.pk)).status_code == 404


@by_path
def test_outsider_gets_404_on_every_detail_route(
    resource: Resource, mine, outsider_team, theirs, api_client_for
) -> None:
    client = api_client_for(outsider_team.organization, Role.OWNER)
    target = url(resource, getattr(mine, resource.existing).pk)
    assert client.get(target).status_code == 404
    assert client.patch(target, resource.change).status_code == 404
    assert client.put(target, resource.body(theirs)).status_code == 404
    assert client.delete(target).status_code == 404
    assert type(getattr(mine, resource.existing)).objects.filter(
        pk=getattr(mine, resource.existing).pk
    ).exists()


@by_path
def test_lists_never_show_another_organizations_records(
    resource: Resource, mine, outsider_team, theirs, api_client_for
) -> None:
    rows = api_client_for(outsider_team.organization).get(url(resource)).json()["results"]
    assert getattr(mine, resource.existing).pk not in [row["id"] for row in rows]
    assert getattr(theirs, resource.existing).pk in [row["id"] for row in rows]


@pytest.mark.parametrize(
    ("resource", "field"),
    [(r, fk) for r in RESOURCES for fk in r.foreign_keys],
    ids=lambda v: str(v),
)
def test_another_organizations_id_is_rejected_on_every_foreign_key(
    resource: Resource, field: str, team, mine, theirs, api_client_for
) -> None:
    client = api_client_for(team.organization, Role.OWNER)
    foreign = getattr(theirs, resource.foreign_keys[field]).pk
    body = {**resource.body(mine), field: foreign}
    created = client.post(url(resource), body)
    assert created.status_code == 400
    assert field in created.json()
    existing = getattr(mine, resource.existing)
    changed = client.patch(url(resource, existing.pk), {field: foreign})
    assert changed.status_code == 400
    assert field in changed.json()


@pytest.mark.parametrize("bad", [10**30, -1, "abc", True, None, [1]])
def test_garbage_related_ids_are_400_not_500(bad, team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.OWNER)
    answer = client.post("/api/v1/posts/", {**RESOURCES[6].body(mine), "partnership": bad})
    assert answer.status_code == 400
    assert "partnership" in answer.json()


@pytest.mark.parametrize("bad_pk", ["99999999999999999999999", "-3", "abc"])
def test_garbage_detail_ids_are_404(bad_pk, team, api_client_for) -> None:
    client = api_client_for(team.organization, Role.OWNER)
    assert client.get(f"/api/v1/campaigns/{bad_pk}/").status_code == 404


def test_a_model_rule_is_a_400_naming_the_field(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.MANAGER)
    body = {**RESOURCES[4].body(mine), "start_date": "2026-06-01", "end_date": "2026-05-01"}
    answer = client.post("/api/v1/campaigns/", body)
    assert answer.status_code == 400
    assert answer.json()  # the check constraint names no single field; it is reported


def test_a_duplicate_is_a_400_not_a_500(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.ADMIN)
    answer = client.post("/api/v1/brands/", {"name": mine.brand.name, "currency": "USD"})
    assert answer.status_code == 400


def test_unauthenticated_requests_are_401(db) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/campaigns/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer fb_not-a-key")
    assert client.get("/api/v1/campaigns/").status_code == 401


def test_a_browser_session_works_and_needs_csrf_for_writes(team, mine) -> None:
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(team.manager)
    assert client.get("/api/v1/campaigns/").status_code == 200
    answer = client.patch(f"/api/v1/campaigns/{mine.campaign.pk}/", {"objective": "x"})
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]
