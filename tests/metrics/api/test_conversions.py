"""`/api/v1/conversions/` and `/api/v1/visits/`: bulk upsert, errors, scoping, assign,
re-attribute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from metrics.models import Conversion, Visit
from tests import factories as f

URL = "/api/v1/conversions/"


@pytest.fixture
def brand(team):
    return f.BrandFactory(organization=team.organization, currency="USD")


@pytest.fixture
def partnership(brand):
    return f.PartnershipFactory(campaign__brand=brand)


def order(brand, n: int = 1, **kw) -> dict:
    item = {
        "brand": brand.pk, "external_id": f"o-{n}", "kind": "sale", "amount": "50.00",
        "currency": "USD", "occurred_at": "2026-03-05T10:00:00+00:00",
    }
    item.update(kw)
    return item


def test_a_manager_posts_a_list_and_it_is_upserted_idempotently(team, brand, api_client_for):
    client = api_client_for(team.organization, Role.MANAGER)
    response = client.post(URL, [order(brand, 1), order(brand, 2)], format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 2, "updated": 0}
    again = client.post(URL, [order(brand, 1, amount="60.00"), order(brand, 3)], format="json")
    assert again.json() == {"created": 1, "updated": 1}
    assert Conversion.objects.count() == 3
    assert Conversion.objects.get(external_id="o-1").amount == Decimal("60.00")


def test_conversions_are_attributed_on_arrival_and_the_reason_stored(
    team, brand, partnership, api_client_for
):
    f.PromoCodeFactory(partnership=partnership, code="ZOE15")
    client = api_client_for(team.organization)
    client.post(URL, [order(brand, 1, promo_code="zoe15"), order(brand, 2)], format="json")
    assert Conversion.objects.get(external_id="o-1").attribution == "promo_code"
    assert Conversion.objects.get(external_id="o-1").partnership == partnership
    assert Conversion.objects.get(external_id="o-2").attribution == "unattributed"


def test_an_explicit_partnership_is_manual_and_stays_manual(team, brand, partnership,
                                                            api_client_for):
    client = api_client_for(team.organization)
    client.post(URL, [order(brand, 1, partnership=partnership.pk)], format="json")
    client.post(URL, [order(brand, 1, amount="70.00")], format="json")
    conversion = Conversion.objects.get()
    assert conversion.attribution == "manual" and conversion.partnership == partnership


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"currency": "dollars"}, "currency"),
        ({"kind": "purchase"}, "kind"),
        ({"occurred_at": "2026-03-05T10:00:00"}, "occurred_at"),
        ({"occurred_at": None}, "occurred_at"),
        ({"landing_url": "javascript:alert(1)"}, "landing_url"),
        ({"external_id": ""}, "external_id"),
        ({"brand": 999999}, "brand"),
        ({"partnership": 999999}, "partnership"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_one_bad_item_rejects_the_batch_with_its_index(team, brand, api_client_for, bad, field):
    client = api_client_for(team.organization)
    second = {**order(brand, 2), **bad}
    response = client.post(URL, [order(brand, 1), second], format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["index"] == 1 and field in body["errors"]
    assert not Conversion.objects.exists()


def test_a_partnership_of_another_brand_is_rejected(team, brand, api_client_for):
    other = f.PartnershipFactory(campaign__brand__organization=team.organization)
    client = api_client_for(team.organization)
    response = client.post(URL, [order(brand, 1, partnership=other.pk)], format="json")
    assert response.status_code == 400
    assert response.json()["index"] == 0 and "partnership" in response.json()["errors"]
    assert not Conversion.objects.exists()


def test_another_organizations_brand_is_a_400_and_stores_nothing(
    team, outsider_team, brand, api_client_for
):
    theirs = f.BrandFactory(organization=outsider_team.organization)
    client = api_client_for(team.organization)
    response = client.post(URL, [order(brand, 1), order(theirs, 2)], format="json")
    assert response.status_code == 400 and response.json()["index"] == 1
    assert not Conversion.objects.exists()


@pytest.mark.parametrize("body", [{"brand": 1}, "text", None])
def test_a_body_that_is_not_a_list_has_a_null_index(team, api_client_for, body):
    response = api_client_for(team.organization).post(URL, body, format="json")
    assert response.status_code == 400 and response.json()["index"] is None


def test_more_than_ten_thousand_items_are_refused(team, brand, api_client_for):
    items = [order(brand, 1)] * 10_001
    response = api_client_for(team.organization).post(URL, items, format="json")
    assert response.status_code == 400 and response.json()["index"] is None


def test_a_viewer_may_read_but_not_write(team, brand, api_client_for):
    f.ConversionFactory(brand=brand)
    client = api_client_for(team.organization, Role.VIEWER)
    assert client.get(URL).status_code == 200
    assert client.post(URL, [order(brand)], format="json").status_code == 403


def test_the_list_is_scoped_paginated_and_filtered(team, outsider_team, brand, partnership,
                                                   api_client_for):
    mine = f.ConversionFactory(brand=brand, partnership=partnership, attribution="manual")
    f.RefundFactory(conversion=mine, amount=Decimal("10.00"))
    f.ConversionFactory(brand=brand)
    f.ConversionFactory(brand=f.BrandFactory(organization=outsider_team.organization))
    client = api_client_for(team.organization, Role.VIEWER)
    body = client.get(URL).json()
    assert body["count"] == 2 and {"next", "previous", "results"} <= body.keys()
    only = client.get(URL, {"partnership": partnership.pk}).json()["results"]
    assert [r["id"] for r in only] == [mine.pk]
    assert only[0]["refunded"] == "10.00" and only[0]["campaign"] == partnership.campaign_id
    assert client.get(URL, {"campaign": partnership.campaign_id}).json()["count"] == 1
    assert client.get(URL, {"brand": brand.pk}).json()["count"] == 2


def test_the_list_costs_the_same_queries_whatever_the_rows(team, brand, partnership,
                                                          api_client_for):
    client = api_client_for(team.organization, Role.VIEWER)
    f.ConversionFactory(brand=brand, partnership=partnership)
    client.get(URL)  # warm the throttle and key rows
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(5):
        conversion = f.ConversionFactory(brand=brand, partnership=partnership)
        f.RefundFactory(conversion=conversion)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 6
    assert len(many) == len(few)


def test_outsider_gets_404_on_detail_and_assign(team, outsider_team, brand, partnership,
                                               api_client_for):
    conversion = f.ConversionFactory(brand=brand)
    outsider = api_client_for(outsider_team.organization)
    assert outsider.get(f"{URL}{conversion.pk}/").status_code == 404
    response = outsider.post(f"{URL}{conversion.pk}/assign/", {"partnership": partnership.pk},
                             format="json")
    assert response.status_code == 404
    assert Conversion.objects.get().partnership is None


def test_a_manager_assigns_a_conversion_by_hand(team, brand, partnership, api_client_for):
    conversion = f.ConversionFactory(brand=brand)
    client = api_client_for(team.organization, Role.MANAGER)
    response = client.post(f"{URL}{conversion.pk}/assign/", {"partnership": partnership.pk},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["attribution"] == "manual"
    assert response.json()["partnership"] == partnership.pk


def test_assign_refuses_another_organizations_partnership_and_viewers(
    team, outsider_team, brand, api_client_for
):
    conversion = f.ConversionFactory(brand=brand)
    theirs = f.PartnershipFactory(campaign__brand__organization=outsider_team.organization)
    manager = api_client_for(team.organization, Role.MANAGER)
    response = manager.post(f"{URL}{conversion.pk}/assign/", {"partnership": theirs.pk},
                            format="json")
    assert response.status_code == 400 and "partnership" in response.json()
    viewer = api_client_for(team.organization, Role.VIEWER)
    mine = f.PartnershipFactory(campaign__brand=brand)
    assert viewer.post(f"{URL}{conversion.pk}/assign/", {"partnership": mine.pk},
                       format="json").status_code == 403


def test_reattribute_applies_codes_added_later(team, outsider_team, brand, partnership,
                                               api_client_for):
    client = api_client_for(team.organization, Role.MANAGER)
    client.post(URL, [order(brand, 1, promo_code="LATE10")], format="json")
    assert Conversion.objects.get().attribution == "unattributed"
    f.PromoCodeFactory(partnership=partnership, code="late10")
    response = client.post(f"{URL}reattribute/", {"brand": brand.pk}, format="json")
    assert response.status_code == 200 and response.json() == {"attributed": 1}
    assert Conversion.objects.get().partnership == partnership
    theirs = f.BrandFactory(organization=outsider_team.organization)
    assert client.post(f"{URL}reattribute/", {"brand": theirs.pk},
                       format="json").status_code == 400


def test_visits_are_ingested_idempotently_and_attributed_by_utm(team, brand, api_client_for):
    campaign = f.CampaignFactory(brand=brand, start_date=dt.date(2026, 3, 1),
                                 end_date=dt.date(2026, 3, 31))
    link = f.TrackingLinkFactory(partnership__campaign=campaign, utm_campaign="spring",
                                 utm_content="zoe")
    client = api_client_for(team.organization, Role.MANAGER)
    items = [
        {"brand": brand.pk, "occurred_at": "2026-03-05T10:00:00Z", "external_id": "v1",
         "landing_url": "https://brand.example/?utm_campaign=spring&utm_content=ZOE",
         "visitor_id": "a"},
        {"brand": brand.pk, "occurred_at": "2026-03-05T10:00:00Z", "visitor_id": "b"},
    ]
    assert client.post("/api/v1/visits/", items, format="json").json() == {
        "created": 2, "updated": 0,
    }
    assert client.post("/api/v1/visits/", items[:1], format="json").json() == {
        "created": 0, "updated": 1,
    }
    assert Visit.objects.count() == 2
    visit = Visit.objects.get(external_id="v1")
    assert visit.attribution == "utm" and visit.partnership == link.partnership
    listed = client.get("/api/v1/visits/", {"campaign": campaign.pk}).json()
    assert listed["count"] == 1
    bad = client.post("/api/v1/visits/", [{"brand": brand.pk}], format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == {
        "occurred_at": ["This field is required."]
    }


def test_outsider_gets_404_on_a_visit(team, outsider_team, brand, api_client_for):
    visit = f.VisitFactory(brand=brand)
    assert api_client_for(outsider_team.organization).get(
        f"/api/v1/visits/{visit.pk}/"
    ).status_code == 404


def test_the_api_upserts_only_its_own_records_never_another_sources(
    team, brand, api_client_for
):
    """A record's identity is (brand, source, external id): the API sending an id a Shopify
    order or a pixel event already has creates its own record and changes neither."""
    shopify = f.ConversionFactory(brand=brand, external_id="o-1", source="shopify",
                                  amount=Decimal("64.60"))
    pixel_visit = f.VisitFactory(brand=brand, external_id="evt-1", source="pixel",
                                 landing_url="https://brand.example/real")
    client = api_client_for(team.organization, Role.MANAGER)
    response = client.post(URL, [order(brand, 1, amount="1.00")], format="json")
    assert response.json() == {"created": 1, "updated": 0}
    visit = {"brand": brand.pk, "occurred_at": "2026-03-05T10:00:00Z", "external_id": "evt-1",
             "landing_url": "https://brand.example/api"}
    assert client.post("/api/v1/visits/", [visit], format="json").json() == {
        "created": 1, "updated": 0,
    }
    shopify.refresh_from_db()
    pixel_visit.refresh_from_db()
    assert shopify.amount == Decimal("64.60") and shopify.source == "shopify"
    assert pixel_visit.landing_url == "https://brand.example/real"
    assert Conversion.objects.get(source="api").amount == Decimal("1.00")
    # A second API call updates the API's own record, as before.
    again = client.post(URL, [order(brand, 1, amount="2.00")], format="json")
    assert again.json() == {"created": 0, "updated": 1}
    assert Conversion.objects.get(source="api").amount == Decimal("2.00")
