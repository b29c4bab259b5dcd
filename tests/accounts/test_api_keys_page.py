from django.urls import reverse
from rest_framework.test import APIClient

from accounts.keys import hash_key
from accounts.models import ApiKey, Role
from tests import factories as f

PAGE = reverse("accounts:api_keys")


def test_owner_creates_a_key_and_sees_it_once(client_for, team):
    client = client_for(team.owner)
    response = client.post(reverse("accounts:api_key_new"),
                           {"name": "Shopify sync", "role": "manager", "expires_in": "90"})
    assert response.status_code == 200
    page = response.content.decode()
    raw = page.split('id="new-api-key">')[1].split("<")[0]
    api_key = ApiKey.objects.get(organization=team.organization)
    assert api_key.hashed_key == hash_key(raw)
    assert api_key.role == Role.MANAGER and api_key.created_by == team.owner
    assert api_key.expires_at is not None
    assert raw not in client.get(PAGE).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/campaigns/").status_code == 200


def test_the_list_shows_prefix_role_and_never_the_hash(client_for, team):
    key = f.ApiKeyFactory(organization=team.organization, name="Zapier", role=Role.VIEWER)
    page = client_for(team.owner).get(PAGE).content.decode()
    assert "Zapier" in page and key.prefix in page
    assert key.hashed_key not in page and key.raw not in page


def test_owner_revokes_a_key(client_for, team):
    key = f.ApiKeyFactory(organization=team.organization)
    response = client_for(team.owner).post(reverse("accounts:api_key_revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key.raw}")
    assert api.get("/api/v1/campaigns/").status_code in (401, 403)


def test_a_key_without_a_name_is_refused_with_the_field_named(client_for, team):
    response = client_for(team.owner).post(reverse("accounts:api_key_new"),
                                           {"name": "", "role": "viewer"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_non_owners_get_403(client_for, team):
    key = f.ApiKeyFactory(organization=team.organization)
    for role in (Role.ADMIN, Role.MANAGER, Role.VIEWER):
        client = client_for(team.user(role))
        assert client.get(PAGE).status_code == 403
        assert client.post(reverse("accounts:api_key_new"),
                           {"name": "x", "role": "owner"}).status_code == 403
        assert client.post(reverse("accounts:api_key_revoke", args=[key.pk])).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None
    assert ApiKey.objects.count() == 1


def test_outsider_gets_404_revoking_another_orgs_key(client_for, team, outsider_team):
    key = f.ApiKeyFactory(organization=team.organization, name="Ours")
    client = client_for(outsider_team.owner)
    assert client.post(reverse("accounts:api_key_revoke", args=[key.pk])).status_code == 404
    assert "Ours" not in client.get(PAGE).content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None
