"""The API as a whole: every route in the OpenAPI document, offline docs, page-size cap and
throttling."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.api_auth import ActorRateThrottle
from accounts.models import Role
from influencers.models import Influencer
from tests import factories as f

pytestmark = pytest.mark.django_db


def _api_routes() -> set[str]:
    """Every URL pattern under /api/v1/, as OpenAPI-style paths (`{id}` for converters)."""
    found: set[str] = set()

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name != "not-found":  # the JSON 404 catch-all
                found.add(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "/")
    paths = set()
    for raw in found:
        if not raw.startswith("/api/v1/"):
            continue
        path = raw.replace("^", "").replace("$", "").replace("\\", "")
        if "(?P<format>" in path or "<drf_format_suffix" in path:
            continue  # DRF's .json/.api suffix variants of the same routes
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
        paths.add(path)
    return paths


def _schema_paths(client: APIClient) -> set[str]:
    answer = client.get("/api/schema/")
    assert answer.status_code == 200
    return set(yaml.safe_load(answer.content)["paths"])


def test_every_api_url_is_in_the_schema(team, api_client_for) -> None:
    routes = _api_routes() - {"/api/v1/"}  # the router's browsable index is not an operation
    documented = {re.sub(r"\{\w+\}", "{id}", p) for p in _schema_paths(api_client_for(team.organization))}
    normalised = {re.sub(r"\{\w+\}", "{id}", r) for r in routes}
    assert normalised, "no routes found under /api/v1/"
    missing = sorted(normalised - documented)
    assert not missing, f"routes missing from /api/schema/: {missing}"


def test_the_contracts_paths_are_all_there(team, api_client_for) -> None:
    paths = _schema_paths(api_client_for(team.organization))
    for name in [
        "brands", "brand-accounts", "influencers", "social-accounts", "campaigns",
        "partnerships", "posts", "promo-codes", "links", "costs", "emv-rates", "post-metrics",
        "comments", "follower-snapshots",
    ]:
        assert f"/api/v1/{name}/" in paths
        assert f"/api/v1/{name}/{{id}}/" in paths


def test_the_docs_load_their_assets_from_static_not_a_cdn(team, api_client_for) -> None:
    client = api_client_for(team.organization)
    page = client.get("/api/docs/", HTTP_ACCEPT="application/json")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(("/static/", "/api/docs/")), asset
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/").split("?")[0]), asset
    assert "<script>" not in html and "<style>" not in html  # the CSP forbids inline code
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_page_size_is_capped(team, api_client_for) -> None:
    Influencer.objects.bulk_create(
        Influencer(organization=team.organization, name=f"Creator {i:03}") for i in range(505)
    )
    client = api_client_for(team.organization, Role.VIEWER)
    default = client.get("/api/v1/influencers/").json()
    assert len(default["results"]) == 50
    assert default["count"] == 505
    capped = client.get("/api/v1/influencers/?page_size=10000").json()
    assert len(capped["results"]) == 500
    assert capped["next"]
    last = client.get("/api/v1/influencers/?page_size=500&page=2").json()
    assert len(last["results"]) == 5


def test_a_list_costs_the_same_queries_for_many_rows(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.VIEWER)
    client.get("/api/v1/posts/")  # the key's last-used time and the throttle's row exist now

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/posts/").status_code == 200
        return len(context)

    one = queries()
    for _ in range(20):
        f.PostFactory(partnership=mine.partnership, social_account=mine.social_account)
    assert queries() == one


@pytest.fixture
def low_rate(monkeypatch, pinned_budget_clock) -> None:
    monkeypatch.setattr(ActorRateThrottle, "rate", "3/min", raising=False)


def test_a_key_over_its_rate_gets_429_with_retry_after(team, low_rate, api_client_for) -> None:
    client = api_client_for(team.organization, Role.VIEWER)
    for _ in range(3):
        assert client.get("/api/v1/brands/").status_code == 200
    answer = client.get("/api/v1/brands/")
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    other_key = api_client_for(team.organization, Role.VIEWER)  # its own budget
    assert other_key.get("/api/v1/brands/").status_code == 200


def test_a_user_session_has_its_own_budget(team, low_rate) -> None:
    client = APIClient()
    client.force_login(team.viewer)
    for _ in range(3):
        assert client.get("/api/v1/brands/").status_code == 200
    assert client.get("/api/v1/brands/").status_code == 429
    other = APIClient()
    other.force_login(team.manager)
    assert other.get("/api/v1/brands/").status_code == 200


def test_a_nul_in_the_search_is_a_400_object_naming_the_problem(team, api_client_for):
    response = api_client_for(team.organization, "owner").get(
        "/api/v1/conversions/", {"search": "a\x00b"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Null characters are not allowed."}
