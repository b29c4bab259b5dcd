"""The campaign report page's read: the campaign through the permission checkpoint, its KPI
documents as the reader may see them (one query, ``snapshots.report_documents``), its
partnerships, overlapping campaigns and the clearest comments of each sentiment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.selectors import Access
from campaigns.models import Campaign
from campaigns.selectors import (
    campaign_for,
    kpi_document_for,
    overlapping_campaigns,
    partnerships_of,
)
from metrics.models import Comment, KpiScope, Sentiment
from metrics.selectors import snapshots


@dataclass
class Report:
    campaign: Campaign
    total: dict[str, Any] | None
    computed_at: Any
    days: list[tuple[str, dict[str, Any]]]
    partnerships: list[dict[str, Any]]
    platforms: list[tuple[str, dict[str, Any]]]
    positive_comments: list[Comment] = field(default_factory=list)
    negative_comments: list[Comment] = field(default_factory=list)
    overlapping: list[Campaign] = field(default_factory=list)


def campaign_report(access: Access, pk: Any) -> Report:
    """Everything the report page shows, in a fixed number of queries whatever the campaign's
    size: the KPI snapshots come in one query. (Extracting only the fields the page reads in
    SQL was slower on PostgreSQL: each extracted path de-TOASTs the whole document again.)"""
    campaign = campaign_for(access, pk)
    return _report(campaign, lambda data, partnership: kpi_document_for(
        access, data, partnership=partnership
    ))


def client_report(campaign: Campaign, *, show_costs: bool) -> Report:
    """The report as a client reads it through a share link, a PDF or a digest: whole with
    ``show_costs``, otherwise without the ``roi`` group (costs, fees, ROI) or a target on it
    in any document.
    The caller has already decided the campaign may be shown (a live share link, a member)."""
    def shaped(data: dict[str, Any] | None, partnership: bool) -> dict[str, Any] | None:
        if data is None or show_costs:
            return data
        clean = {k: v for k, v in data.items() if k != "roi"}
        if data.get("targets"):  # a target on ROI or a cost per action says what was spent
            clean["targets"] = [
                t for t in data["targets"] if not str(t.get("metric", "")).startswith("roi.")
            ]
        return clean

    return _report(campaign, shaped)


def _report(
    campaign: Campaign,
    shaped: Callable[[dict[str, Any] | None, bool], dict[str, Any] | None],
) -> Report:
    total = None
    computed_at = None
    days: list[tuple[str, dict[str, Any]]] = []
    by_partnership: dict[str, dict[str, Any]] = {}
    platforms: list[tuple[str, dict[str, Any]]] = []
    for scope, key, data, snapshot_computed_at in snapshots.report_documents(campaign.pk):
        if scope == KpiScope.TOTAL:
            total, computed_at = shaped(data, False), snapshot_computed_at
        elif scope == KpiScope.DAY:
            days.append((key, shaped(data, False) or {}))
        elif scope == KpiScope.PARTNERSHIP:
            by_partnership[key] = shaped(data, True) or {}
        elif scope == KpiScope.PLATFORM:
            platforms.append((key, shaped(data, False) or {}))
    days.sort()
    platforms.sort()
    partnerships = [
        {"partnership": p, "doc": by_partnership.get(str(p.pk)) or {}}
        for p in partnerships_of(campaign)
    ]
    return Report(
        campaign=campaign,
        total=total,
        computed_at=computed_at,
        days=days,
        partnerships=partnerships,
        platforms=platforms,
        positive_comments=sample_comments(campaign, Sentiment.POSITIVE),
        negative_comments=sample_comments(campaign, Sentiment.NEGATIVE),
        overlapping=list(overlapping_campaigns(campaign)),
    )


def sample_comments(campaign: Campaign, sentiment: str, limit: int = 3) -> list[Comment]:
    """The clearest comments of one sentiment: highest compound score first for positive,
    lowest first for negative."""
    order = "-compound" if sentiment == Sentiment.POSITIVE else "compound"
    return list(
        Comment.objects.filter(post__partnership__campaign=campaign, sentiment=sentiment)
        .select_related("post")
        .order_by(order, "-posted_at")[:limit]
    )
