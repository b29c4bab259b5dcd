"""Laying a campaign's report PDFs out before anyone asks for them.

WeasyPrint lays a 200-creator report out in about 2.5 s, and a PDF is kept under the hash of
its HTML (``reports.pdf.campaign_pdf``). After each recompute of an active campaign, a task
renders the PDFs its readers are about to ask for — each live share link's and the digest's
(costs hidden or shown, in the client's language) and the members' own views (with and
without the cost itemisation, in the organisation's language) — so the first request finds
them laid out. Their HTML holds the new numbers, so a PDF of old numbers is never served: a
reader whose HTML differs (another language, the day after) gets a fresh layout as before.

Debounced like the recompute (``metrics.scheduling``): the first recompute of a burst
schedules the task a little later, the task clears its key as it starts, and a recompute
landing while it runs schedules the next. Off in embedded mode (Celery runs tasks in the
request) unless ``FUNNELBOARD_PDF_PREWARM`` turns it on.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.branding import organization_branding
from accounts.l10n import organization_language
from accounts.models import Role
from accounts.selectors import Access
from campaigns.models import Campaign, CampaignStatus
from metrics.selectors.reports import campaign_report, client_report
from reports import pdf
from reports.models import DigestSchedule, ShareLink

logger = logging.getLogger(__name__)

PREWARM_DELAY_SECONDS = 30
# The member views that differ: with the cost itemisation (admins, owners) and without.
MEMBER_ROLES = (Role.OWNER, Role.VIEWER)


def pending_key(campaign_id: int) -> str:
    return f"report-pdf-prewarm-pending:{campaign_id}"


def schedule_pdf_prewarm(campaign_id: int) -> bool:
    """Ask for the campaign's PDFs to be laid out soon; False when off or already asked."""
    if not settings.FUNNELBOARD_PDF_PREWARM:
        return False
    if not cache.add(pending_key(campaign_id), 1, timeout=PREWARM_DELAY_SECONDS + 600):
        return False
    from reports.tasks import prewarm_report_pdfs

    transaction.on_commit(
        lambda: prewarm_report_pdfs.apply_async((campaign_id,), countdown=PREWARM_DELAY_SECONDS)
    )
    return True


def report_pdfs_prewarm(campaign_id: int) -> int:
    """Render the campaign's PDFs into the cache; returns how many were laid out anew."""
    cache.delete(pending_key(campaign_id))
    campaign = (
        Campaign.objects.select_related("brand__organization")
        .filter(pk=campaign_id, status=CampaignStatus.ACTIVE).first()
    )
    if campaign is None:
        return 0
    organization = campaign.brand.organization
    branding = organization_branding(organization)
    today = timezone.localdate(timezone=organization.tzinfo)
    rendered = 0
    with timezone.override(organization.tzinfo), organization_language(organization):
        for show_costs in sorted(_client_variants(campaign)):
            rendered += pdf.pdf_prewarm(
                client_report(campaign, show_costs=show_costs),
                show_costs=show_costs, branding=branding, today=today,
            )
        for role in MEMBER_ROLES:
            access = Access(organization=organization, role=role)
            rendered += pdf.pdf_prewarm(
                campaign_report(access, campaign.pk), show_costs=True, branding=branding,
                today=today,
            )
    logger.info("laid out %s report PDFs of campaign %s", rendered, campaign_id)
    return rendered


def _client_variants(campaign: Campaign) -> set[bool]:
    """``show_costs`` of the PDFs clients may open: each live share link's, and the digest's
    (costs hidden) when it has an active schedule."""
    now = timezone.now()
    variants = {
        link.show_costs
        for link in ShareLink.objects.filter(campaign=campaign, revoked_at__isnull=True)
        if link.is_live(now)
    }
    if DigestSchedule.objects.filter(campaign=campaign, is_active=True).exists():
        variants.add(False)
    return variants
