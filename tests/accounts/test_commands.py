from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.test import APIClient

from accounts.api_auth import ApiKeyAuthentication
from accounts.models import ApiKey, Membership, Organization, Role
from tests import factories as f


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createorg_makes_the_user_its_owner(db):
    user = f.UserFactory(username="alice")
    run("createorg", "northwind", "--name", "Northwind Agency", "--owner", "alice")
    organization = Organization.objects.get(slug="northwind")
    assert organization.name == "Northwind Agency"
    assert Membership.objects.get(organization=organization, user=user).role == Role.OWNER


def test_createorg_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named"):
        run("createorg", "northwind", "--name", "Northwind", "--owner", "ghost")
    assert not Organization.objects.filter(slug="northwind").exists()


def test_createorg_refuses_a_taken_slug(team):
    with pytest.raises(CommandError):
        run("createorg", team.organization.slug, "--name", "Copy", "--owner", team.owner.username)


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_createapikey_prints_the_key_alone_on_the_last_line(team):
    output = run("createapikey", team.organization.slug, "--role", "manager", "--name", "ci")
    key = last_line(output)
    assert " " not in key and key.startswith("fb_")
    stored = ApiKey.objects.get(organization=team.organization)
    assert stored.role == Role.MANAGER and stored.name == "ci"
    assert key not in stored.hashed_key and stored.hashed_key != key


def test_the_printed_key_authenticates_against_the_api(team):
    f.BrandFactory(organization=team.organization, name="Glow")
    key = last_line(run("createapikey", team.organization.slug, "--role", "viewer"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get("/api/v1/brands/")
    assert response.status_code == 200
    assert [b["name"] for b in response.json()["results"]] == ["Glow"]


def test_the_printed_key_is_the_organizations_own(team):
    key = last_line(run("createapikey", team.organization.slug, "--role", "admin"))
    request = Request(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {key}"))
    principal, api_key = ApiKeyAuthentication().authenticate(request)
    assert api_key.organization == team.organization and api_key.role == Role.ADMIN


def test_a_wrong_key_does_not_authenticate(team):
    run("createapikey", team.organization.slug, "--role", "viewer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer fb_not-a-real-key")
    assert client.get("/api/v1/brands/").status_code in (401, 403)


def test_createapikey_refuses_an_unknown_organization(db):
    with pytest.raises(CommandError, match="No organization"):
        run("createapikey", "nowhere", "--role", "viewer")
