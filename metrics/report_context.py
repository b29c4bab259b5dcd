"""What a campaign report shows, built once for every form of it: the signed-in report page,
a client's share page and the PDF. Each reads the KPI snapshots through a ``Report``; nothing
here queries beyond the creators' prefetched accounts.

``show_costs=False`` (a share link made without costs) drops the ROI card, the cost columns
of the leaderboard and the budget; the documents themselves arrive without their ``roi``
group (``metrics.selectors.reports.client_report``)."""

from __future__ import annotations

from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from campaigns.models import PartnershipStatus
from metrics import display, display_report, registry
from metrics.selectors.comment_labels import label_counts
from metrics.selectors.reports import Report

COST_GROUP = "roi"


def leaderboard_columns(*, show_costs: bool) -> dict[str, tuple[str, str, str]]:
    return {
        key: column for key, column in display_report.LEADERBOARD_COLUMNS.items()
        if show_costs or not column[1].startswith(f"{COST_GROUP}.")
    }


def leaderboard(report: Report, sort: str, direction: str, *, show_costs: bool = True
                ) -> list[dict[str, Any]]:
    rows = []
    currency = report.campaign.currency
    columns = leaderboard_columns(show_costs=show_costs)
    # Labels translated once per page, not once per creator (200 creators × 9 columns).
    cells = list(columns.values())
    statuses = {value: str(label) for value, label in PartnershipStatus.choices}
    for item in report.partnerships:
        partnership = item["partnership"]
        accounts = list(partnership.influencer.social_accounts.all())
        doc = item["doc"]
        rows.append(
            {
                "partnership": partnership,
                "name": partnership.influencer.name,
                "handle": f"@{accounts[0].handle}" if accounts else "",
                "status": statuses.get(partnership.status, partnership.status),
                "doc": doc,
                "cells": [
                    (label, display_report.leaderboard_cell(doc, path, kind, currency))
                    for label, path, kind in cells
                ],
            }
        )
    if sort not in columns:
        sort = "emv"
    descending = None if direction not in ("asc", "desc") else direction == "desc"
    return display_report.sort_rows(rows, sort, descending)  # type: ignore[return-value]


def leaderboard_rows_html(rows: list[dict[str, Any]], *, link_creators: bool = True
                          ) -> SafeString:
    """The leaderboard's table rows, built in Python: with 200 creators the template engine
    spends most of the page's time on these few thousand cells. Every value is escaped.
    ``link_creators=False`` (share page, PDF) names creators without linking to their pages."""
    base = reverse("influencers:detail", args=[0]).removesuffix("0/")
    creator_label, status_label = escape(_("Creator")), escape(_("Status"))
    out = []
    for row in rows:
        cells = "".join(
            f'<td class="num" data-label="{escape(label)}">{escape(value)}</td>'
            for label, value in row["cells"]
        )
        # <bdi>: a handle stays left to right inside right-to-left text.
        handle = (f' <bdi class="muted small">{escape(row["handle"])}</bdi>'
                  if row["handle"] else "")
        name = escape(row["name"])
        if link_creators:
            name = f'<a href="{base}{row["partnership"].influencer_id}/">{name}</a>'
        out.append(
            f'<tr><td data-label="{creator_label}">{name}{handle}</td>'
            f'<td data-label="{status_label}">{escape(row["status"])}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — built from escaped values only


def sort_links(sort: str, direction: str, *, show_costs: bool = True) -> list[dict[str, Any]]:
    links = []
    for key, (label, _path, _kind) in leaderboard_columns(show_costs=show_costs).items():
        default_desc = key not in display_report.ASCENDING_BY_DEFAULT
        current_desc = (direction == "desc") if direction in ("asc", "desc") else default_desc
        active = key == sort
        next_desc = (not current_desc) if active else default_desc
        links.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "aria_sort": ("descending" if current_desc else "ascending") if active else "none",
                "query": f"?sort={key}&dir={'desc' if next_desc else 'asc'}",
            }
        )
    return links


def platform_rows(report: Report) -> list[dict[str, Any]]:
    currency = report.campaign.currency
    columns = [(path, registry.kind(path)) for path in registry.PLATFORM_COLUMNS]
    return [
        {
            "platform": key,
            "cells": [
                display.format_value(registry.value_at(doc, path), kind, currency)
                for path, kind in columns
            ],
        }
        for key, doc in report.platforms
    ]


def sentiment_split(sentiment: dict[str, Any]) -> list[dict[str, Any]]:
    names = [(n, registry.label(f"sentiment.{n}")) for n in ("positive", "neutral", "negative")]
    counts = [int(display.number(sentiment.get(name)) or 0) for name, _ in names]
    total = sum(counts)
    return [
        {
            "name": name, "label": label, "count": count, "x": x, "width": width,
            "share": f"{count / total * 100:.0f}%" if total else "—",
        }
        for (name, label), count, (x, width) in zip(
            names, counts, display_report.segments(counts), strict=True
        )
    ]


def report_context(
    report: Report, *, sort: str = "emv", direction: str = "", show_costs: bool = True,
    link_creators: bool = True,
) -> dict[str, Any]:
    """The sections every form of the report shows."""
    doc = report.total
    day_docs = [d for _, d in report.days]
    if sort not in leaderboard_columns(show_costs=show_costs):
        sort = "emv"
    sentiment = (doc or {}).get("sentiment") or {}
    funnel = display_report.funnel(doc)
    rows = leaderboard(report, sort, direction, show_costs=show_costs)
    cards = display.kpi_cards(doc, day_docs)
    if not show_costs:
        cards = [card for card in cards if card.spec.group != COST_GROUP]
    return {
        "campaign": report.campaign,
        "report": report,
        "doc": doc,
        "cards": cards,
        "chart": display_report.chart_data(report.days),
        "has_days": bool(report.days),
        "funnel": funnel,
        "funnel_height": len(funnel) * 56,
        "beside_funnel": display_report.beside_funnel(doc),
        "leaderboard": rows,
        "leaderboard_html": leaderboard_rows_html(rows, link_creators=link_creators),
        "sort_links": sort_links(sort, direction, show_costs=show_costs),
        "platforms": platform_rows(report),
        "rates": display_report.rates_used(doc),
        "insights": display_report.insights(doc, day_docs),
        "sentiment_split": sentiment_split(sentiment),
        "sentiment_total": int(display.number(sentiment.get("total")) or 0),
        "label_counts": label_counts(report.campaign),
        "show_costs": show_costs,
    }
