"""Hostile input never gets a 500 or a partial write: fuzzed API bodies, form posts, huge bodies,
and link destinations that are not web addresses."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from campaigns.models import Brand, BrandAccount, Campaign, Partnership, Post, TrackingLink
from influencers.models import Influencer, SocialAccount
from metrics.models import Comment, Conversion, FollowerSnapshot, PostMetrics, Visit
from tests.security.world import World, build_world

NASTY = st.one_of(
    st.just("\x00"),
    st.just("a\x00b"),
    st.just("\ud800"),  # a lone surrogate
    st.just("x" * 5000),
    st.just(""),
    st.just(" "),
    st.just("=HYPERLINK(\"http://evil\")"),
    st.just("javascript:alert(1)"),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.just(-1),
    st.just(10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just("NaN"),
    st.just("1e400"),
    st.just("9999-12-31T23:59:59+14:00"),
    st.just("0001-01-01T00:00:00Z"),
    st.just("2026-02-30"),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.text(max_size=40),
)
FUZZ = settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BULK_TEMPLATES = {
    "post-metrics": lambda w: {"post": w[Post].pk, "captured_at": "2026-03-05T10:00:00+00:00",
                               "impressions": 10, "reach": 5, "likes": 1},
    "comments": lambda w: {"post": w[Post].pk, "external_id": "c-fuzz", "text": "nice",
                           "posted_at": "2026-03-05T10:00:00+00:00"},
    "follower-snapshots": lambda w: {"brand_account": w[BrandAccount].pk, "date": "2026-03-05",
                                     "followers": 100},
    "conversions": lambda w: {"brand": w[Brand].pk, "external_id": "o-fuzz", "kind": "sale",
                              "amount": "10.00", "currency": "USD",
                              "occurred_at": "2026-03-05T10:00:00+00:00", "promo_code": "X",
                              "landing_url": "https://brand.example/?utm_campaign=a"},
    "visits": lambda w: {"brand": w[Brand].pk, "occurred_at": "2026-03-05T10:00:00+00:00",
                         "landing_url": "https://brand.example/", "visitor_id": "v1",
                         "external_id": "v-fuzz"},
}
CRUD_TEMPLATES = {
    "influencers": lambda w: {"name": "Fuzz", "email": "f@example.com", "country": "US",
                              "tags": ["a"], "notes": ""},
    "social-accounts": lambda w: {"influencer": w[Influencer].pk, "platform": "tiktok",
                                  "handle": "fuzz", "url": "https://tiktok.com/@f",
                                  "followers": 10},
    "campaigns": lambda w: {"brand": w[Brand].pk, "name": "Fuzz", "stage": "TOFU",
                            "objective": "", "start_date": "2026-05-01",
                            "end_date": "2026-05-31", "budget": "10.00", "currency": "USD",
                            "status": "draft", "attribution_window_days": 30},
    "links": lambda w: {"partnership": w[Partnership].pk, "kind": "utm",
                        "destination_url": "https://brand.example/x", "utm_source": "ig",
                        "utm_medium": "influencer", "utm_campaign": "c", "utm_content": "f",
                        "utm_term": ""},
    "costs": lambda w: {"campaign": w[Campaign].pk, "category": "other", "amount": "1.00",
                        "incurred_on": "2026-03-05", "note": ""},
}
MODELS = [PostMetrics, Comment, FollowerSnapshot, Conversion, Visit, Influencer, SocialAccount,
          Campaign, TrackingLink]


def _post_json(client: Any, path: str, body: Any) -> Any:
    """Send the body as JSON text with every non-ASCII character escaped, as a hostile client
    may (the test client's own encoder cannot carry a lone surrogate)."""
    return client.post(path, json.dumps(body), content_type="application/json")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def world(team) -> World:
    return build_world(team.organization, "ACME")


def _fuzzed(template: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
    field = data.draw(st.sampled_from(sorted(template)))
    return {**template, field: data.draw(NASTY)}, field


@pytest.mark.parametrize("collection", sorted(BULK_TEMPLATES))
def test_bulk_ingestion_answers_4xx_and_stores_nothing_on_hostile_items(
    collection, team, world, api_client_for
):
    client = api_client_for(team.organization, Role.OWNER)
    template = BULK_TEMPLATES[collection](world)

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        item, field = _fuzzed(template, data)
        before = _counts()
        good = {**template, "external_id": "good-1"} if "external_id" in template else template
        response = _post_json(client, f"/api/v1/{collection}/", [good, item])
        assert response.status_code < 500, (field, item[field], response.content[:300])
        if response.status_code >= 400:
            assert _counts() == before, "a rejected batch wrote rows"
            body = response.json()
            assert "index" in body and "errors" in body

    check()


@pytest.mark.parametrize("collection", sorted(CRUD_TEMPLATES))
def test_resources_answer_4xx_naming_the_field_on_hostile_values(
    collection, team, world, api_client_for
):
    client = api_client_for(team.organization, Role.OWNER)
    template = CRUD_TEMPLATES[collection](world)

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        body, field = _fuzzed(template, data)
        before = _counts()
        response = _post_json(client, f"/api/v1/{collection}/", body)
        assert response.status_code < 500, (field, body[field], response.content[:300])
        if response.status_code >= 400:
            assert _counts() == before
        elif response.status_code == 201:
            model = {"influencers": Influencer, "social-accounts": SocialAccount,
                     "campaigns": Campaign, "links": TrackingLink}.get(collection)
            if model is not None:
                model.objects.filter(pk=response.json()["id"]).delete()

    check()


def test_a_body_of_ten_megabytes_is_refused_without_a_500(team, api_client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    client = api_client_for(team.organization, Role.OWNER)
    payload = b"[" + b'{"post": 1},' * (10 * 1024 * 1024 // 12) + b'{"post": 1}]'
    response = client.post("/api/v1/post-metrics/", payload, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_a_non_json_body_is_a_400(team, api_client_for):
    client = api_client_for(team.organization, Role.OWNER)
    response = client.post("/api/v1/post-metrics/", b"\xff\xfe{not json",
                           content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "destination",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://files.example/",
     "//evil.example/", "\\\\evil.example", "https://", "http://exa mple.com/"],
)
def test_link_destinations_must_be_web_addresses(destination, team, world, api_client_for):
    client = api_client_for(team.organization, Role.MANAGER)
    response = client.post(
        "/api/v1/links/",
        {"partnership": world[Partnership].pk, "kind": "affiliate", "destination_url": destination},
        format="json",
    )
    assert response.status_code == 400
    assert "destination_url" in response.json()


FORM_ROUTES = [
    ("/campaigns/new/", {"name": "F", "stage": "TOFU", "start_date": "2026-05-01",
                         "end_date": "2026-05-31", "budget": "1", "currency": "USD",
                         "status": "draft", "attribution_window_days": "30"}),
    ("/influencers/new/", {"name": "F", "email": "f@example.com", "country": "US", "tags": "a"}),
    ("/influencers/calculator/", {"handle": "x", "followers": "1000", "likes": "1,2",
                                  "comments": "1,2"}),
    ("/data/post-metrics/new/", {"captured_at": "2026-03-05T10:00", "likes": "3"}),
    ("/data/followers/new/", {"date": "2026-03-05", "followers": "3"}),
    ("/data/comments/new/", {"external_id": "c", "text": "t", "posted_at": "2026-03-05T10:00"}),
]


@pytest.mark.parametrize("path,template", FORM_ROUTES, ids=[r[0] for r in FORM_ROUTES])
def test_forms_answer_without_a_500_on_hostile_values(path, template, client_for, team, world):
    client = client_for(team.owner)
    filled = {**template, "brand": str(world[Brand].pk), "post": str(world[Post].pk),
              "brand_account": str(world[BrandAccount].pk)}

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        field = data.draw(st.sampled_from(sorted(filled)))
        value = data.draw(NASTY)
        text = value if isinstance(value, str) else str(value)
        # Raw bytes, as a hostile client sends them (even invalid UTF-8 for a lone surrogate).
        body = urlencode(
            {k: (v if k != field else text).encode("utf-8", "surrogatepass")
             for k, v in filled.items()}
        )
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (path, field, text[:80])

    check()


def test_far_away_dates_are_refused_or_stored_faithfully(team, world, api_client_for):
    client = api_client_for(team.organization, Role.OWNER)
    item = {**BULK_TEMPLATES["post-metrics"](world), "captured_at": "9999-12-31T23:59:59+00:00"}
    response = client.post("/api/v1/post-metrics/", [item], format="json")
    assert response.status_code in (200, 201, 400)
    if response.status_code != 400:
        stored = PostMetrics.objects.get(post=world[Post], captured_at__year=9999)
        assert stored.captured_at == dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def test_an_edited_link_redirects_to_its_new_destination_at_once(
    team, world, api_client_for, django_capture_on_commit_callbacks
):
    from django.test import Client

    link = world[TrackingLink]
    browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
    first = Client().get(f"/r/{link.slug}", HTTP_USER_AGENT=browser)
    assert first["Location"].startswith("https://brand.example/shop")
    client = api_client_for(team.organization, Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/v1/links/{link.pk}/",
                                {"destination_url": "https://brand.example/new"}, format="json")
    assert response.status_code == 200
    assert Client().get(f"/r/{link.slug}", HTTP_USER_AGENT=browser)["Location"].startswith(
        "https://brand.example/new"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.delete(f"/api/v1/links/{link.pk}/")
    assert Client().get(f"/r/{link.slug}", HTTP_USER_AGENT=browser).status_code == 404
