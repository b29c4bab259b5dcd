"""Storing a campaign's KPI documents as KpiSnapshot rows: the new set replaces the old in one
transaction, under the campaign's row lock, so a worker killed mid-way leaves the previous set.

A day's document that came out exactly as stored (same digest) is kept as it is rather than
rewritten: past days rarely change, and a campaign's documents are mostly days. Its
``computed_at`` then says when it was last computed with these figures. The total, partnership
and platform documents are as of the recompute's instant, so they are always rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction

from campaigns.models import Campaign
from metrics.models import KpiScope, KpiSnapshot

Document = tuple[str, str, dt.datetime, dict[str, Any]]


class Encoded(NamedTuple):
    """One document ready to store: its JSON text and the digest of its figures."""

    scope: str
    key: str
    as_of: dt.datetime
    document: dict[str, Any]
    text: str
    digest: str


def encoded(documents: Sequence[Document]) -> list[Encoded]:
    """Each document's JSON text and digest, one serialisation each. The digest leaves out
    ``computed_at``, which differs at every recompute whatever the figures."""
    result = []
    for scope, key, as_of, document in documents:
        figures = {k: v for k, v in document.items() if k != "computed_at"}
        body = json.dumps(figures)
        digest = hashlib.blake2b(body.encode(), digest_size=16).hexdigest()
        text = body[:-1] + (", " if figures else "") + \
            f'"computed_at": {json.dumps(document.get("computed_at"))}}}'
        result.append(Encoded(scope, key, as_of, document, text, digest))
    return result


def kpi_documents_store(*, campaign: Campaign, documents: Sequence[Document],
                        computed_at: dt.datetime) -> KpiSnapshot | None:
    """Replace the campaign's stored documents with ``documents`` (the total first); returns
    the total's row, or None if the campaign was deleted meanwhile."""
    rows = encoded(documents)
    with transaction.atomic():
        # The row lock serialises two recomputes of one campaign (their deletes and inserts
        # would otherwise collide on the unique key).
        locked = Campaign.objects.select_for_update().filter(pk=campaign.pk)
        if not list(locked.values_list("pk", flat=True)):
            return None
        stored = dict(KpiSnapshot.objects.filter(campaign=campaign, scope=KpiScope.DAY)
                      .values_list("key", "digest"))
        kept = {row.key for row in rows
                if row.scope == KpiScope.DAY and stored.get(row.key) == row.digest}
        KpiSnapshot.objects.filter(campaign=campaign).exclude(
            scope=KpiScope.DAY, key__in=kept).delete()
        _insert(campaign, [row for row in rows
                           if row.scope != KpiScope.DAY or row.key not in kept], computed_at)
    total = rows[0]
    return KpiSnapshot(campaign=campaign, scope=total.scope, key=total.key, as_of=total.as_of,
                       computed_at=computed_at, data=total.document, digest=total.digest)


def _insert(campaign: Campaign, rows: list[Encoded], computed_at: dt.datetime) -> None:
    """Store the rows. PostgreSQL gets them as one JSON array expanded server-side: handing
    the driver a few hundred documents as array parameters costs it more than the whole
    recompute's SQL (it escapes every document in Python)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        KpiSnapshot.objects.bulk_create([
            KpiSnapshot(campaign=campaign, scope=row.scope, key=row.key, as_of=row.as_of,
                        computed_at=computed_at, data=row.document, digest=row.digest)
            for row in rows
        ], batch_size=500)
        return
    payload = "[" + ",".join(
        f"[{json.dumps(row.scope)},{json.dumps(row.key)},{json.dumps(row.as_of.isoformat())},"
        f"{json.dumps(row.digest)},{row.text}]"
        for row in rows
    ) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(KpiSnapshot._meta.db_table)} "  # noqa: S608
            "(campaign_id, scope, key, as_of, digest, computed_at, data) "
            "SELECT %s, d->>0, d->>1, (d->>2)::timestamptz, d->>3, %s, d->4 "
            "FROM jsonb_array_elements(%s::jsonb) d",
            [campaign.pk, computed_at, payload],
        )
