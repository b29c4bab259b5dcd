"""campaigns/link_cache.py: the tracking-link lookup the `/r/` redirect reads through — cached
in process and in the shared cache, and dropped at once when a link changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns import link_cache
from campaigns.services import link_delete, link_update
from tests import factories as f

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    link_cache.clear_local_cache()


@pytest.fixture
def link(team):
    return f.TrackingLinkFactory(
        partnership__campaign__brand__organization=team.organization,
        slug="mia-fall", destination_url="https://brand.example/shop",
    )


def test_it_loads_an_active_links_redirect_data(link) -> None:
    data = link_cache.cached_link("mia-fall")
    assert data is not None
    assert data["id"] == link.pk and data["partnership_id"] == link.partnership_id
    assert data["campaign_id"] == link.partnership.campaign_id
    assert data["brand_id"] == link.partnership.campaign.brand_id
    assert data["destination"].startswith("https://brand.example/shop?utm_source=instagram")


def test_unknown_disabled_and_unsafe_links_are_missing(db) -> None:
    f.TrackingLinkFactory(slug="off", is_active=False)
    f.TrackingLinkFactory(slug="bad", destination_url="javascript:alert(1)")
    assert link_cache.cached_link("nope") is None
    assert link_cache.cached_link("off") is None
    assert link_cache.cached_link("bad") is None


def test_the_lookup_is_cached_in_process_and_in_the_shared_cache(
    link, django_assert_num_queries
) -> None:
    first = link_cache.cached_link("mia-fall")
    with django_assert_num_queries(0):  # this process's layer
        assert link_cache.cached_link("mia-fall") == first
    link_cache.clear_local_cache()
    with CaptureQueriesContext(connection) as queries:  # the shared cache answers
        assert link_cache.cached_link("mia-fall") == first
    assert not [q for q in queries.captured_queries if "trackinglink" in q["sql"].lower()]


def test_an_unknown_slug_is_cached_as_missing(db, django_assert_num_queries) -> None:
    assert link_cache.cached_link("nope") is None
    with django_assert_num_queries(0):
        assert link_cache.cached_link("nope") is None


def test_forget_link_drops_the_entry_from_both_layers(link) -> None:
    assert link_cache.cached_link("mia-fall") is not None
    link.is_active = False
    link.save()
    assert link_cache.cached_link("mia-fall") is not None  # still cached
    link_cache.forget_link("mia-fall")
    assert link_cache.cached_link("mia-fall") is None


def test_after_an_edit_the_next_lookup_sees_the_new_destination(
    team, link, django_capture_on_commit_callbacks
) -> None:
    assert link_cache.cached_link("mia-fall")["destination"].startswith(  # type: ignore[index]
        "https://brand.example/shop?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        link_update(access=team.access(), link=link, destination_url="https://brand.example/new")
    data = link_cache.cached_link("mia-fall")
    assert data is not None and data["destination"].startswith("https://brand.example/new?")


def test_after_a_delete_the_next_lookup_finds_nothing(
    team, link, django_capture_on_commit_callbacks
) -> None:
    assert link_cache.cached_link("mia-fall") is not None
    with django_capture_on_commit_callbacks(execute=True):
        link_delete(access=team.access(), link=link)
    assert link_cache.cached_link("mia-fall") is None


def test_a_disabled_link_stops_redirecting_at_once(link, settings) -> None:
    settings.REDIS_URL = ""  # the click is written directly (the buffer has its own tests)
    client = Client()
    assert client.get("/r/mia-fall", HTTP_USER_AGENT=BROWSER).status_code == 302
    link.is_active = False
    link.save()
    link_cache.forget_link("mia-fall")
    assert client.get("/r/mia-fall", HTTP_USER_AGENT=BROWSER).status_code == 404
