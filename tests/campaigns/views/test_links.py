"""Links and codes per partnership (campaigns/views/links.py): the UTM builder, short links and
their QR codes, promo codes."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from campaigns.models import PromoCode, TrackingLink
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
