"""The metrics pages (metrics/views.py): the Unattributed conversions page, manual assignment,
re-run, and the conversions CSV import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.models import Conversion, Source
from tests import factories as f

PAGE = "/metrics/unattributed/"
IMPORT = "/metrics/conversions/import/"


@pytest.fixture
def brand(team):
    return f.BrandFactory(organization=team.organization, name="Glow")


@pytest.fixture
def partnership(brand):
    return f.PartnershipFactory(campaign__brand=brand)


def test_it_lists_the_organizations_unattributed_conversions(
    team, outsider_team, brand, partnership, client_for
):
    f.ConversionFactory(brand=brand, external_id="lonely-1", promo_code="WHO10")
    f.ConversionFactory(brand=brand, external_id="credited", partnership=partnership,
                        attribution="promo_code")
    f.ConversionFactory(brand=f.BrandFactory(organization=outsider_team.organization),
                        external_id="theirs")
    response = client_for(team.manager).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "lonely-1" in body and "WHO10" in body
    assert "credited" not in body and "theirs" not in body
    assert "Re-run attribution" in body and 'name="partnership"' in body


def test_viewers_see_the_list_without_controls(team, brand, partnership, client_for):
    f.ConversionFactory(brand=brand, external_id="lonely-1")
    body = client_for(team.viewer).get(PAGE).content.decode()
    assert "lonely-1" in body
    assert "Re-run attribution" not in body and 'name="partnership"' not in body


def test_it_filters_by_brand(team, brand, client_for):
    other = f.BrandFactory(organization=team.organization, name="Other")
    f.ConversionFactory(brand=brand, external_id="glow-order")
    f.ConversionFactory(brand=other, external_id="other-order")
    body = client_for(team.viewer).get(PAGE, {"brand": brand.pk}).content.decode()
    assert "glow-order" in body and "other-order" not in body


def test_the_page_costs_the_same_queries_whatever_the_rows(
    team, brand, partnership, client_for, django_assert_max_num_queries
):
    client = client_for(team.manager)
    f.ConversionFactory(brand=brand)
    client.get(PAGE)
    for _ in range(15):
        f.ConversionFactory(brand=brand)
    with django_assert_max_num_queries(14):
        assert client.get(PAGE).status_code == 200


def test_outsider_gets_404_on_another_organizations_brand_and_conversion(
    team, outsider_team, brand, partnership, client_for
):
    conversion = f.ConversionFactory(brand=brand)
    outsider = client_for(outsider_team.owner)
    assert outsider.get(PAGE, {"brand": brand.pk}).status_code == 404
    assert outsider.post(f"/metrics/conversions/{conversion.pk}/assign/",
                         {"partnership": partnership.pk}).status_code == 404
    assert outsider.post(f"/metrics/brands/{brand.pk}/reattribute/").status_code == 404
    assert Conversion.objects.get().partnership is None


def test_a_manager_assigns_a_conversion_by_hand(team, brand, partnership, client_for):
    conversion = f.ConversionFactory(brand=brand)
    response = client_for(team.manager).post(
        f"/metrics/conversions/{conversion.pk}/assign/", {"partnership": partnership.pk}
    )
    assert response.status_code == 302
    conversion.refresh_from_db()
    assert conversion.partnership == partnership and conversion.attribution == "manual"


def test_assigning_to_another_brands_partnership_is_refused(team, brand, client_for):
    conversion = f.ConversionFactory(brand=brand)
    elsewhere = f.PartnershipFactory(campaign__brand__organization=team.organization)
    client_for(team.manager).post(
        f"/metrics/conversions/{conversion.pk}/assign/", {"partnership": elsewhere.pk}
    )
    assert Conversion.objects.get().partnership is None


def test_a_viewer_cannot_assign_or_rerun(team, brand, partnership, client_for):
    conversion = f.ConversionFactory(brand=brand)
    viewer = client_for(team.viewer)
    assert viewer.post(f"/metrics/conversions/{conversion.pk}/assign/",
                       {"partnership": partnership.pk}).status_code == 403
    assert viewer.post(f"/metrics/brands/{brand.pk}/reattribute/").status_code == 403


def test_rerun_attribution_picks_up_a_link_added_later(team, brand, partnership, client_for):
    # On 5 March 2026, inside the campaign of March 2026 (the factories' defaults).
    f.ConversionFactory(brand=brand, utm_campaign="spring", utm_content="zoe")
    f.TrackingLinkFactory(partnership=partnership, utm_campaign="Spring", utm_content="Zoe")
    response = client_for(team.manager).post(f"/metrics/brands/{brand.pk}/reattribute/")
    assert response.status_code == 302
    conversion = Conversion.objects.get()
    assert conversion.attribution == "utm" and conversion.partnership == partnership


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("orders.csv", text.encode(), content_type="text/csv")


def test_a_csv_import_stores_every_row(team, brand, partnership, client_for):
    f.PromoCodeFactory(partnership=partnership, code="MIA10")
    data = (
        "external_id,kind,amount,currency,occurred_at,promo_code\n"
        "A1,sale,10.00,USD,2026-03-05T10:00:00+00:00,mia10\n"
        "A2,,20.50,,2026-03-05T11:00:00Z,\n"
    )
    response = client_for(team.manager).post(IMPORT, {"brand": brand.pk, "file": _csv(data)})
    assert response.status_code == 302
    assert Conversion.objects.count() == 2
    first = Conversion.objects.get(external_id="A1")
    assert first.partnership == partnership and first.source == "csv"


def test_a_csv_with_a_bad_row_stores_nothing_and_numbers_the_rows(team, brand, client_for):
    data = (
        "external_id,amount,occurred_at\n"
        "A1,10.00,2026-03-05T10:00:00+00:00\n"
        "A2,-5,2026-03-05T10:00:00+00:00\n"
        "A3,1,yesterday\n"
    )
    response = client_for(team.manager).post(IMPORT, {"brand": brand.pk, "file": _csv(data)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Row 3, amount" in body and "Row 4, occurred_at" in body
    assert not Conversion.objects.exists()


def test_a_csv_with_a_wrong_header_is_explained(team, brand, client_for):
    response = client_for(team.manager).post(
        IMPORT, {"brand": brand.pk, "file": _csv("order,price\n1,2\n")}
    )
    assert "The header row lacks" in response.content.decode()


def test_outsider_cannot_import_into_another_organizations_brand(
    team, outsider_team, brand, client_for
):
    data = "external_id,occurred_at\nA1,2026-03-05T10:00:00+00:00\n"
    response = client_for(outsider_team.owner).post(IMPORT, {"brand": brand.pk,
                                                             "file": _csv(data)})
    assert response.status_code == 200  # the form refuses a brand it does not offer
    assert not Conversion.objects.exists()


def test_viewers_cannot_import(team, client_for):
    assert client_for(team.viewer).get(IMPORT).status_code == 403


def test_a_conversions_csv_matches_only_csv_records(org, client_for, team):
    """The conversions CSV upserts on (brand, source, external id): an order id that Shopify
    already stored becomes a CSV record of its own and the order is left alone."""
    brand = f.BrandFactory(organization=org, currency="USD")
    order = f.ConversionFactory(brand=brand, external_id="1042", source=Source.SHOPIFY,
                                amount=Decimal("64.60"))
    data = "external_id,kind,amount,currency,occurred_at\n1042,sale,1.00,USD,2026-03-05T10:00Z\n"
    upload = SimpleUploadedFile("orders.csv", data.encode(), content_type="text/csv")
    response = client_for(team.manager).post(IMPORT, {"brand": brand.pk, "file": upload})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.amount == Decimal("64.60") and order.source == "shopify"
    assert Conversion.objects.get(source="csv").amount == Decimal("1.00")
