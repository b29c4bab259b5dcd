"""metrics/tracking/redirect.py — `GET /r/<slug>`: headers, merge rules, open-redirect attempts,
counting rules, visitor identity. The link cache itself: tests/campaigns/test_link_cache.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory, override_settings

from campaigns import link_cache
from metrics.models import Click
from metrics.tracking import redirect
from tests import factories as f

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _direct_writes(settings) -> None:
    """Clicks go straight to the database here (the buffer has its own tests), in both modes."""
    settings.REDIS_URL = ""
    link_cache.clear_local_cache()


@pytest.fixture
def link(db):
    return f.TrackingLinkFactory(
        destination_url="https://brand.example/shop?color=red&utm_source=old",
        utm_source="instagram", utm_medium="influencer", utm_campaign="fall-glow",
        utm_content="mia", slug="mia-fall",
    )


def follow(client: Client, path: str, **headers: str):
    headers.setdefault("HTTP_USER_AGENT", BROWSER)
    return client.get(path, **headers)


def test_it_redirects_to_the_stored_destination_with_utm_and_a_click_id(link) -> None:
    response = follow(Client(), "/r/mia-fall")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://brand.example/shop?color=red&utm_source=instagram")
    query = parse_qs(urlsplit(location).query)
    assert query["utm_source"] == ["instagram"]  # replaced, not duplicated
    assert query["utm_campaign"] == ["fall-glow"] and query["utm_content"] == ["mia"]
    click = Click.objects.get()
    assert query["fb_click"] == [click.click_id]
    assert click.link == link and not click.is_bot and click.is_unique
    assert click.device == "desktop"


def test_the_redirect_is_not_cached_and_sets_a_referrer_policy(link) -> None:
    response = follow(Client(), "/r/mia-fall")
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize(
    "path",
    [
        "/r/mia-fall?next=https://evil.example",
        "/r/mia-fall?url=//evil.example&fb_click=forged",
        "/r/mia-fall?%2F%2Fevil.example",
        "/r/mia-fall?x=%0d%0aLocation:%20https://evil.example",
        "/r/mia-fall?\\\\evil.example",
    ],
)
def test_nothing_in_the_request_changes_the_destination(link, path: str) -> None:
    response = follow(Client(), path, HTTP_HOST="127.0.0.1", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://brand.example/shop?color=red&utm_source=instagram")
    assert "evil" not in location and "forged" not in location
    assert "\n" not in location and "\r" not in location


@pytest.mark.parametrize(
    "path",
    [
        "/r//evil.example",
        "/r/%2F%2Fevil.example",
        "/r/\\evil.example",
        "/r/mia-fall%0d%0aLocation:%20https://evil.example",
        "/r/mia-fall/https://evil.example",
        "/r/mia-fall%2F..%2F",
    ],
)
def test_a_tampered_path_is_a_404_not_a_redirect(link, path: str) -> None:
    response = follow(Client(), path)
    assert response.status_code == 404
    assert "Location" not in response
    assert Click.objects.count() == 0


def test_an_unknown_slug_shows_the_friendly_404_page(db) -> None:
    response = follow(Client(), "/r/nope")
    assert response.status_code == 404
    assert b"doesn&#x27;t lead anywhere" in response.content or b"lead anywhere" in response.content


def test_a_disabled_link_is_a_404(link) -> None:
    link.is_active = False
    link.save()
    assert follow(Client(), "/r/mia-fall").status_code == 404


def test_a_stored_unsafe_destination_is_never_served(db) -> None:
    f.TrackingLinkFactory(slug="bad", destination_url="javascript:alert(1)")
    assert follow(Client(), "/r/bad").status_code == 404


def test_bots_are_redirected_without_a_click_id_and_flagged(link) -> None:
    response = follow(Client(), "/r/mia-fall", HTTP_USER_AGENT="facebookexternalhit/1.1")
    assert response.status_code == 302
    assert "fb_click" not in response["Location"]
    click = Click.objects.get()
    assert click.is_bot and not click.is_unique and click.device == "bot"


def test_an_empty_user_agent_is_a_bot(link) -> None:
    response = Client().get("/r/mia-fall")
    assert "fb_click" not in response["Location"]
    assert Click.objects.get().is_bot


def test_head_requests_redirect_but_are_not_counted(link) -> None:
    response = Client().head("/r/mia-fall", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert "fb_click" not in response["Location"]
    assert Click.objects.count() == 0


@pytest.mark.parametrize(
    "header", [{"HTTP_PURPOSE": "prefetch"}, {"HTTP_SEC_PURPOSE": "prefetch;prerender"}]
)
def test_prefetches_redirect_but_are_not_counted(link, header: dict[str, str]) -> None:
    response = follow(Client(), "/r/mia-fall", **header)
    assert response.status_code == 302
    assert Click.objects.count() == 0


def test_other_methods_are_refused(link) -> None:
    assert Client().post("/r/mia-fall").status_code == 405
    assert Click.objects.count() == 0


def test_only_the_first_click_of_a_visitor_on_a_link_in_a_day_is_unique(link) -> None:
    client = Client()
    follow(client, "/r/mia-fall", REMOTE_ADDR="203.0.113.5")
    follow(client, "/r/mia-fall", REMOTE_ADDR="203.0.113.5")
    follow(client, "/r/mia-fall", REMOTE_ADDR="203.0.113.6")
    follow(client, "/r/mia-fall", REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=IPHONE)
    clicks = list(Click.objects.order_by("occurred_at", "id"))
    assert [c.is_unique for c in clicks] == [True, False, True, True]
    assert clicks[3].device == "mobile"
    other = f.TrackingLinkFactory(partnership=link.partnership, slug="other")
    follow(client, "/r/other", REMOTE_ADDR="203.0.113.5")
    assert Click.objects.get(link=other).is_unique


def test_a_click_on_the_next_utc_day_is_unique_again(link) -> None:
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ip, ua = "203.0.113.5", BROWSER
    f.ClickFactory(
        link=link, occurred_at=yesterday,
        visitor_hash=redirect.visitor_hash(ip, ua, yesterday.date()),
    )
    follow(Client(), "/r/mia-fall", REMOTE_ADDR=ip)
    assert Click.objects.latest("occurred_at").is_unique


def test_the_visitor_hash_is_keyed_rotates_daily_and_hides_the_ip() -> None:
    day = dt.date(2026, 3, 1)
    first = redirect.visitor_hash("203.0.113.5", BROWSER, day)
    assert first == redirect.visitor_hash("203.0.113.5", BROWSER, day)
    assert first != redirect.visitor_hash("203.0.113.5", BROWSER, day + dt.timedelta(days=1))
    assert first != redirect.visitor_hash("203.0.113.6", BROWSER, day)
    assert "203.0.113.5" not in first and len(first) == 64
    with override_settings(SECRET_KEY="another-secret-key-entirely-different-from-the-first"):
        redirect.daily_salt.cache_clear()
        assert redirect.visitor_hash("203.0.113.5", BROWSER, day) != first
    redirect.daily_salt.cache_clear()


def test_the_click_records_referrer_host_and_country(link) -> None:
    follow(
        Client(), "/r/mia-fall", HTTP_REFERER="https://l.instagram.com/?u=x",
        HTTP_CF_IPCOUNTRY="de",
    )
    click = Click.objects.get()
    assert click.referrer_host == "l.instagram.com" and click.country == "DE"


def test_x_forwarded_for_is_ignored_without_trusted_proxies(settings) -> None:
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/r/x", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert redirect.client_ip(request) == "198.51.100.1"


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    redirect._trusted_networks.cache_clear()
    via_proxy = RequestFactory().get(
        "/r/x", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.7"
    )
    # The right-most address that is not a proxy of ours; the client-claimed 6.6.6.6 is not.
    assert redirect.client_ip(via_proxy) == "203.0.113.9"
    direct = RequestFactory().get(
        "/r/x", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert redirect.client_ip(direct) == "198.51.100.1"


def test_the_link_lookup_is_cached(link, django_assert_max_num_queries) -> None:
    client = Client()
    follow(client, "/r/mia-fall")
    link_cache.clear_local_cache()  # the shared cache still answers
    with django_assert_max_num_queries(8):
        # no link query for the redirect: the cache read, the uniqueness check and the insert
        # (+ savepoints), then the day's click rollup (the link's partnership, the upsert)
        response = follow(client, "/r/mia-fall")
    assert response.status_code == 302
