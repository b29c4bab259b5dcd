"""The browser tests' fixtures: Debian's Chromium through Playwright, and a small computed
demo organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous code (only for these tests).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with pytest.importorskip("playwright.sync_api").sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db: None) -> dict[str, Any]:
    """A small demo-like organization: a BOFU campaign with creators, posts, metrics over two
    weeks, clicks, comments, a target, computed by the KPI engine."""
    from metrics.engine import kpis_recompute
    from tests import factories

    f: Any = factories

    organization = f.OrganizationFactory(slug="demo-browser", name="Demo Browser")
    user = f.UserFactory(username="browser-manager")
    f.MembershipFactory(organization=organization, user=user, role="owner")
    brand = f.BrandFactory(organization=organization, name="Glow", website="https://glow.example")
    today = dt.datetime.now(dt.UTC).date()
    campaign = f.CampaignFactory(
        brand=brand, name="Vitamin C launch", slug="vitamin-c",
        start_date=today - dt.timedelta(days=14), end_date=today + dt.timedelta(days=14),
    )
    f.KpiTargetFactory(campaign=campaign, metric="awareness.impressions", value=50_000)
    now = dt.datetime.now(dt.UTC)
    posts = []
    for i, name in enumerate(("Priya Raman", "Maya Chen", "Noah Williams")):
        influencer = f.InfluencerFactory(organization=organization, name=name)
        account = f.SocialAccountFactory(influencer=influencer, handle=f"creator{i}",
                                         followers=20_000 * (i + 1))
        partnership = f.PartnershipFactory(campaign=campaign, influencer=influencer)
        post = f.PostFactory(partnership=partnership, social_account=account,
                             published_at=now - dt.timedelta(days=13))
        posts.append(post)
        for day in range(13):
            f.PostMetricsFactory(
                post=post, captured_at=now - dt.timedelta(days=12 - day),
                impressions=1000 * (day + 1), reach=800 * (day + 1), likes=60 * (day + 1),
                comments=5 * (day + 1), shares=day, saves=day,
            )
        link = f.TrackingLinkFactory(partnership=partnership)
        for n in range(5):
            f.ClickFactory(link=link, occurred_at=now - dt.timedelta(days=n))
        f.CommentFactory(post=post, text="Love this, ordering now!", posted_at=now)
    kpis_recompute(campaign_id=campaign.pk)
    return {"campaign": campaign, "user": user, "partnership": posts[0].partnership,
            "post": posts[0]}
