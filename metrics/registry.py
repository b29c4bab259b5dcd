"""The KPI registry: every group and field of the KPI document, once (no ORM: of Django only
the translation helpers, ``gettext*`` and ``format_lazy``, to mark and translate its texts).

The engine (``metrics.kpi_document``) writes documents with these names; the report cards,
funnel, charts, leaderboard, admin, API description, CSV exports, KPI targets, creator pages,
the methodology page (``/help/kpis/``) and ``docs/kpis.md`` all read them from here, and read
a value at a ``group.field`` path with ``value_at``. A name used
anywhere else must resolve here — ``tests/metrics/test_registry.py`` walks the engine's
document and every presentation list to prove it. The groups and fields themselves are data in
``metrics.kpi_groups``; this module is how everything else reads them.

Kinds say how a value reads: a count, a percentage, a ratio (a multiple, ×) or money in the
campaign currency. Values a platform did not report are ``None`` and read as "—".

The groups, fields and the lists below hold the English texts: names compared or used as keys,
CSV/XLSX/API values. A page shows them in the active language: ``label()``, ``metric_label()``
and ``translated()`` return translated ``str``s, ``target_label()`` a lazy one (model choices).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _

from metrics.kpi_groups import (
    COUNT,
    GROUPS,
    KINDS,
    MAPPING,
    MONEY,
    MULTIPLE,
    PERCENT,
    RATIO,
    RECORDS,
    STAGES,
    VALUE,
    Field,
    Group,
)

__all__ = [
    "COUNT", "GROUPS", "KINDS", "MAPPING", "MONEY", "MULTIPLE", "PERCENT", "RATIO", "RECORDS",
    "STAGES", "VALUE", "Field", "Group",
]

GROUP_BY_NAME: dict[str, Group] = {g.name: g for g in GROUPS}
# The nine KPIs in their documented order (the coverage block is not one of them).
KPI_GROUPS: tuple[Group, ...] = tuple(g for g in GROUPS if g.kpi)
KPI_GROUP_NAMES: tuple[str, ...] = tuple(g.name for g in KPI_GROUPS)

# The texts of ``metrics.kpi_groups`` (titles, labels, definitions, formulas, reasons above 100%),
# marked here for ``makemessages``; acronyms (CTR, ROI, CPA…) stay as they are. Pages translate
# them when shown (``translated``); the data keeps the English.
_KPI_GROUP_TEXTS = (
    _("Brand awareness"), _("How many times the campaign's posts were seen."),
    _("Σ impressions over the posts (views where a platform reports no impressions)"),
    _("Impressions"),
    _("Times the posts were displayed; a post without impressions counts its views."),
    _("Σ impressions (or views) of each post's latest metrics"), _("Reach"),
    _("Accounts that saw a post, summed over the posts."), _("Σ reach"), _("Video views"),
    _("Video plays reported by the platforms."), _("Σ views"), _("Engagement rate"),
    _("How strongly the people reached interacted with the posts."),
    _("(likes + comments + shares + saves) ÷ reach × 100, over posts that report reach"),
    _("Engagement"), _("Likes"), _("Likes on the posts."), _("Σ likes"), _("Comments"),
    _("Comments on the posts."), _("Σ comments"), _("Shares"), _("Shares of the posts."),
    _("Σ shares"), _("Saves"), _("Saves of the posts."), _("Σ saves"), _("Engagements"),
    _("All interactions with the posts."), _("likes + comments + shares + saves"), _("Mentions"),
    _("Mentions of the brand reported for the posts."), _("Σ mentions"),
    _("Interactions per person reached."),
    _("engagements ÷ reach × 100, both over the posts that report reach"),
    _("One person reached can like, comment, share and save, so interactions can outnumber the "
      "people reached."),
    _("Rate by followers"),
    _("Interactions per follower of the posting account; the creators list and profile show "
      "this rate."),
    _("engagements ÷ followers × 100 over posts whose account's follower count at publication "
      "is known (the latest follower snapshot on or before that day, else the account's count)"),
    _("Conversions"), _("Sales, demos and trials the campaign brought."),
    _("Counted sales, demos and trials; conversion rate = link and UTM conversions ÷ unique "
      "clicks × 100 (promo-code and manual conversions need no click and stay out of the rate)"),
    _("Conversion"),
    _("Sales, demos and trials attributed to the campaign, without refunded ones."),
    _("Σ counted conversions by promo code, link, UTM and manual assignment"), _("Revenue"),
    _("Net revenue of the counted conversions in the campaign currency."),
    _("Σ net amount of counted conversions"), _("Link & UTM conversions"),
    _("Conversions that followed a click on a tracking link or arrived with the campaign's UTM "
      "tags: the ones the funnel follows from clicks."),
    _("conversions by link + conversions by UTM"), _("Conversion rate"),
    _("Share of unique clicks that converted, counting only link and UTM conversions."),
    _("link and UTM conversions ÷ unique clicks × 100"),
    _("UTM-tagged visits convert without a click on a tracking link, so link and UTM "
      "conversions can outnumber unique clicks."),
    _("Conversions by source"), _("The conversions split by how they were attributed."),
    _("Excluded (other currency)"),
    _("Conversions left out of revenue because no exchange rate was known."), _("Audience growth"),
    _("How the brand's own follower count grew during the campaign."),
    _("Brand followers at the end − at the start; growth rate = gained ÷ start × 100"),
    _("Followers at start"), _("Brand followers on the campaign's first day."),
    _("Followers at end"), _("Brand followers on the campaign's last day (or today)."),
    _("Followers gained"), _("Followers the brand gained over the campaign."),
    _("followers at end − at start"), _("Growth rate"), _("Follower growth relative to the start."),
    _("followers gained ÷ followers at start × 100"),
    _("The brand more than doubled its followers during the campaign."), _("Leads"),
    _("Sign-ups, downloads, registrations and leads attributed to the campaign."),
    _("Σ lead events"), _("Overlapping campaigns"),
    _("Other campaigns of the brand running at the same time (growth is brand-wide)."),
    _("Click-through rate"), _("How often a post's audience clicked the campaign's links."),
    _("Clicks on the campaign's links ÷ impressions × 100"), _("Clicks"),
    _("Human clicks on the campaign's tracking links."), _("Σ clicks (bots excluded)"),
    _("Unique clicks"), _("Human clicks counted once per visitor within about a day (25 hours)."),
    _("The impressions the rate is taken over."), _("as awareness.impressions"),
    _("Clicks per hundred impressions."), _("clicks ÷ impressions × 100"),
    _("Clicks count every click on the links, wherever the link was seen (shared, bookmarked, "
      "in a bio), not only from the counted impressions."),
    _("Traffic"), _("Visits to the brand's site that came from the campaign."),
    _("Site visits attributed to the campaign; visit conversion = link and UTM conversions ÷ "
      "visits × 100"),
    _("Visits"), _("Site visits recorded by the pixel for the campaign."), _("Σ visits"),
    _("Unique visitors"), _("Distinct visitors among them."), _("Visit conversion"),
    _("Share of visits that converted."), _("link and UTM conversions ÷ visits × 100"),
    _("A conversion reported by the shop or the API needs no visit recorded by the pixel, so "
      "conversions can outnumber visits."),
    _("Earned media value"),
    _("What the campaign's reach and engagement would have cost as paid media."),
    _("Σ posts Σ metric reported value × rate (platform, metric); exposures per 1,000"),
    _("The value of all posts at the rate card."),
    _("Σ value × rate; impressions, reach and views priced per 1,000"), _("EMV by platform"),
    _("The value split by platform."), _("Rates used"),
    _("The rate card applied: platform, metric, value and where the rate came from."),
    _("Return on investment"),
    _("What the campaign returned for what it cost. A campaign with costs and no revenue "
      "(sign-ups and leads carry none) keeps its ROI of −100 in the document and the API; the "
      'report shows it as "no revenue tracked" and points to the cost per lead.'),
    _("(revenue − total cost) ÷ total cost × 100; ROAS = revenue ÷ total cost; CPL = total "
      "cost ÷ leads"),
    _("As conversion.revenue."), _("as conversion.revenue"), _("Total cost"),
    _("Fees, products, commissions and every other cost of the campaign."), _("Σ costs"),
    _("Cost breakdown"), _("The total cost by category."),
    _("Profit per hundred spent; null without costs, −100 with costs and no revenue (shown as "
      '"no revenue tracked" on the report).'),
    _("(revenue − total cost) ÷ total cost × 100"), _("Revenue per unit spent."),
    _("revenue ÷ total cost"), _("Cost per thousand impressions."),
    _("total cost ÷ impressions × 1,000"), _("Cost per engagement."), _("total cost ÷ engagements"),
    _("Cost per click."), _("total cost ÷ clicks"), _("Cost per conversion."),
    _("total cost ÷ conversions"),
    _("Cost per lead: what one sign-up, download, registration or lead cost; null without leads."),
    _("total cost ÷ audience_growth.leads"), _("Brand sentiment"),
    _("Whether the comments on the posts speak well of the brand."),
    _("(positive − negative comments) ÷ all comments × 100 (VADER compound ±0.05)"), _("Sentiment"),
    _("Positive"),
    _("Comments labelled positive: VADER compound ≥ 0.05, unless a manager corrected the label "
      "(a correction wins and survives recomputes; VADER misreads some negations)."),
    _("Neutral"), _("Comments labelled neutral (same rule)."), _("Negative"),
    _("Comments labelled negative: VADER compound ≤ −0.05, unless corrected."),
    _("All scored comments."), _("Not read"),
    _("Comments in a language the sentiment model does not read (it reads English): in no label "
      "and not in the net sentiment, until a manager labels them."),
    _("Net sentiment"),
    _("Positive minus negative share of the comments."),
    _("(positive − negative) ÷ all comments × 100"), _("Coverage"),
    _("How many posts fed the numbers, and how many reported each counter."),
    _("posts counted; for each counter, the posts that report it"), _("Posts"),
    _("Posts with at least one metrics snapshot."), _("Posts reporting impressions"),
    _("Posts whose platform reports impressions."), _("Posts reporting reach"),
    _("Posts whose platform reports reach."), _("Posts reporting views"),
    _("Posts whose platform reports views."), _("Posts reporting likes"),
    _("Posts whose platform reports likes."), _("Posts reporting comments"),
    _("Posts whose platform reports comments."), _("Posts reporting shares"),
    _("Posts whose platform reports shares."), _("Posts reporting saves"),
    _("Posts whose platform reports saves."), _("Posts reporting mentions"),
    _("Posts whose platform reports mentions."), _("Posts reporting link clicks"),
    _("Posts whose platform reports link clicks."), _("Impressions counted by views"),
    _("Posts whose impressions were taken from their views."),
)


def translated(text: str) -> str:
    """A text of the registry (title, label, definition, formula…) in the active language."""
    return gettext(text) if text else text


# Human names of the platform counters (post metrics, EMV rate card, coverage), never the raw
# keys like ``link_clicks``.
COUNTER_LABELS: dict[str, Any] = {
    "impressions": _("Impressions"), "reach": _("Reach"), "views": _("Views"),
    "likes": _("Likes"), "comments": _("Comments"), "shares": _("Shares"), "saves": _("Saves"),
    "mentions": _("Mentions"), "link_clicks": _("Link clicks"),
}


def metric_label(name: str) -> str:
    """The human name of a KPI path (``ctr.ctr`` → "Click-through rate") or a platform counter
    (``link_clicks`` → "Link clicks"), translated; an unknown name is made readable, never shown
    raw."""
    if "." in name:
        try:
            return label(name)
        except KeyError:
            pass
    if name in COUNTER_LABELS:
        return str(COUNTER_LABELS[name])
    return name.replace(".", " · ").replace("_", " ").capitalize()


def group(name: str) -> Group:
    return GROUP_BY_NAME[name]


def field(path: str) -> Field:
    """``field("awareness.impressions")``; ``KeyError`` for a name not in the registry."""
    group_name, _, name = path.partition(".")
    return GROUP_BY_NAME[group_name].field(name)


def kind(path: str) -> str:
    return field(path).kind


def label(path: str) -> str:
    """The field's label in the active language (``field(path).label`` is the English)."""
    return translated(field(path).label)


