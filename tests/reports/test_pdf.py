"""The campaign report as a PDF: it opens (poppler renders every page), holds the nine KPIs,
hides costs from whoever may not see them, opens through a live share link only, and loads
nothing from outside while it renders."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from metrics import registry
from metrics.models import KpiScope, KpiSnapshot
from metrics.selectors.reports import client_report
from reports import pdf
from reports.models import ShareLink, ShareLinkView
from reports.services.share_links import share_link_issue
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="needs poppler-utils (pdftoppm, pdftotext)",
)
KPI_TITLES = [group.title for group in registry.KPI_GROUPS]
COST_WORDS = re.compile(r"Return on investment|\bROI\b|\bCPA\b|Total cost|12,345\.00", re.I)


@pytest.fixture
def campaign(team):
    campaign = campaign_with_report(
        brand=f.BrandFactory(organization=team.organization), partnerships=3,
        name="Spring glow", slug="spring-glow", budget="12345.00",
    )
    # An ROI target far behind pace: the "What changed" sentence would name it first.
    total = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    total.data["targets"].append({"metric": "roi.roi", "target": "900", "actual": 40.0})
    total.save()
    return campaign


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text (pdftotext), after checking pdftoppm renders each of its pages."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True,
    ).stdout
    pages = text.count("\f")
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")],
        capture_output=True, check=True,
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert pages >= 3 and len(images) == pages
    assert all(image.stat().st_size > 0 for image in images)
    return " ".join(text.split())


def assert_pdf_response(response, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response.content.startswith(b"%PDF")
    return response.content


# --- Signed in --------------------------------------------------------------------------------
@needs_poppler
def test_the_signed_in_pdf_opens_and_holds_the_nine_kpis(team, client_for, campaign, tmp_path):
    response = client_for(team.owner).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    text = pdf_text(assert_pdf_response(response, "spring-glow-report.pdf"), tmp_path)
    lowered = text.lower()
    missing = [title for title in KPI_TITLES if title.lower() not in lowered]
    assert not missing and len(KPI_TITLES) == 9
    assert "Spring glow" in text and "Page 1 of" in text
    assert "What changed" in text and "Appendix: methodology" in text
    # The owner may see costs: the ROI card, the cost columns and the budget are there.
    assert "Return on investment" in text and "CPA" in text and "12,345.00 USD" in text


@needs_poppler
def test_a_viewer_s_pdf_is_what_the_page_shows_them(team, client_for, campaign, tmp_path):
    """Campaign-level ROI, as on the report page; no creator's cost values."""
    page = client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk]))
    creator_roi = [dict(row["cells"])["ROI"] for row in page.context["leaderboard"]]
    assert creator_roi == ["—"] * 3
    response = client_for(team.viewer).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    viewer = pdf_text(assert_pdf_response(response, "spring-glow-report.pdf"), tmp_path)
    owner_pdf = client_for(team.owner).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    (tmp_path / "owner").mkdir()
    owner = pdf_text(owner_pdf.content, tmp_path / "owner")
    assert "Return on investment" in viewer
    # 40.00% is the campaign's ROI (its card) and each creator's (the owner's leaderboard).
    assert viewer.count("40.00%") < owner.count("40.00%")


def test_another_organisation_s_campaign_is_404(outsider, client_for, campaign):
    url = reverse("campaign_report_pdf", args=[campaign.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(url.replace(str(campaign.pk), "999999")).status_code == 404
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page


def test_a_campaign_never_computed_still_gives_a_pdf(team, client_for):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization),
                                 name="Not yet", slug="not-yet")
    response = client_for(team.manager).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    assert_pdf_response(response, "not-yet-report.pdf")


# --- Share links ------------------------------------------------------------------------------
def _shared(token: str):
    return Client().get(reverse("shared_report_pdf", args=[token]))


@needs_poppler
def test_a_live_share_link_gives_the_pdf_and_counts_a_view(campaign, tmp_path):
    link, token = share_link_issue(campaign=campaign)
    response = _shared(token)
    text = pdf_text(assert_pdf_response(response, "spring-glow-report.pdf"), tmp_path)
    assert "Spring glow" in text and not COST_WORDS.search(text)
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert list(ShareLinkView.objects.filter(share_link=link).values_list("kind", flat=True)) \
        == [ShareLinkView.Kind.PDF]


@needs_poppler
def test_a_share_link_with_costs_shows_them(campaign, tmp_path):
    _, token = share_link_issue(campaign=campaign, show_costs=True)
    text = pdf_text(assert_pdf_response(_shared(token), "spring-glow-report.pdf"), tmp_path)
    assert "Return on investment" in text and "12,345.00 USD" in text


