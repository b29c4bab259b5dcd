"""A campaign's report as a branded A4 PDF (WeasyPrint): the signed-in download, the share
link's and the digest's attachment all come from ``campaign_pdf``.

The page is ``templates/reports/pdf/report.html`` filled with ``report_context`` (the same
sections as the report page, so the PDF cannot disagree with it) plus the SVG charts of
``reports.charts``. Nothing is fetched while rendering: no base URL, and a URL fetcher that
answers only ``data:`` URIs (the logo), so a crafted value cannot make the server read a file
or call the network. WeasyPrint is imported inside the render, so the app starts on a machine
without Pango.
"""

from __future__ import annotations

import hashlib
from datetime import date
from html import escape
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.branding import organization_branding
from campaigns.models import Campaign
from metrics import registry
from metrics.display import compact
from metrics.report_context import report_context
from metrics.selectors.reports import Report, client_report
from reports import charts, narrative

TEMPLATE = "reports/pdf/report.html"
PDF_CACHE_SECONDS = 24 * 60 * 60


class UrlRefused(ValueError):
    """A URL the PDF may not load: anything but an inline ``data:`` URI."""


def data_only_fetcher(url: str) -> Any:
    """WeasyPrint's URL fetcher for reports: ``data:`` URIs only, never a file or the network."""
    if not str(url).lower().startswith("data:"):
        raise UrlRefused(f"The report loads nothing from outside: {str(url)[:80]}")
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False).fetch(url)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string for ``@page`` content: every character but letters,
    digits and spaces as a hex escape, so a footer cannot close the string or the style.
    Each escape ends with a space, which CSS consumes as its terminator (a space written
    right after an escape would otherwise be eaten)."""
    body = "".join(
        c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in text
    )
    return f'"{body}"'


def footer_line(branding: dict[str, Any]) -> str:
    """The foot of every page: the organisation's line, else who prepared the report."""
    organization = branding.get("organization")
    name = organization.name if organization is not None else ""
    if branding.get("footer"):
        return str(branding["footer"])
    return _("Prepared by %(organization)s") % {"organization": name} if name else ""


def filename(campaign: Campaign) -> str:
    return f"{slugify(campaign.slug or campaign.name) or 'campaign'}-report.pdf"


def chart_figures(chart: dict[str, Any], *, accent: str, currency: str) -> list[dict[str, Any]]:
    """One figure per daily series: its caption, last value and SVG."""
    days = chart.get("labels") or []
    figures = []
    for series in chart.get("series") or []:
        values = series.get("data") or []
        last = next((v for v in reversed(values) if v is not None), None)
        unit = f" ({currency})" if series.get("key") == "revenue" and currency else ""
        figures.append({
            "label": f"{series.get('label', '')}{unit}",
            "last": compact(last),
            "svg": mark_safe(  # noqa: S308 — charts escape every text they draw
                charts.line_chart(str(series.get("label", "")), days, values, accent=accent)
            ),
        })
    return figures


