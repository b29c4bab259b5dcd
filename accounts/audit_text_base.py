"""What the audit log's sentences are made of, pure (no models; only Django's gettext): the
entry, the words for fields and values, and the helpers every writer shares.

The writers live in ``accounts.audit_text`` (members, keys, campaigns, costs, comments) and
``accounts.audit_text_workflow`` (briefs, deliverables, drafts, payouts, share links and
digests); both import from here, so neither imports the other's module in a circle. The
helpers keep their leading underscore: they are for those two modules only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# Fields as a sentence names them; money fields carry the entry's currency, rates a percent.
FIELD_NAMES = {
    "fee": gettext_lazy("fee"),
    "product_value": gettext_lazy("product value"),
    "commission_rate": gettext_lazy("commission rate"),
    "time_zone": gettext_lazy("time zone"),
    "require_two_factor": gettext_lazy("two-factor requirement"),
    "incurred_on": gettext_lazy("date"),
    "campaign": gettext_lazy("campaign"),
    "name": gettext_lazy("name"),
    "amount": gettext_lazy("amount"),
    "category": gettext_lazy("category"),
    "default_language": gettext_lazy("default language"),
    "accent_color": gettext_lazy("accent color"),
    "report_footer": gettext_lazy("report footer"),
    "logo": gettext_lazy("logo"),
    # Deliverables, drafts and payout lines.
    "platform": gettext_lazy("platform"),
    "format": gettext_lazy("format"),
    "quantity": gettext_lazy("quantity"),
    "due_date": gettext_lazy("due date"),
    "fee_share": gettext_lazy("fee share"),
    "pay_on": gettext_lazy("payment milestone"),
    "partnership": gettext_lazy("partnership"),
    "status": gettext_lazy("status"),
    "decision": gettext_lazy("decision"),
    "comment": gettext_lazy("comment"),
    "kind": gettext_lazy("kind"),
    "method": gettext_lazy("payment method"),
    "reference": gettext_lazy("reference"),
    "paid_on": gettext_lazy("payment date"),
    # Digest schedules.
    "frequency": gettext_lazy("frequency"),
    "weekday": gettext_lazy("day of the week"),
    "day_of_month": gettext_lazy("day of the month"),
    "hour": gettext_lazy("hour"),
    "is_active": gettext_lazy("sending"),
}
MONEY_FIELDS = frozenset({"fee", "product_value", "amount", "fee_share"})
PERCENT_FIELDS = frozenset({"commission_rate"})
# Values a sentence names in words: roles, cost categories, comment labels, and the workflow's
# statuses and choices (``accounts`` imports no other app, so it keeps its own words for them).
VALUE_NAMES: dict[str, Mapping[str, Any]] = {
    "role": {
        "owner": gettext_lazy("owner"),
        "admin": gettext_lazy("admin"),
        "manager": gettext_lazy("manager"),
        "viewer": gettext_lazy("viewer"),
    },
    "category": {
        "ad_spend": gettext_lazy("ad spend"),
        "production": gettext_lazy("production"),
        "platform_fee": gettext_lazy("platform fee"),
        "other": gettext_lazy("other"),
    },
    "sentiment": {
        "positive": gettext_lazy("positive"),
        "neutral": gettext_lazy("neutral"),
        "negative": gettext_lazy("negative"),
    },
    # A deliverable's statuses, then a payout line's (``approved`` is both).
    "status": {
        "planned": pgettext_lazy("deliverable status", "planned"),
        "draft_submitted": pgettext_lazy("deliverable status", "draft submitted"),
        "changes_requested": pgettext_lazy("deliverable status", "changes requested"),
        "approved": pgettext_lazy("deliverable status", "approved"),
        "live": pgettext_lazy("deliverable status", "live"),
        "verified": pgettext_lazy("deliverable status", "verified"),
        "accrued": pgettext_lazy("payout status", "accrued"),
        "paid": pgettext_lazy("payout status", "paid"),
    },
    "decision": {
        "approve": gettext_lazy("approved"),
        "request_changes": gettext_lazy("changes requested"),
    },
    "format": {
        "post": gettext_lazy("post"),
        "reel": gettext_lazy("reel"),
        "story": gettext_lazy("story"),
        "video": gettext_lazy("video"),
        "short": gettext_lazy("short"),
    },
    "platform": {
        "instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube",
        "facebook": "Facebook", "x": "X", "linkedin": "LinkedIn", "pinterest": "Pinterest",
        "twitch": "Twitch", "snapchat": "Snapchat", "blog": gettext_lazy("blog"),
    },
    "pay_on": {
        "approved": gettext_lazy("on approval"),
        "live": gettext_lazy("on going live"),
    },
    "kind": {
        "fee": gettext_lazy("fee"),
        "product": gettext_lazy("product value"),
        "commission": gettext_lazy("commission"),
    },
    "method": {
        "bank_transfer": gettext_lazy("bank transfer"),
        "paypal": "PayPal",
        "wise": "Wise",
        "card": gettext_lazy("card"),
        "product": gettext_lazy("product shipped"),
        "other": gettext_lazy("other"),
    },
    "frequency": {
        "weekly": gettext_lazy("weekly"),
        "monthly": gettext_lazy("monthly"),
    },
    "weekday": {
        "0": gettext_lazy("Monday"),
        "1": gettext_lazy("Tuesday"),
        "2": gettext_lazy("Wednesday"),
        "3": gettext_lazy("Thursday"),
        "4": gettext_lazy("Friday"),
        "5": gettext_lazy("Saturday"),
        "6": gettext_lazy("Sunday"),
    },
    "hour": {str(hour): f"{hour:02d}:00" for hour in range(24)},
    # The reasons the system gives, stored in English (``content.services.post_checks``).
    "reason": {
        "caption check passed and metrics arrived": gettext_lazy(
            "the caption check passed and the metrics arrived"
        ),
    },
}


@dataclass(frozen=True)
class Entry:
    """What the sentence is made of: one ``AuditEntry``, its actor named."""

    actor: str  # "Maya", "API key fb_ab12…", or "" when the system acted
    action: str
    object_type: str = ""
    object_repr: str = ""
    changes: Mapping[str, Any] = field(default_factory=dict)
    currency: str = ""  # of the money amounts (the campaign's), "" when unknown


# --- Values ---------------------------------------------------------------------------------
def _value(name: str, value: Any, currency: str = "") -> str:
    if value is None or value == "":
        return _("nothing")
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if name in PERCENT_FIELDS:
        return f"{value}%"
    if name in MONEY_FIELDS and currency:
        return f"{_money(value)} {currency}"
    named = VALUE_NAMES.get(name, {}).get(str(value))
    if named is not None:
        return str(named)
    if name in ("category", "role", "status", "kind", "method"):
        return str(value).replace("_", " ")
    return str(value)


def _money(value: Any) -> str:
    """An amount as the pages write it: grouped, with its cents ("1,500.00"); text that is
    not a number as it is."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(amount, decimal_pos=2, force_grouping=True)