def paths() -> list[str]:
    return [f"{g.name}.{f.name}" for g in GROUPS for f in g.fields]


def value_at(document: Mapping[str, Any] | None, path: str) -> Any:
    """``document["awareness"]["impressions"]`` for ``path`` ``awareness.impressions``; ``None``
    when a step is missing or not a mapping."""
    current: Any = document
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def headlines(stage: str) -> tuple[str, ...]:
    """The headline groups of a funnel stage, in the stage's order."""
    ranked = sorted(
        (position, g.name) for g in KPI_GROUPS for s, position in g.headline if s == stage
    )
    return tuple(name for _, name in ranked)


HEADLINES: dict[str, tuple[str, ...]] = {stage: headlines(stage) for stage in STAGES}

# A KPI target is entered, stored and shown in its field's own unit (the document's): percent
# points for a percent (ROI 150 = 150%), a multiple for a ratio (ROAS 1.5 = 1.5×), the campaign
# currency for money, a plain number for a count.
UNITS: dict[str, Any] = {
    PERCENT: "%", RATIO: "×", MONEY: _("campaign currency"), COUNT: _("count"),
}
# (unit, how to enter it) for the target form's help text (English; marked for translation).
TARGET_UNIT_HELP: tuple[tuple[str, str], ...] = (
    ("%", gettext_noop("in percent points: 3 means 3%, an ROI of 150 means 150%")),
    ("×", gettext_noop("as a multiple: 1.5 means 1.5×")),
    (gettext_noop("campaign currency"), gettext_noop("an amount such as 12000")),
    (gettext_noop("count"), gettext_noop("a whole number")),
)


