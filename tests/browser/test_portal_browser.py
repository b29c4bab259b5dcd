"""The creator portal in a real browser: a creator signs in and lands on the portal, opens their
partnership, reads the brief they were sent, submits a draft with a caption and a photo, and
sees it waiting for review — without a console error (CSP violations included). The partnership
page is saved as ``creator-portal.png`` in ``FUNNELBOARD_SCREENSHOTS`` when that is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_pages_browser import CHROMIUM, Console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def creator(transactional_db: None) -> dict[str, Any]:
    """Priya, a creator of Glow's campaign: a brief sent to her, two deliverables, her code and
    link, KPIs computed by the engine; Maya works on the same campaign."""
    from accounts.models import Role
    from content.models import Brief, BriefAttachment, BriefSend, BriefVersion, Deliverable
    from metrics.engine import kpis_recompute
    from payouts.models import PayoutLine
    from tests import factories

    f: Any = factories
    organization = f.OrganizationFactory(slug="glow-studio", name="Glow Studio")
    f.MembershipFactory(organization=organization, role="owner",
                        user=f.UserFactory(username="glow-owner"))
    brand = f.BrandFactory(organization=organization, name="Glow")
    today = dt.datetime.now(dt.UTC).date()
    campaign = f.CampaignFactory(
        brand=brand, name="Vitamin C launch", slug="vitamin-c",
        start_date=today - dt.timedelta(days=7), end_date=today + dt.timedelta(days=21),
    )
    partnerships = {}
    for name, username in (("Priya Raman", "priya"), ("Maya Chen", "maya")):
        influencer = f.InfluencerFactory(organization=organization, name=name)
        user = f.UserFactory(username=username)
        f.MembershipFactory(organization=organization, user=user, role=Role.CREATOR,
                            influencer=influencer)
        partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer,
                                           status="contracted")
        post = f.PostFactory(partnership=partnership, published_at=dt.datetime.now(dt.UTC))
        f.PostMetricsFactory(post=post, captured_at=dt.datetime.now(dt.UTC),
                             impressions=18_400, reach=12_900, likes=910, comments=64)
        link = f.TrackingLinkFactory(partnership=partnership)
        for n in range(4):
            f.ClickFactory(link=link, occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=n))
        f.PromoCodeFactory(partnership=partnership, code=f"{username.upper()}15")
        partnerships[username] = (user, partnership)
    brief = Brief.objects.create(campaign=campaign)
    version = BriefVersion.objects.create(
        brief=brief, number=1, goal="Drive first orders of the Vitamin C serum.",
        key_messages="Brightens in two weeks.\nFragrance-free.",
        dos="Show the texture on skin.", donts="No before/after filters.",
        disclosure_tags=["#ad"], required_hashtags=["#glowup"], required_mentions=["@glow"],
        links_and_codes="Use your code in the caption and your link in the bio.",
    )
    BriefAttachment.objects.create(version=version, name="moodboard.pdf",
                                   content_type="application/pdf", size=9, data=b"%PDF-1.4\n")
    priya, partnership = partnerships["priya"]
    BriefSend.objects.create(partnership=partnership, version=version)
    deliverable = Deliverable.objects.create(
        partnership=partnership, platform="instagram", format="reel",
        due_date=today + dt.timedelta(days=4), fee_share="300.00",
    )
    Deliverable.objects.create(partnership=partnership, platform="tiktok", format="video",
                               due_date=today - dt.timedelta(days=1), fee_share="200.00")
    PayoutLine.objects.create(
        partnership=partnership, kind="product", description="Vitamin C serum kit",
        amount="45.00", currency="USD", status="paid", paid_on=today, method="product",
    )
    kpis_recompute(campaign_id=campaign.pk)
    return {"user": priya, "partnership": partnership, "deliverable": deliverable}


def test_a_creator_reads_the_brief_and_submits_a_draft(
    browser: Any, live_server: Any, creator: dict[str, Any]
) -> None:
    from content.models import Draft
    from tests.factories import PASSWORD

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console = Console(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", creator["user"].username)
    page.fill("#id_password", PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert page.locator("h1").inner_text() == "Your partnerships"
    nav = page.locator("nav.mainnav").inner_text()
    assert "Your partnerships" in nav and "Campaigns" not in nav
    assert page.locator("#due-list .late").count() == 1

    # Her partnership: the brief she was sent, her code and link, her results.
    page.click("table a >> text=Vitamin C launch")
    page.wait_for_url(f"{live_server.url}/portal/partnerships/{creator['partnership'].pk}/")
    brief = page.locator("#brief").inner_text()
    assert "Drive first orders of the Vitamin C serum." in brief
    assert "#glowup" in brief and "moodboard.pdf" in brief
    assert "PRIYA15" in page.locator("#codes").inner_text()
    assert "MAYA15" not in page.content() and "Maya Chen" not in page.content()
    page.wait_for_selector("#links img[alt^='QR code']")
    assert page.evaluate(
        "document.querySelector('#links img').naturalWidth"
    ) > 0
    assert "18,400" in page.locator("#kpis").inner_text()
    assert "Vitamin C serum kit" in page.locator("#earnings").inner_text()
    folder = os.environ.get("FUNNELBOARD_SCREENSHOTS")  # the docs' screenshot, on request
    if folder:
        page.screenshot(path=str(Path(folder) / "creator-portal.png"), full_page=True)

    # A draft: the caption and a photo, sent for review.
    page.click(f"a[href='/portal/deliverables/{creator['deliverable'].pk}/']")
    page.fill("#id_caption", "#ad My morning glow with @glow's Vitamin C serum #glowup")
    page.set_input_files("#id_media", files=[
        {"name": "take-1.png", "mimeType": "image/png", "buffer": PNG},
    ])
    page.click("button >> text=Send for review")
    page.wait_for_selector(".message >> text=Draft 1 sent for review.")
    history = page.locator("#history").inner_text()
    assert "Waiting for review" in history and "The caption passed the check." in history
    assert page.locator("#deliverable-status").inner_text() == "Draft submitted"
    draft = Draft.objects.get(deliverable=creator["deliverable"])
    assert draft.submitted_by == creator["user"] and draft.media_name == "take-1.png"

    # Back home, the draft waits for review.
    page.click("nav.mainnav >> text=Your partnerships")
    assert "Waiting for review" in page.locator("#draft-list").inner_text()
    assert console.errors == []
    context.close()