def _field(name: str) -> str:
    return str(FIELD_NAMES.get(name, name.replace("_", " ")))


def _pair(value: Any) -> tuple[Any, Any]:
    """``[old, new]`` as the services store a change; a plain value is a new value."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _new(entry: Entry, name: str) -> Any:
    return _pair(entry.changes.get(name))[1]


def _old(entry: Entry, name: str) -> Any:
    return _pair(entry.changes.get(name))[0]


def _change(name: str, value: Any, currency: str) -> str:
    """``fee from 500.00 to 650.00 USD``: the currency once, after the second amount."""
    old, new = _pair(value)
    if old is None:
        return _("%(field)s to %(new)s") % {
            "field": _field(name), "new": _value(name, new, currency),
        }
    return _("%(field)s from %(old)s to %(new)s") % {
        "field": _field(name), "old": _value(name, old), "new": _value(name, new, currency),
    }


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    text = parts[0]
    for part in parts[1:-1]:
        text = _("%(list)s, %(item)s") % {"list": text, "item": part}
    return _("%(list)s and %(item)s") % {"list": text, "item": parts[-1]}


def _who(entry: Entry) -> str:
    return entry.actor or "Funnelboard"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _creator(entry: Entry) -> str:
    # A partnership reads "Tess × Spring launch": the creator, then the campaign.
    return entry.object_repr.split(" × ")[0] or _("a creator")


def _campaign(entry: Entry) -> str:
    parts = entry.object_repr.split(" × ")
    return parts[1] if len(parts) > 1 else ""


def _changes(entry: Entry, leave_out: frozenset[str] = frozenset({"currency"})) -> str:
    """The entry's changes as a list; ``leave_out``: notes beside the changes (the currency of
    the amounts, the campaign a digest belongs to), not changes themselves."""
    return _listed([
        _change(name, value, entry.currency)
        for name, value in entry.changes.items()
        if name not in leave_out
    ])
