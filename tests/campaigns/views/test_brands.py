"""Brand pages (campaigns/views/brands.py): the list, settings with the webhook URL and pixel
snippet, brand accounts, and the Shopify secret kept when left empty."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from campaigns.models import BrandAccount
from tests import factories as f


@override_settings(FUNNELBOARD_BASE_URL="https://fb.example")
def test_brand_settings_show_the_webhook_url_and_pixel_snippet(team, client_for):
    brand = f.BrandFactory(organization=team.organization)
    html = client_for(team.viewer).get(reverse("brand_settings", args=[brand.pk])).content.decode()
    assert f"https://fb.example/hooks/shopify/{brand.key}" in html
    assert f"&lt;script src=&quot;https://fb.example/t/{brand.key}/pixel.js&quot; async&gt;" in html
    assert 'data-copy-target="pixel-snippet"' in html
    assert "Save brand" not in html and "Add account" not in html  # viewer: no edit controls


def test_an_admin_adds_a_brand_account_and_keeps_the_secret_when_left_empty(team, client_for):
    brand = f.BrandFactory(organization=team.organization, shopify_webhook_secret="old-secret")
    client = client_for(team.admin)
    response = client.post(
        reverse("brand_account_add", args=[brand.pk]), {"platform": "instagram", "handle": "glow"}
    )
    assert response.status_code == 302
    assert BrandAccount.objects.get(brand=brand).handle == "glow"
    client.post(
        reverse("brand_settings", args=[brand.pk]),
        {"name": "Glow 2", "website": "https://glow.example", "currency": "USD",
         "shopify_webhook_secret": ""},
    )
    brand.refresh_from_db()
    assert brand.name == "Glow 2" and brand.shopify_webhook_secret == "old-secret"
    assert "old-secret" not in client.get(reverse("brand_settings", args=[brand.pk])).content.decode()


def test_a_manager_may_not_change_brands(team, client_for):
    brand = f.BrandFactory(organization=team.organization)
    client = client_for(team.manager)
    assert client.post(
        reverse("brand_account_add", args=[brand.pk]), {"platform": "x", "handle": "h"}
    ).status_code == 403
    assert client.post(reverse("brand_list"), {"name": "New"}).status_code == 403


def test_an_admin_creates_a_brand(team, client_for):
    response = client_for(team.admin).post(
        reverse("brand_list"), {"name": "Trailpeak", "website": "", "currency": "EUR"}
    )
    assert response.status_code == 302
    assert team.organization.brands.get().name == "Trailpeak"


def test_outsider_gets_404_on_brand_pages(outsider, client_for, team):
    brand = f.BrandFactory(organization=team.organization)
    client = client_for(outsider)
    assert client.get(reverse("brand_settings", args=[brand.pk])).status_code == 404
    assert client.post(
        reverse("brand_account_add", args=[brand.pk]), {"platform": "x", "handle": "h"}
    ).status_code == 404
    assert brand.name not in client.get(reverse("brand_list")).content.decode()
