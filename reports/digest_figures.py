"""What a digest reports, as plain data (pure: no ORM).

A digest stores its figures on its ``DigestSend`` when it is first built, so a retry e-mails
the same numbers and the next digest can say how each headline KPI moved since this one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from metrics.display import MONEY, PERCENT, RATIO, format_value, number

TOP_CREATORS = 5
# The leaderboard columns a digest shows per creator (never a cost: digests go to clients).
CREATOR_COLUMNS = ("emv", "engagement_rate", "conversions")
_MULTIPLE_KINDS = (RATIO, "multiple")


def figures_from(
    context: Mapping[str, Any], *, narrative: Sequence[str], as_of: str | None,
) -> dict[str, Any]:
    """The figures of a report's context (``metrics.report_context.report_context`` built
    without costs): headline KPIs, the narrative and the top creators by EMV."""
    campaign = context["campaign"]
    kpis = [
        {
            "group": card.group, "title": str(card.spec.title), "kind": card.spec.kind,
            "value": number(card.value), "display": card.display,
        }
        for card in context["cards"] if card.headline
    ]
    keys = [link["key"] for link in context["sort_links"]]
    top = []
    for row in context["leaderboard"][:TOP_CREATORS]:
        cells = dict(zip(keys, row["cells"], strict=False))
        top.append({
            "name": row["name"], "handle": row["handle"],
            "cells": [list(cells[key]) for key in CREATOR_COLUMNS if key in cells],
        })
    return {
        "as_of": as_of, "currency": campaign.currency, "kpis": kpis,
        "narrative": list(narrative), "top": top,
    }


def change_text(now: float | None, before: float | None, kind: str, currency: str) -> str:
    """How a value moved since the last digest: "+1,200 (+4.0%)", "−0.40 pts", "no change";
    "" when either side is unknown."""
    if now is None or before is None:
        return ""
    delta = now - before
    if abs(delta) < 1e-9:
        return _("no change")
    sign = "+" if delta > 0 else "−"
    if kind == PERCENT:
        return _("%(sign)s%(size)s pts") % {"sign": sign, "size": f"{abs(delta):,.2f}"}
    if kind in _MULTIPLE_KINDS:
        return f"{sign}{abs(delta):,.2f}×"
    amount = format_value(abs(delta), kind, currency if kind == MONEY else "")
    if before:
        return f"{sign}{amount} ({sign}{abs(delta / before * 100):,.1f}%)"
    return f"{sign}{amount}"


def with_changes(
    figures: Mapping[str, Any], previous: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """The headline KPIs, each with ``change`` since the ``previous`` digest's figures."""
    before = {k["group"]: k.get("value") for k in (previous or {}).get("kpis", [])}
    currency = str(figures.get("currency") or "")
    return [
        {**kpi, "change": change_text(kpi["value"], before.get(kpi["group"]), kpi["kind"],
                                      currency)}
        for kpi in figures.get("kpis", [])
    ]
