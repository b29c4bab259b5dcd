"""Links and codes per partnership, QR codes, and brand settings."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from campaigns.models import BrandAccount, PromoCode, TrackingLink
from tests import factories as f


@pytest.fixture
def partnership(team):
    brand = f.BrandFactory(organization=team.organization, website="https://glow.example")
    campaign = f.CampaignFactory(brand=brand, slug="vitamin-c")
    partnership = f.PartnershipFactory(campaign=campaign)
    f.SocialAccountFactory(influencer=partnership.influencer, platform="tiktok", handle="priya",
                           followers=90_000)
    f.SocialAccountFactory(influencer=partnership.influencer, platform="instagram", handle="priya.ig",
                           followers=5_000)
    return partnership


def test_the_builder_suggests_sensible_defaults(team, client_for, partnership):
    response = client_for(team.manager).get(reverse("partnership_links", args=[partnership.pk]))
    initial = response.context["link_form"].initial
    assert initial["utm_source"] == "tiktok"  # the creator's biggest account
    assert initial["utm_medium"] == "influencer"
    assert initial["utm_campaign"] == "vitamin-c"
    assert initial["utm_content"] == "priya"
    assert initial["destination_url"] == "https://glow.example"
    assert "utm_campaign=vitamin-c" in response.context["preview"]["url"]


@override_settings(FUNNELBOARD_BASE_URL="https://fb.example")
def test_creating_a_link_shows_its_short_url_copy_button_and_qr(team, client_for, partnership):
    client = client_for(team.manager)
    response = client.post(
        reverse("partnership_links", args=[partnership.pk]),
        {"kind": "utm", "destination_url": "https://glow.example/serum?ref=x", "utm_source": "tiktok",
         "utm_medium": "influencer", "utm_campaign": "vitamin-c", "utm_content": "priya",
         "utm_term": ""},
    )
    assert response.status_code == 302
    link = TrackingLink.objects.get(partnership=partnership)
    html = client.get(reverse("partnership_links", args=[partnership.pk])).content.decode()
    assert f"https://fb.example/r/{link.slug}" in html
    assert f'data-copy-target="short-{link.pk}"' in html
    assert reverse("link_qr", args=[link.pk]) in html
    qr = client.get(reverse("link_qr", args=[link.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_an_unsafe_destination_is_refused_with_the_reason(team, client_for, partnership):
    response = client_for(team.manager).post(
        reverse("partnership_links", args=[partnership.pk]),
        {"kind": "utm", "destination_url": "https://brand.example@evil.example/"},
    )
    assert response.status_code == 400
    assert "user name or password" in response.content.decode()
    assert not TrackingLink.objects.exists()


def test_the_live_preview_merges_the_utm_parameters(team, client_for, partnership):
    response = client_for(team.viewer).get(
        reverse("link_preview", args=[partnership.pk]),
        {"destination_url": "https://glow.example/?a=1", "utm_source": "ig", "utm_campaign": "x y"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "https://glow.example/?a=1&amp;utm_source=ig&amp;utm_campaign=x%20y" in html
    assert "<html" not in html


def test_promo_codes_are_created_refused_when_taken_and_deleted(team, client_for, partnership):
    client = client_for(team.manager)
    url = reverse("promo_code_add", args=[partnership.pk])
    assert client.post(url, {"code": "PRIYA15"}).status_code == 302
    other = f.PartnershipFactory(campaign=partnership.campaign)
    taken = client.post(reverse("promo_code_add", args=[other.pk]), {"code": "priya15"})
    assert taken.status_code == 400 and "already used" in taken.content.decode()
    code = PromoCode.objects.get()
    assert client.post(reverse("promo_code_delete", args=[code.pk])).status_code == 302
    assert not PromoCode.objects.exists()


def test_viewer_sees_no_edit_controls(team, client_for, partnership):
    f.PromoCodeFactory(partnership=partnership, code="SEEME")
    f.TrackingLinkFactory(partnership=partnership)
    response = client_for(team.viewer).get(reverse("partnership_links", args=[partnership.pk]))
    html = response.content.decode()
    assert "SEEME" in html and "Copy" in html
    assert "Create short link" not in html and "Add promo code" not in html
    assert "Delete" not in html and "Remove" not in html
    assert client_for(team.viewer).post(
        reverse("promo_code_add", args=[partnership.pk]), {"code": "NOPE"}
    ).status_code == 403


def test_outsider_gets_404(outsider, client_for, partnership):
    link = f.TrackingLinkFactory(partnership=partnership)
    code = f.PromoCodeFactory(partnership=partnership)
    client = client_for(outsider)
    for url in (
        reverse("partnership_links", args=[partnership.pk]),
        reverse("link_preview", args=[partnership.pk]),
        reverse("link_qr", args=[link.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("promo_code_add", args=[partnership.pk]),
        reverse("promo_code_delete", args=[code.pk]),
        reverse("link_delete", args=[link.pk]),
    ):
        assert client.post(url, {"code": "X"}).status_code == 404


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
