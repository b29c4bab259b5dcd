"""Exports of the campaign report and its leaderboard: the rows, streamed as CSV here and
written as a workbook by ``campaigns.exports_xlsx``.

The KPI export is client-ready: human headers from the registry, values rounded by kind
(money, percentages and multiples to 2 places, counts whole, not reported → empty), money with
its currency in a column of its own, and the EMV rates with their sources.

The documents arrive already trimmed for the reader (``campaigns.selectors.kpi_document_for``);
the creators' export also drops the columns of values a reader below the compensation role may
not see, rather than leaving them empty.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are prefixed with a quote, so a creator named ``=HYPERLINK(...)``
cannot run anything in the reader's spreadsheet. Numbers we computed are written as numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import CostCategory
from campaigns.selectors import is_cost_value
from influencers.models import Platform
from metrics import registry
from metrics.registry import value_at

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CENT = Decimal("0.01")


def safe_cell(value: Any) -> Any:
    """``value`` for a CSV cell, defused when it is text a spreadsheet would evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


# --- The KPI export: one row per value, human headers, values rounded by kind ---------------
# Headers in the reader's language: ``texts`` reads them when a file is written.
KPI_HEADER = (gettext_lazy("Group"), gettext_lazy("Field"), gettext_lazy("KPI"),
              gettext_lazy("Measure"), gettext_lazy("Value"), gettext_lazy("Unit"))
TARGET_HEADER = (gettext_lazy("Target"), gettext_lazy("Unit"), gettext_lazy("Target value"),
                 gettext_lazy("Actual"), gettext_lazy("Progress (%)"))
RATE_HEADER = (gettext_lazy("Platform"), gettext_lazy("Metric"), gettext_lazy("Rate"),
               gettext_lazy("Currency"), gettext_lazy("Per"), gettext_lazy("Source"))


def texts(items: Iterable[Any]) -> list[str]:
    """Lazy texts (headers, labels) read in the active language, as a row of plain strings."""
    return [str(item) for item in items]


def rounded(value: Any, kind: str) -> Any:
    """A value as a client reads it: money, percentages and multiples to 2 places, counts as
    whole numbers; ``None`` (not reported) stays ``None`` (an empty cell)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return value
    if kind == registry.COUNT:
        return int(number.to_integral_value(rounding=ROUND_HALF_UP))
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def unit(kind: str, currency: str) -> str:
    return {registry.MONEY: currency, registry.PERCENT: "%", registry.RATIO: "×"}.get(kind, "")


def kpi_rows(doc: Mapping[str, Any] | None) -> Iterator[list[Any]]:
    """``group, field, KPI, measure, value, unit`` for every value of the document's groups
    (and coverage); a mapping field gives one row per key. Rate records and overlapping
    campaigns are lists, not values: the rates have their own rows (``rate_rows``)."""
    doc = doc or {}
    currency = str(doc.get("currency") or "")
    for group in (*registry.KPI_GROUPS, registry.group("coverage")):
        values = doc.get(group.name) or {}
        for f in group.fields:
            if f.name not in values or f.shape == registry.RECORDS:
                continue
            value = values[f.name]
            if f.shape == registry.MAPPING and isinstance(value, Mapping):
                for key, inner in value.items():
                    yield [
                        group.name, f"{f.name}.{key}", registry.translated(group.title),
                        f"{registry.translated(f.label)} · {_key_label(f.name, str(key))}",
                        rounded(inner, f.kind), unit(f.kind, currency),
                    ]
            else:
                yield [group.name, f.name, registry.translated(group.title),
                       registry.translated(f.label), rounded(value, f.kind),
                       unit(f.kind, currency)]


def target_rows(doc: Mapping[str, Any] | None) -> Iterator[list[Any]]:
    currency = str((doc or {}).get("currency") or "")
    for target in (doc or {}).get("targets") or []:
        path = str(target.get("metric") or "")
        kind = registry.kind(path) if is_registry_path(path) else registry.COUNT
        yield [
            str(registry.metric_label(path)), unit(kind, currency) or _("count"),
            rounded(target.get("target"), kind), rounded(target.get("actual"), kind),
            rounded(target.get("progress"), registry.PERCENT),
        ]


def rate_rows(doc: Mapping[str, Any] | None) -> Iterator[list[Any]]:
    """The EMV rate card the numbers used: platform, metric, rate, currency, per, source."""
    currency = str((doc or {}).get("currency") or "")
    for item in value_at(doc, "emv.rates_used") or []:
        if not isinstance(item, Mapping):
            continue
        metric = str(item.get("metric") or "")
        yield [
            str(PLATFORM_LABELS.get(str(item.get("platform")), str(item.get("platform") or ""))),
            str(registry.metric_label(metric)), _plain(str(item.get("value") or "")) or None,
            currency, "1,000" if metric in PER_MILLE else "1", item.get("source") or "",
        ]


def report_rows(campaign_name: str, doc: Mapping[str, Any] | None) -> Iterator[list[Any]]:
    """The KPI export (CSV): a short heading, every KPI value, the targets and the EMV rates."""
    doc = doc or {}
    yield from heading_rows(campaign_name, doc)
    yield []
    yield texts(KPI_HEADER)
    yield from kpi_rows(doc)
    targets = list(target_rows(doc))
    if targets:
        yield []
        yield texts(TARGET_HEADER)
        yield from targets
    rates = list(rate_rows(doc))
    if rates:
        yield []
        yield texts(RATE_HEADER)
        yield from rates


def heading_rows(campaign_name: str, doc: Mapping[str, Any]) -> list[list[Any]]:
    """The campaign, its currency and when its numbers were computed."""
    return [[_("Campaign"), campaign_name], [_("Currency"), doc.get("currency", "")],
            [_("Computed at"), doc.get("computed_at", "")]]


PER_MILLE = frozenset({"impressions", "reach", "views"})
PLATFORM_LABELS: dict[str, Any] = dict(Platform.choices)  # "Blog" is a lazy translation


def cost_labels() -> dict[str, str]:
    """The cost breakdown's keys as the reader says them."""
    return {
        "fees": _("Fees"), "product": _("Products"), "commission": _("Commissions"),
        **{c.value: str(c.label) for c in CostCategory},
    }