def test_revoked_expired_and_unknown_links_give_404(campaign):
    revoked, revoked_token = share_link_issue(campaign=campaign)
    ShareLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    expired, expired_token = share_link_issue(
        campaign=campaign, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    for token in (revoked_token, expired_token, "x" * 43, "short", "%00"):
        assert _shared(token).status_code == 404
    assert not ShareLinkView.objects.exists()


# --- Rendering: nothing loaded from outside, branding, escaping -------------------------------
@pytest.mark.parametrize("url", [
    "http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd",
    "/etc/passwd", "ftp://example.com/a", "DATA-not:really",
])
def test_the_url_fetcher_refuses_everything_but_data_uris(url):
    with pytest.raises(pdf.UrlRefused):
        pdf.data_only_fetcher(url)


def test_the_url_fetcher_reads_a_data_uri():
    response = pdf.data_only_fetcher("data:text/plain;base64,aGk=")
    assert response.read() == b"hi"


def test_weasyprint_gets_no_base_url_and_the_data_only_fetcher(campaign, monkeypatch):
    import weasyprint

    seen: dict[str, object] = {}

    class Spy:
        def __init__(self, **kwargs: object) -> None:
            seen.update(kwargs)

        def write_pdf(self) -> bytes:
            return b"%PDF-spy"

    monkeypatch.setattr(weasyprint, "HTML", Spy)
    assert pdf.campaign_pdf_for_client(campaign) == b"%PDF-spy"
    assert seen["base_url"] is None and seen["url_fetcher"] is pdf.data_only_fetcher
    assert "<script" not in str(seen["string"]).lower()


@needs_poppler
def test_branding_reaches_the_pdf_and_a_hostile_footer_stays_text(team, campaign, tmp_path):
    organization = team.organization
    organization.accent_color = "#0a7f5c"
    organization.report_footer = '"} </style><img src="file:///etc/hostname"> Acme & Co'
    organization.logo = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20">'
        b'<rect width="80" height="20" fill="#0a7f5c"/></svg>'
    )
    organization.logo_content_type = "image/svg+xml"
    organization.save()
    campaign.refresh_from_db()
    branding = pdf.organization_branding(campaign.brand.organization)
    report = client_report(campaign, show_costs=False)
    html = pdf.render_html(report, show_costs=False, branding=branding, today=dt.date(2026, 3, 20))
    assert "#0a7f5c" in html and "data:image/svg+xml;base64," in html
    assert "file:///etc/hostname" not in html.split("<body>")[0]  # escaped into the CSS string
    assert "tr, .kpi-card" in html or "tr { break-inside: avoid; }" in html
    text = pdf_text(pdf.campaign_pdf_for_client(campaign), tmp_path)
    # At the foot of every page, and once in the appendix's closing line.
    footer = '"} </style><img src="file:///etc/hostname"> Acme & Co'
    assert text.count(footer) == text.count("Page ") + 1


def test_the_css_string_escapes_every_special_character():
    assert pdf.css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c \\2f style\\3e "'
    assert pdf.css_string("Acme · 2026") == '"Acme \\b7  2026"'  # the space after survives
    assert pdf.css_string("") == '""'


def test_the_client_pdf_hides_costs_by_default(campaign):
    html = pdf.render_html(
        client_report(campaign, show_costs=False), show_costs=False,
        branding=pdf.organization_branding(campaign.brand.organization),
        today=dt.date(2026, 3, 20),
    )
    body = html.split("<body>")[1]
    assert not COST_WORDS.search(body), COST_WORDS.search(body)
    assert "Spring glow" in body


def test_the_same_report_is_laid_out_once_and_a_change_is_never_served_stale(
    campaign, monkeypatch
):
    import weasyprint

    layouts: list[str] = []

    class Spy:
        def __init__(self, *, string: str, **kwargs: object) -> None:
            self.string = string

        def write_pdf(self) -> bytes:
            layouts.append(self.string)
            return f"%PDF-{len(layouts)}".encode()

    monkeypatch.setattr(weasyprint, "HTML", Spy)
    first = pdf.campaign_pdf_for_client(campaign)
    assert pdf.campaign_pdf_for_client(campaign) == first and len(layouts) == 1
    total = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    total.data["awareness"]["impressions"] = 123456789
    total.save()
    changed = pdf.campaign_pdf_for_client(campaign)
    assert changed != first and len(layouts) == 2 and "123,456,789" in layouts[1]
    assert pdf.campaign_pdf_for_client(campaign, show_costs=True) not in (first, changed)
