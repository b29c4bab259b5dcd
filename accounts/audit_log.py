"""The audit log page's read: entries with their sentence (``accounts.audit_text``), the
actor named and the amounts in their campaign's currency.

``accounts`` imports no other app, so the audited records whose amounts carry a currency are
named here by app label and reached through the app registry, scoped to the organization like
every read (``accounts.selectors.scoped``): one query per kind on the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

from accounts.audit_text import Entry, describe
from accounts.models import AuditEntry, Organization
from accounts.selectors import scoped

CURRENCY_OF: dict[str, tuple[str, str]] = {
    "Partnership": ("campaigns.Partnership", "campaign__currency"),
    "Cost": ("campaigns.Cost", "campaign__currency"),
    "Deliverable": ("content.Deliverable", "partnership__campaign__currency"),
    "PayoutLine": ("payouts.PayoutLine", "currency"),
}


def with_sentences(organization: Organization, entries: Iterable[AuditEntry]) -> None:
    """Set ``entry.sentence`` on each of ``entries`` (a page of them)."""
    entries = list(entries)
    currencies = _currencies(organization, entries)
    for entry in entries:
        changes = entry.changes or {}
        entry.sentence = describe(Entry(  # type: ignore[attr-defined]
            actor=_actor_name(entry), action=entry.action, object_type=entry.object_type,
            object_repr=entry.object_repr, changes=changes,
            currency=changes.get("currency")
            or currencies.get((entry.object_type, entry.object_id), ""),
        ))


def _actor_name(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.first_name or entry.actor.username
    if entry.api_key is not None:
        return f"API key {entry.api_key.prefix}…"
    return ""


def _currencies(
    organization: Organization, entries: list[AuditEntry]
) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for object_type, (label, path) in CURRENCY_OF.items():
        ids = {e.object_id for e in entries if e.object_type == object_type}
        pks = [int(i) for i in ids if i.isdigit()]
        if not pks:
            continue
        rows = scoped(organization, apps.get_model(label)).filter(pk__in=pks)
        for pk, currency in rows.values_list("pk", path):
            found[(object_type, str(pk))] = currency
    return found
