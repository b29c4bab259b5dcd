"""The Unattributed conversions page says, per conversion, why each rule failed and links a
manager to where the fix is made (metrics/views.py ``unattributed``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f

PAGE = "/metrics/unattributed/"
WHEN = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


@pytest.fixture
def brand(team):
    return f.BrandFactory(organization=team.organization, name="Glow")


@pytest.fixture
def partnership(brand):
    return f.PartnershipFactory(campaign__brand=brand)


@pytest.mark.django_db
def test_each_rule_says_why_it_did_not_match(team, brand, partnership, client_for):
    f.PromoCodeFactory(partnership=partnership, code="LATE10",
                       active_from=WHEN + dt.timedelta(days=1))
    old_click = f.ClickFactory(
        link__partnership=partnership, occurred_at=WHEN - dt.timedelta(days=90)
    )
    f.ConversionFactory(
        brand=brand, external_id="o-1", occurred_at=WHEN, promo_code="LATE10",
        click_id=old_click.click_id, utm_campaign="spring", utm_content="nobody",
    )
    body = client_for(team.manager).get(PAGE).content.decode()
    assert "Code LATE10 was not active at" in body
    assert f"The order came 90 days after click {old_click.click_id}" in body
    assert "No tracking link of this brand has utm_campaign spring and utm_content nobody." in body
    # The fixes: the code's page, the campaign's window, the links pages.
    assert reverse("partnership_links", args=[partnership.pk]) in body
    assert reverse("campaign_edit", args=[partnership.campaign_id]) in body
    assert "Extend the campaign&#x27;s attribution window" in body


@pytest.mark.django_db
def test_an_unknown_code_and_click_id(team, brand, partnership, client_for):
    f.ConversionFactory(brand=brand, promo_code="WHO10", click_id="ghost")
    body = client_for(team.manager).get(PAGE).content.decode()
    assert "No partnership of this brand has the code WHO10." in body
    assert "Click id ghost is unknown: no tracked link was clicked with it." in body
    assert "Add the code to the partnership that handed it out" in body


@pytest.mark.django_db
def test_viewers_see_reasons_without_fix_links(team, brand, partnership, client_for):
    f.ConversionFactory(brand=brand, promo_code="WHO10")
    body = client_for(team.viewer).get(PAGE).content.decode()
    assert "No partnership of this brand has the code WHO10." in body
    assert reverse("partnership_links", args=[partnership.pk]) not in body


@pytest.mark.django_db
def test_reasons_cost_a_fixed_number_of_queries(
    team, brand, partnership, client_for, django_assert_max_num_queries
):
    client = client_for(team.manager)
    f.ConversionFactory(brand=brand, promo_code="A", click_id="x", utm_campaign="u",
                        utm_content="v")
    with django_assert_max_num_queries(40) as few:
        client.get(PAGE)
    for n in range(15):
        f.ConversionFactory(brand=brand, promo_code=f"A{n}", click_id=f"x{n}",
                            utm_campaign="u", utm_content=f"v{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)