def target_label(path: str) -> Any:
    """``"ROI (%)"``, lazily translated: it labels the model's choices, built at import."""
    f = field(path)
    return format_lazy("{} ({})", gettext_lazy(f.label), UNITS[f.kind])


def target(path: str) -> tuple[str, str]:
    """``(value, label)`` of a KPI target choice; ``KeyError`` unless targets are allowed."""
    if not field(path).target:
        raise KeyError(f"{path} takes no target")
    return path, target_label(path)


def target_choices() -> list[tuple[str, str]]:
    return [target(p) for p in paths() if field(p).target]


# --- Presentation sequences (each a path list checked against the registry by the tests) ----
# The funnel follows clicks: its last step counts only conversions that came through a click
# (link and UTM). Promo-code and manual conversions need no click; the report shows them beside
# the funnel (``FUNNEL_BESIDE``), labelled, so no step reads "200% of clicks".
FUNNEL: tuple[str, ...] = (
    "awareness.impressions", "ctr.clicks", "traffic.visits", "audience_growth.leads",
    "conversion.click_conversions",
)
# Why a funnel step can hold more than the step above it (its step rate passes 100%).
# Texts here and below are lazy: ``metrics.display_report`` hands them out as ``str``.
FUNNEL_OVER_100: dict[str, Any] = {
    "ctr.clicks": _("links are also clicked where the counted impressions do not reach "
                    "(shared, bookmarked, in a bio)"),
    "traffic.visits": _("UTM-tagged visits arrive without a click on a tracking link"),
    "audience_growth.leads": _("leads reported by the site or the API need no recorded visit"),
    "conversion.click_conversions": _("UTM-tagged conversions need no recorded visit"),
}
# (by_source key, label, why it stands beside the funnel) — conversions that need no click.
FUNNEL_BESIDE: tuple[tuple[str, Any, Any], ...] = (
    ("promo_code", _("Promo-code conversions"), _("a code needs no click")),
    ("manual", _("Manually assigned conversions"), _("assigned by the team")),
)
# (series key, path) of the report's chart.
CHART: tuple[tuple[str, str], ...] = (
    ("impressions", "awareness.impressions"),
    ("engagements", "engagement.engagements"),
    ("clicks", "ctr.clicks"),
    ("conversions", "conversion.conversions"),
    ("revenue", "conversion.revenue"),
)
# Leaderboard columns: (key, short label, path). Sortable on the page, exported too.
LEADERBOARD: tuple[tuple[str, Any, str], ...] = (
    ("emv", "EMV", "emv.total"),
    ("engagement_rate", _("Eng. rate"), "engagement.engagement_rate"),
    ("ctr", "CTR", "ctr.ctr"),
    ("conversions", _("Conversions"), "conversion.conversions"),
    ("revenue", _("Revenue"), "conversion.revenue"),
    ("roi", "ROI", "roi.roi"),
    ("cpa", "CPA", "roi.cpa"),
)
# Lower is better for a cost per action; everything else sorts best-first descending.
ASCENDING_BY_DEFAULT = frozenset({"cpa"})
# Extra columns of the creators' CSV export after the leaderboard's.
EXPORT_EXTRA: tuple[str, ...] = (
    "awareness.impressions", "engagement.engagements", "ctr.clicks", "roi.total_cost",
)
# Per-platform table of the report and the creator profile's campaign table.
PLATFORM_COLUMNS: tuple[str, ...] = (
    "awareness.impressions", "awareness.reach", "engagement.engagements",
    "engagement.engagement_rate", "emv.total", "sentiment.net_sentiment", "coverage.posts",
)
CREATOR_CAMPAIGN_COLUMNS: tuple[str, ...] = (
    "awareness.impressions", "engagement.engagement_rate", "ctr.clicks",
    "conversion.conversions", "conversion.revenue", "emv.total", "roi.roi",
)
# The admin's read-only summary of a partnership.
PARTNERSHIP_SUMMARY: tuple[str, ...] = (
    "awareness.impressions", "engagement.engagements", "ctr.clicks", "conversion.conversions",
    "conversion.revenue", "emv.total",
)


def export_column(path: str) -> str:
    f = field(path)
    return f.export or f.name
