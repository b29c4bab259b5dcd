"""Every read of stored KPI documents (``KpiSnapshot`` rows) goes through here.

The engine (``metrics.engine``) is the only writer. Pages, the API, exports, the admin and the
creator pages read through these selectors, so the storage (one row per scope and key, the
total under key ``""``) is known in one place. Callers scope the campaign first: these
functions trust the campaign or partnership they are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Case, F, Func, JSONField, When

from metrics import registry
from metrics.models import KpiScope, KpiSnapshot

TOTAL_KEY = ""


def campaign_snapshot(campaign_id: int) -> KpiSnapshot | None:
    """The stored campaign total (with ``computed_at``), or ``None`` before the first compute."""
    return KpiSnapshot.objects.filter(
        campaign_id=campaign_id, scope=KpiScope.TOTAL, key=TOTAL_KEY
    ).first()


def campaign_document(campaign_id: int) -> dict[str, Any] | None:
    snapshot = campaign_snapshot(campaign_id)
    return None if snapshot is None else snapshot.data


def campaign_documents(campaign_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The campaign-total document of each campaign that has one (one query)."""
    rows = KpiSnapshot.objects.filter(
        campaign_id__in=list(campaign_ids), scope=KpiScope.TOTAL, key=TOTAL_KEY
    ).values_list("campaign_id", "data")
    return {campaign_id: data for campaign_id, data in rows}


def campaign_snapshots(campaign_id: int, scope: str | None = None
                       ) -> tuple[KpiSnapshot | None, list[KpiSnapshot]]:
    """The stored total and, when ``scope`` is given, its breakdown rows, in one query; day
    rows in date order."""
    scopes = [KpiScope.TOTAL] + ([scope] if scope else [])
    rows = list(
        KpiSnapshot.objects.filter(campaign_id=campaign_id, scope__in=scopes)
        .order_by("scope", "key")
    )
    total = next((r for r in rows if r.scope == KpiScope.TOTAL), None)
    breakdown = [r for r in rows if r.scope != KpiScope.TOTAL]
    if scope == KpiScope.DAY:
        breakdown.sort(key=lambda r: r.key)
    return total, breakdown


class WithoutRatesUsed(Func):
    """A KPI document without ``emv.rates_used`` — the rate card repeated in every breakdown
    document, with its sources more than half of each document. Removed in the database so
    it is neither sent nor parsed; other databases get the whole document."""

    output_field = JSONField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return Func.as_sql(
            self, compiler, connection, template="(%(expressions)s #- '{emv,rates_used}')",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return Func.as_sql(
            self, compiler, connection,
            template="json_remove(%(expressions)s, '$.emv.rates_used')", **extra,
        )


def report_documents(campaign_id: int
                     ) -> Iterator[tuple[str, str, dict[str, Any], dt.datetime]]:
    """``(scope, key, document, computed_at)`` of every stored document of the campaign, in
    one query; breakdown documents come without ``emv.rates_used`` (the total keeps it)."""
    documents = KpiSnapshot.objects.filter(campaign_id=campaign_id).annotate(
        doc=Case(When(scope=KpiScope.TOTAL, then=F("data")), default=WithoutRatesUsed("data"))
    )
    yield from documents.values_list("scope", "key", "doc", "computed_at")


def partnership_documents(pairs: Iterable[tuple[int, int]]
                          ) -> dict[tuple[int, str], dict[str, Any]]:
    """``{(campaign_id, str(partnership_id)): document}`` for ``(campaign_id,
    partnership_id)`` pairs (one query)."""
    pairs = list(pairs)
    rows = KpiSnapshot.objects.filter(
        campaign_id__in={c for c, _ in pairs},
        scope=KpiScope.PARTNERSHIP,
        key__in=[str(p) for _, p in pairs],
    ).values_list("campaign_id", "key", "data")
    return {(campaign_id, key): data for campaign_id, key, data in rows}


def partnership_document(campaign_id: int, partnership_id: int) -> dict[str, Any] | None:
    return partnership_documents([(campaign_id, partnership_id)]).get(
        (campaign_id, str(partnership_id))
    )


def empty_document(*, campaign_id: int, stage: str, currency: str) -> dict[str, Any]:
    """The document's shape before the first compute: every registry field present and
    unknown (``None``; mappings empty, record lists empty), ``computed_at`` ``None``."""
    groups: dict[str, Any] = {}
    for group in registry.GROUPS:
        values: dict[str, Any] = {}
        for f in group.fields:
            if f.optional:
                continue
            values[f.name] = {} if f.shape == registry.MAPPING else (
                [] if f.shape == registry.RECORDS else None
            )
        groups[group.name] = values
    return {
        "campaign": campaign_id,
        "stage": stage,
        "currency": currency,
        "as_of": None,
        "computed_at": None,
        "headline": list(registry.headlines(stage)),
        "targets": [],
        **groups,
    }
