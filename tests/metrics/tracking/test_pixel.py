"""The site pixel: events, the image form, CORS, idempotency, attribution, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from metrics.models import Conversion, Visit
from metrics.tracking.pixel import pixel_snippet
from tests import factories as f

ORIGIN = "https://brand.example"


@pytest.fixture
def brand(db):
    return f.BrandFactory(website="https://brand.example/", currency="EUR")


def send(brand, body, *, origin: str | None = ORIGIN, content_type: str = "text/plain"):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client().post(f"/t/{brand.key}/event", data=data, content_type=content_type, **headers)


def test_a_visit_is_stored_and_answered_with_cors_for_the_brands_origin(brand) -> None:
    response = send(brand, {"type": "visit", "url": "https://brand.example/", "visitor_id": "v1",
                            "event_id": "e1", "referrer": "https://instagram.com/"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response["Vary"]
    visit = Visit.objects.get()
    assert visit.brand == brand and visit.visitor_id == "v1" and visit.external_id == "e1"
    assert visit.source == "pixel" and visit.attribution == "unattributed"


def test_the_www_twin_of_the_website_is_allowed_too(brand) -> None:
    response = send(brand, {"type": "visit"}, origin="https://www.brand.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://www.brand.example"


def test_another_origin_is_refused_without_cors_headers(brand) -> None:
    response = send(brand, {"type": "visit"}, origin="https://evil.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert not Visit.objects.exists()


def test_the_preflight_answers_only_the_brands_origin(brand) -> None:
    ok = Client().options(f"/t/{brand.key}/event", HTTP_ORIGIN=ORIGIN,
                          HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in ok["Access-Control-Allow-Methods"]
    assert "Content-Type" in ok["Access-Control-Allow-Headers"]
    refused = Client().options(f"/t/{brand.key}/event", HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused


def test_an_event_sent_twice_is_stored_once(brand) -> None:
    for _ in range(2):
        assert send(brand, {"type": "signup", "event_id": "e-42"}).status_code == 204
        assert send(brand, {"type": "visit", "event_id": "v-42"}).status_code == 204
    assert Conversion.objects.count() == 1 and Visit.objects.count() == 1


def test_a_funnel_event_becomes_a_zero_amount_conversion_of_that_kind(brand) -> None:
    send(brand, {"type": "lead", "url": "https://brand.example/thanks"})
    conversion = Conversion.objects.get()
    assert conversion.kind == "lead" and conversion.amount == 0
    assert conversion.currency == "EUR" and conversion.external_id.startswith("px_")
    assert conversion.source == "pixel"


def test_events_are_attributed_by_click_id_and_by_utm(brand) -> None:
    campaign = f.CampaignFactory(
        brand=brand, start_date=timezone.now().date() - dt.timedelta(days=3),
        end_date=timezone.now().date() + dt.timedelta(days=3),
    )
    partnership = f.PartnershipFactory(campaign=campaign)
    link = f.TrackingLinkFactory(partnership=partnership, utm_campaign="spring",
                                 utm_content="zoe")
    f.ClickFactory(link=link, click_id="c_px", occurred_at=timezone.now() - dt.timedelta(hours=1))
    send(brand, {"type": "visit", "url": "https://brand.example/?fb_click=c_px", "event_id": "a"})
    send(brand, {"type": "signup", "click_id": "c_px", "event_id": "b"})
    send(brand, {"type": "visit", "url": "https://brand.example/?utm_campaign=SPRING&utm_content=zoe",
                 "event_id": "c"})
    send(brand, {"type": "trial", "utm_campaign": "spring", "utm_content": "zoe",
                 "event_id": "d"})
    assert Visit.objects.get(external_id="a").attribution == "link"
    assert Visit.objects.get(external_id="a").partnership == partnership
    assert Conversion.objects.get(external_id="b").attribution == "link"
    assert Visit.objects.get(external_id="c").attribution == "utm"
    assert Conversion.objects.get(external_id="d").partnership == partnership


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        ([1, 2], "JSON object"),
        ({"type": "purchase"}, "type must be one of"),
        ({}, "type must be one of"),
        ({"type": "visit", "url": "javascript:alert(1)"}, "url must be"),
        ({"type": "visit", "visitor_id": 5}, "visitor_id must be a string"),
        ({"type": "visit", "click_id": "x" * 40}, "click_id is longer"),
        ({"type": "visit", "event_id": "bad id!"}, "event_id may only"),
    ],
)
def test_malformed_events_are_a_400_with_a_reason(brand, body, reason: str) -> None:
    response = send(brand, body)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == ORIGIN  # so the page can read why
    assert not Visit.objects.exists() and not Conversion.objects.exists()


def test_an_unknown_brand_key_is_a_404(db) -> None:
    assert Client().post("/t/nope/event", data="{}", content_type="text/plain").status_code == 404
    assert Client().get("/t/nope/p.gif?type=visit").status_code == 404
    assert Client().get("/t/nope/pixel.js").status_code == 404


def test_the_image_pixel_records_the_event_and_returns_a_gif(brand) -> None:
    response = Client().get(
        f"/t/{brand.key}/p.gif", {"type": "visit", "url": "https://brand.example/a",
                                  "vid": "v9", "eid": "img-1"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert Visit.objects.get().visitor_id == "v9"
    assert Client().get(f"/t/{brand.key}/p.gif", {"type": "nope"}).status_code == 400


def test_the_snippet_is_served_for_a_known_brand(brand) -> None:
    response = Client().get(f"/t/{brand.key}/pixel.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"fb_click" in response.content and b"sendBeacon" in response.content
    snippet = pixel_snippet(brand)
    assert f"/t/{brand.key}/pixel.js" in snippet and snippet.startswith("<script async")


def test_a_get_on_the_event_endpoint_is_refused(brand) -> None:
    assert Client().get(f"/t/{brand.key}/event").status_code == 405