def leaderboard_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The creators' table rows for the PDF: ``report_context``'s rows with less markup than
    the page's (no data-label, no link). WeasyPrint's time grows with every box, and with 200
    creators this table is most of the PDF's cost. Every value is escaped."""
    out = []
    for row in rows:
        cells = "".join(f'<td class="num">{escape(value)}</td>' for _, value in row["cells"])
        handle = f' <span class="handle">{escape(row["handle"])}</span>' if row["handle"] else ""
        out.append(
            f'<tr><td>{escape(row["name"])}{handle}</td><td>{escape(row["status"])}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — built from escaped values only


def methodology(cards: list[Any]) -> list[dict[str, str]]:
    """The appendix's entries: each KPI the report shows, with its definition and formula."""
    groups = {g.name: g for g in registry.KPI_GROUPS}
    return [
        {"title": card.spec.title,
         "definition": first_sentence(registry.translated(groups[card.group].definition)),
         "formula": card.spec.formula}
        for card in sorted(cards, key=lambda c: list(groups).index(c.group))
    ]


def first_sentence(text: str) -> str:
    """A definition's opening sentence: the rest speaks of the API and stored documents."""
    head, dot, _rest = text.partition(". ")
    return f"{head}{dot.strip()}" if dot else text


def pdf_context(
    report: Report, *, show_costs: bool, branding: dict[str, Any], today: date,
) -> dict[str, Any]:
    context = report_context(report, show_costs=show_costs, link_creators=False)
    accent = charts.accent_color(str(branding.get("accent") or ""))
    currency = report.campaign.currency
    return {
        **context,
        **branding,
        "accent": accent,
        "accent_soft": charts.mix(accent, charts.WHITE, 0.9),
        "accent_ink": charts.ink_on(accent),
        "footer_css": css_string(footer_line(branding)),
        "today": today,
        "what_changed": narrative.what_changed(report, today=today),
        "headline_cards": [card for card in context["cards"] if card.headline],
        "figures": chart_figures(context["chart"], accent=accent, currency=currency),
        "funnel_svg": mark_safe(  # noqa: S308 — escaped by reports.charts
            charts.funnel_chart(context["funnel"], accent=accent)
        ),
        "sentiment_svg": mark_safe(  # noqa: S308 — escaped by reports.charts
            charts.sentiment_bar(context["sentiment_split"])
        ),
        "methodology": methodology(context["cards"]),
        "leaderboard_rows": leaderboard_rows(context["leaderboard"]),
    }


def render_html(
    report: Report, *, show_costs: bool, branding: dict[str, Any], today: date,
) -> str:
    """The PDF's HTML, with dates and times in the organisation's time zone."""
    organization = branding.get("organization")
    zone = organization.tzinfo if organization is not None else timezone.get_current_timezone()
    with timezone.override(zone):
        return render_to_string(
            TEMPLATE, pdf_context(report, show_costs=show_costs, branding=branding, today=today)
        )


def campaign_pdf(
    report: Report, *, show_costs: bool, branding: dict[str, Any], today: date,
) -> bytes:
    """The report as PDF bytes. ``show_costs`` False leaves out the ROI card, the cost
    columns, the budget and cost targets (the documents already come without ``roi``)."""
    html = render_html(report, show_costs=show_costs, branding=branding, today=today)
    key = cache_key(html)
    content = cache.get(key)
    if content is None:
        content = render_pdf(html)
        cache.set(key, content, PDF_CACHE_SECONDS)
    return bytes(content)


def pdf_prewarm(
    report: Report, *, show_costs: bool, branding: dict[str, Any], today: date,
) -> int:
    """Lay the PDF ``campaign_pdf`` would answer out into the cache (``reports.prewarm``);
    1 when it was laid out now, 0 when the cache already held it."""
    html = render_html(report, show_costs=show_costs, branding=branding, today=today)
    key = cache_key(html)
    if cache.has_key(key):
        return 0
    cache.set(key, render_pdf(html), PDF_CACHE_SECONDS)
    return 1


def cache_key(html: str) -> str:
    """Laying the HTML out takes seconds, rendering it a fraction of that: the same HTML makes
    the same PDF, so a PDF is kept under its HTML's hash. A share link opened again, a digest
    to many recipients or a reload cost no second layout, and any change in numbers, names,
    branding or the reader's rights changes the HTML, so a stale PDF cannot be read."""
    return f"report-pdf:{hashlib.sha256(html.encode()).hexdigest()}"


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=None, url_fetcher=data_only_fetcher)
    return bytes(document.write_pdf())


def campaign_pdf_for_client(campaign: Campaign, *, show_costs: bool = False) -> bytes:
    """The PDF a client receives (the digest's attachment): the client's report, the
    organisation's branding, "today" in the organisation's time zone."""
    organization = campaign.brand.organization
    return campaign_pdf(
        client_report(campaign, show_costs=show_costs),
        show_costs=show_costs,
        branding=organization_branding(organization),
        today=timezone.localdate(timezone=organization.tzinfo),
    )
