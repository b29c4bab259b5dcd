"""Content review in a real browser: a manager opens the campaign's review queue, opens a draft
whose caption lacks the #ad disclosure (the finding names the rule), requests changes with a
comment, then approves another creator's draft. A screenshot of the draft page is written to
``$FUNNELBOARD_SCREENSHOTS/review-draft.png`` when that variable is set."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_pages_browser import CHROMIUM, Console, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _photo() -> Any:
    """A small product photo (a PNG made here) as an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (255, 237, 213))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 70, 310, 250), fill=(234, 88, 12))
    draw.rectangle((215, 30, 265, 80), fill=(67, 56, 202))
    data = io.BytesIO()
    image.save(data, format="PNG")
    return SimpleUploadedFile("serum.png", data.getvalue(), content_type="image/png")


@pytest.fixture
def review(transactional_db: None) -> dict[str, Any]:
    """A campaign with a brief sent to two creators, each with a draft waiting for review:
    Priya's caption has no disclosure, Maya's passes."""
    from accounts.models import Role
    from accounts.selectors import Access
    from content.services.briefs import brief_send, brief_version_create
    from content.services.deliverables import deliverable_create
    from content.services.drafts import draft_submit
    from tests import factories

    f: Any = factories

    organization = f.OrganizationFactory(slug="review-browser", name="Glow Studio")
    user = f.UserFactory(username="review-manager")
    f.MembershipFactory(organization=organization, user=user, role=Role.MANAGER)
    access = Access(organization=organization, role=Role.MANAGER, user=user)
    brand = f.BrandFactory(organization=organization, name="Glow")
    campaign = f.CampaignFactory(brand=brand, name="Vitamin C launch")
    version = brief_version_create(
        access=access, campaign=campaign, goal="Sell the serum",
        required_hashtags=["#glowup"], required_mentions=[],
    )
    due = timezone.localdate() + dt.timedelta(days=7)
    drafts = {}
    for name, caption, media in (
        ("Priya Raman", "Morning routine with the Vitamin C serum ☀️ #glowup", _photo()),
        ("Maya Chen", "#ad My glow in three drops #glowup", None),
    ):
        influencer = f.InfluencerFactory(organization=organization, name=name)
        partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer)
        brief_send(access=access, version=version, partnerships=[partnership])
        deliverable = deliverable_create(
            access=access, partnership=partnership, platform="instagram", format="reel",
            quantity=1, due_date=due,
        )
        drafts[name] = draft_submit(
            access=access, deliverable=deliverable, caption=caption, media=media,
            link="" if media else "https://drive.example/maya-reel.mp4",
        )
    return {"user": user, "campaign": campaign, "drafts": drafts}


def test_a_manager_requests_changes_on_a_draft_missing_ad_then_approves_another(
    browser: Any, live_server: Any, review: dict[str, Any]
) -> None:
    from content.models import DraftStatus

    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    console = Console(page)
    sign_in(page, live_server, review["user"].username)
    campaign = review["campaign"]

    # The campaign report links to the review queue: two drafts wait.
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Review", exact=True).click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/review/")
    assert "2 drafts waiting for review" in page.locator("#pending-title").inner_text()
    priya_row = page.locator("tr", has_text="Priya Raman")
    assert "1 problem" in priya_row.inner_text()

    # Priya's draft: the photo, the caption, and the rule that failed.
    priya_row.get_by_role("link", name="Review").click()
    page.wait_for_url("**/drafts/*/")
    assert page.locator("h1").inner_text() == "Draft 1 by Priya Raman"
    finding = page.locator(".finding")
    assert finding.count() == 1
    assert "disclosure_missing" in finding.inner_text()
    assert "No disclosure" in finding.inner_text() and "#ad" in finding.inner_text()
    image = page.locator("img.draft-media")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 480
    folder = os.environ.get("FUNNELBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "review-draft.png"), full_page=True)

    # Changes need a comment: without one the form says so and nothing is decided.
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_selector(".field-invalid [role=alert]")
    assert "comment is required" in page.locator(".field-invalid").inner_text()
    page.fill("#changes_comment", "Put #ad at the very start of the caption, please.")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_selector(".message-success")
    assert "Changes requested on draft 1" in page.locator(".messages").inner_text()
    history = page.locator(".draft-history").inner_text()
    assert "Put #ad at the very start of the caption, please." in history
    assert page.get_by_role("button", name="Approve").count() == 0  # decided

    # Back to the queue: Maya's draft is left, and it passes the check.
    page.get_by_role("link", name="Review", exact=True).first.click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/review/")
    assert "1 draft waiting for review" in page.locator("#pending-title").inner_text()
    assert "Put #ad at the very start" in page.locator("#decided-title + .table-wrap").inner_text()
    page.locator("tr", has_text="Maya Chen").get_by_role("link", name="Review").click()
    page.wait_for_url("**/drafts/*/")
    assert page.locator(".finding").count() == 0
    assert "Passed" in page.locator("#check-title + p").inner_text()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector(".message-success")
    assert "Draft 1 approved" in page.locator(".messages").inner_text()
    assert "Approved" in page.locator(".page-head").inner_text()  # the deliverable's status

    drafts = review["drafts"]
    for draft in drafts.values():
        draft.refresh_from_db()
    assert drafts["Priya Raman"].status == DraftStatus.CHANGES_REQUESTED
    assert drafts["Maya Chen"].status == DraftStatus.APPROVED
    # The one error: the browser logs the 400 that answered the form without a comment.
    assert [e for e in console.errors if "/review/" not in e or "status of 400" not in e] == []
    assert len(console.errors) == 1
