"""Report branding: a logo is a PNG or a drawing-only SVG (anything that could run or fetch is
refused with the reason), the accent colour is #rrggbb, and both reach the share page."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.branding import MAX_LOGO_BYTES, LogoError, logo_content_type, logo_data_uri
from accounts.models import AuditEntry, Organization
from reports.services.share_links import share_link_issue
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report

# A real 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Acme</title>'
       b'<rect width="10" height="10" fill="#4f46e5"/><path d="M0 0L10 10" stroke="#fff"/></svg>')


def test_a_png_and_a_drawing_only_svg_are_accepted() -> None:
    assert logo_content_type(PNG) == "image/png"
    assert logo_content_type(SVG) == "image/svg+xml"
    assert logo_data_uri(PNG, "image/png").startswith("data:image/png;base64,iVBOR")
    assert logo_data_uri(None, "") == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a....", "PNG or an SVG"),
        (PNG + b"0" * MAX_LOGO_BYTES, "larger than"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
         "foreignObject"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
         b'<use x:href="https://evil.example/a.svg#b"/></svg>', "own parts"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/>'
         b'</svg>', "<image>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.example/)"/>'
         b'</svg>', "style"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/'
         b'2000/svg">&x;</svg>', "DOCTYPE"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "could not be read"),
        (b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>', "root element"),
    ],
)
def test_anything_that_could_run_or_fetch_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(LogoError, match=reason):
        logo_content_type(data)


def _settings_post(client, organization: Organization, **extra):
    data = {
        "name": organization.name, "time_zone": organization.time_zone,
        "accent_color": "#0a7d5a", "report_footer": "Acme Agency · hello@acme.example",
        **extra,
    }
    return client.post(reverse("accounts:settings"), data)


def test_an_owner_sets_the_branding_and_the_share_page_shows_it(team, client_for):
    client = client_for(team.owner)
    response = _settings_post(
        client, team.organization, logo=SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
    )
    assert response.status_code == 302
    organization = Organization.objects.get(pk=team.organization.pk)
    assert organization.accent_color == "#0a7d5a"
    assert bytes(organization.logo) == SVG and organization.logo_content_type == "image/svg+xml"
    assert AuditEntry.objects.filter(action="organization.updated").count() == 2
    campaign = campaign_with_report(brand=f.BrandFactory(organization=organization))
    _, token = share_link_issue(campaign=campaign)
    html = Client().get(reverse("shared_report", args=[token])).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Acme Agency · hello@acme.example" in html


def test_a_refused_logo_or_colour_is_a_form_error_and_changes_nothing(team, client_for):
    client = client_for(team.owner)
    bad = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = _settings_post(
        client, team.organization, logo=SimpleUploadedFile("x.svg", bad, "image/svg+xml"),
    )
    assert response.status_code == 400
    assert "<script>" in response.context["form"].errors["logo"][0]
    response = _settings_post(client, team.organization, accent_color="red")
    assert response.status_code == 400 and "accent_color" in response.context["form"].errors
    organization = Organization.objects.get(pk=team.organization.pk)
    assert organization.logo is None and organization.accent_color == "#4f46e5"


def test_the_logo_can_be_removed_and_only_owners_brand(team, client_for):
    client = client_for(team.owner)
    _settings_post(client, team.organization,
                   logo=SimpleUploadedFile("l.png", PNG, "image/png"))
    assert Organization.objects.get(pk=team.organization.pk).logo_content_type == "image/png"
    _settings_post(client, team.organization, remove_logo="on")
    assert Organization.objects.get(pk=team.organization.pk).logo is None
    assert _settings_post(client_for(team.admin), team.organization).status_code in (403, 404)