def source_labels() -> dict[str, str]:
    """The conversion sources as the reader says them."""
    return {"promo_code": _("Promo code"), "link": _("Link"), "utm": "UTM", "manual": _("Manual")}


def _key_label(field_name: str, key: str) -> str:
    if field_name == "by_platform":
        return str(PLATFORM_LABELS.get(key, key))
    if field_name == "cost_breakdown":
        return cost_labels().get(key, key.replace("_", " ").capitalize())
    if field_name == "by_source":
        return source_labels().get(key, key)
    return key.replace("_", " ").capitalize()


def is_registry_path(path: str) -> bool:
    try:
        registry.field(path)
    except KeyError:
        return False
    return True


# The leaderboard's columns, then a few more; each named by its registry export column.
LEADERBOARD_EXTRA = tuple((registry.export_column(path), path) for path in registry.EXPORT_EXTRA)


def leaderboard_columns(*, with_costs: bool) -> list[tuple[str, str]]:
    """``(column, document path)`` of the creators' export; without the cost values (ROI, CPA,
    total cost…) unless ``with_costs``."""
    columns = [
        *((registry.export_column(path), path) for _, _, path in registry.LEADERBOARD),
        *LEADERBOARD_EXTRA,
    ]
    return [(name, path) for name, path in columns if with_costs or not is_cost_value(path)]


def leaderboard_rows(
    rows: Iterable[Mapping[str, Any]], *, with_costs: bool
) -> Iterator[list[Any]]:
    """One row per partnership: creator, handle, status and the leaderboard's columns."""
    columns = leaderboard_columns(with_costs=with_costs)
    yield ["creator", "handle", "status", *(name for name, _ in columns)]
    for row in rows:
        doc = row["doc"]
        yield [
            row["name"], row["handle"], row["status"],
            *(_plain(value_at(doc, path)) for _, path in columns),
        ]


_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _plain(value: Any) -> Any:
    """Money arrives as a decimal string: keep it exact and write it as a number (a negative
    amount is a number, not a formula)."""
    if isinstance(value, str) and _DECIMAL.match(value):
        return Decimal(value)
    return value
