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

# The texts of ``metrics.kpi_groups`` (titles, labels, definitions, formulas, reasons above 100%)
# are marked there with ``N_`` for ``makemessages``; acronyms (CTR, ROI, CPA…) stay as they are.
# Pages translate them when shown (``translated``); the data keeps the English.


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
