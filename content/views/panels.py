"""What the campaign pages show of the workflow, read through the checkpoint: late deliverables
on the pipeline board and the dashboard, failed caption checks on the campaign report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery, Window

from accounts.selectors import Access, visible
from campaigns.models import Campaign
from content.models import Draft, PostCheck
from content.selectors import late_deliverables
from content.views.common import findings_shown

DASHBOARD_LATE = 12
REPORT_ROWS = 50


def late_counts(access: Access, campaign: Campaign) -> dict[int, int]:
    """Partnership id → how many of its deliverables are late."""
    rows = (
        late_deliverables(access).filter(partnership__campaign=campaign)
        .order_by().values("partnership_id").annotate(n=Count("id"))
    )
    return {row["partnership_id"]: row["n"] for row in rows}


def late_panel(access: Access) -> dict[str, Any]:
    """The dashboard's "Late deliverables": the oldest due first, and how many in all."""
    # One query: the count of all of them rides along each row (a window over the whole set).
    late = list(late_deliverables(access).annotate(total=Window(Count("id")))[:DASHBOARD_LATE])
    return {"late_deliverables": late, "late_total": late[0].total if late else 0}


def caption_failures(access: Access, campaign: Campaign) -> dict[str, Any]:
    """The campaign's live posts whose latest caption check failed, and each deliverable's
    latest draft whose caption failed, with the sentence of each rule."""
    checks = (
        visible(access, PostCheck)
        .filter(post__partnership__campaign=campaign, passed=False)
        .select_related("post__partnership__influencer")
        .order_by("-checked_at")[:REPORT_ROWS]
    )
    newest = Draft.objects.filter(deliverable=OuterRef("deliverable")).order_by("-number")
    drafts = (
        visible(access, Draft)
        .filter(deliverable__partnership__campaign=campaign, pk=Subquery(newest.values("pk")[:1]))
        .exclude(findings=[])
        .select_related("deliverable__partnership__influencer")
        .defer("media")
        .order_by("-submitted_at")[:REPORT_ROWS]
    )
    return {
        "failed_posts": [{"check": c, "findings": findings_shown(c.findings)} for c in checks],
        "failed_drafts": [{"draft": d, "findings": findings_shown(d.findings)} for d in drafts],
    }
