"""Report PDFs laid out after a recompute: the first reader of a share link's PDF, or of their
own, gets it without waiting for a layout — and never a PDF of numbers that changed since."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import CampaignStatus
from metrics.models import KpiScope, KpiSnapshot
from metrics.signals import kpis_recomputed
from reports import pdf, prewarm
from reports.models import DigestSchedule
from reports.services.share_links import share_link_issue
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report


@pytest.fixture
def campaign(team, settings):
    settings.FUNNELBOARD_PDF_PREWARM = True
    return campaign_with_report(
        brand=f.BrandFactory(organization=team.organization), partnerships=2, days=5,
        status=CampaignStatus.ACTIVE,
    )


def test_a_recompute_schedules_one_prewarm_that_serves_the_first_readers(
    campaign, team, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    _, token = share_link_issue(campaign=campaign, show_costs=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kpis_recomputed.send(sender=None, campaign_id=campaign.pk)
        kpis_recomputed.send(sender=None, campaign_id=campaign.pk)  # a burst: one task
    assert len(callbacks) == 1
    # The eager task ran: the client's PDF and the members' two views are laid out.
    assert prewarm.report_pdfs_prewarm(campaign.pk) == 0

    def refuse(html: str) -> bytes:
        raise AssertionError("laid out on request")

    monkeypatch.setattr(pdf, "render_pdf", refuse)
    shared = Client().get(reverse("shared_report_pdf", args=[token]))
    assert shared.status_code == 200 and shared.content.startswith(b"%PDF")
    own = client_for(team.owner).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")


def test_new_numbers_miss_the_cache(campaign, team, client_for, monkeypatch):
    assert prewarm.report_pdfs_prewarm(campaign.pk) == 2  # no link, no digest: members only
    total = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    total.data["awareness"]["impressions"] = 987_654_321
    total.save()
    laid_out = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html: laid_out.append(html) or real(html))
    response = client_for(team.owner).get(reverse("campaign_report_pdf", args=[campaign.pk]))
    assert response.status_code == 200 and len(laid_out) == 1
    assert "987,654,321" in laid_out[0] or "987.7M" in laid_out[0]


def test_only_active_campaigns_and_only_when_on(campaign, settings):
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    assert prewarm.report_pdfs_prewarm(campaign.pk) == 0
    settings.FUNNELBOARD_PDF_PREWARM = False
    assert prewarm.schedule_pdf_prewarm(campaign.pk) is False


def test_each_live_links_variant_and_the_digests(campaign):
    share_link_issue(campaign=campaign, show_costs=True)
    revoked, _ = share_link_issue(campaign=campaign, show_costs=False)
    revoked.revoked_at = revoked.created_at
    revoked.save()
    assert prewarm._client_variants(campaign) == {True}
    DigestSchedule.objects.create(campaign=campaign)
    assert prewarm._client_variants(campaign) == {True, False}
    # Four readers, three layouts: the link with costs reads what an owner reads.
    assert prewarm.report_pdfs_prewarm(campaign.pk) == 3
