"""The audit log in sentences, pure (no models; only Django's gettext): "Maya changed Tess's
fee from 500.00 to 650.00 USD".

``describe`` takes what an ``AuditEntry`` holds, with the actor's display name and the money
currency already resolved by the page (``accounts.views.audit_log``), and writes one sentence
per entry for every action the services record (``audit_record(action=...)``). An action it
does not know still reads as a sentence, built from the action's name and its changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
}
MONEY_FIELDS = frozenset({"fee", "product_value", "amount"})
PERCENT_FIELDS = frozenset({"commission_rate"})
# Values a sentence names in words: roles, cost categories and comment labels.
VALUE_NAMES = {
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


def describe(entry: Entry) -> str:
    """One sentence for ``entry``, ending with a full stop."""
    writer = SENTENCES.get(entry.action, _generic)
    return _capitalised(writer(entry)) + "."


# --- Values ---------------------------------------------------------------------------------
def _value(name: str, value: Any, currency: str = "") -> str:
    if value is None or value == "":
        return _("nothing")
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if name in PERCENT_FIELDS:
        return f"{value}%"
    if name in MONEY_FIELDS and currency:
        return f"{value} {currency}"
    named = VALUE_NAMES.get(name, {}).get(str(value))
    if named is not None:
        return str(named)
    if name in ("category", "role"):
        return str(value).replace("_", " ")
    return str(value)


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


def _changes(entry: Entry) -> str:
    return _listed([
        _change(name, value, entry.currency)
        for name, value in entry.changes.items()
        if name != "currency"  # a note on the amounts, not a change
    ])


def _role(value: Any) -> str:
    return _value("role", value)


def _member(e: Entry) -> str:
    return str(e.changes.get("user", "") or _("a member"))


# --- One writer per action --------------------------------------------------------------------
# Possessives ("Tess's") are part of each sentence, so a language can put names where it needs.
def _organization_updated(e: Entry) -> str:
    return _("%(who)s changed the organization's %(changes)s") % {
        "who": _who(e), "changes": _changes(e),
    }


def _role_changed(e: Entry) -> str:
    old, new = _pair(e.changes.get("role"))
    return _("%(who)s changed %(user)s's role from %(old)s to %(new)s") % {
        "who": _who(e), "user": _member(e), "old": _role(old), "new": _role(new),
    }


def _member_added(e: Entry) -> str:
    return _("%(who)s added %(user)s as %(role)s") % {
        "who": _who(e), "user": _member(e), "role": _role(_new(e, "role")),
    }


def _member_removed(e: Entry) -> str:
    values = {"who": _who(e), "user": _member(e), "role": _role(_old(e, "role"))}
    revoked = e.changes.get("api_keys_revoked")
    if revoked:
        return ngettext(
            "%(who)s removed %(user)s (%(role)s) and revoked their %(count)s API key",
            "%(who)s removed %(user)s (%(role)s) and revoked their %(count)s API keys",
            revoked,
        ) % {**values, "count": revoked}
    return _("%(who)s removed %(user)s (%(role)s)") % values


def _member_invited(e: Entry) -> str:
    values = {"who": _who(e), "email": e.changes.get("email"),
              "role": _role(e.changes.get("role"))}
    if values["email"]:
        return _("%(who)s invited %(email)s as %(role)s") % values
    return _("%(who)s invited anyone with the link as %(role)s") % values


def _invitation_revoked(e: Entry) -> str:
    values = {"who": _who(e), "email": e.changes.get("email"),
              "role": _role(e.changes.get("role"))}
    if values["email"]:
        return _("%(who)s revoked the invitation of %(email)s as %(role)s") % values
    return _("%(who)s revoked the invitation of anyone as %(role)s") % values


def _member_joined(e: Entry) -> str:
    user = e.changes.get("user") or e.actor or _("Someone")
    return _("%(user)s joined as %(role)s through an invitation") % {
        "user": user, "role": _role(_new(e, "role")),
    }


def _api_key_created(e: Entry) -> str:
    values = {"who": _who(e), "name": e.changes.get("name") or e.object_repr,
              "role": _role(e.changes.get("role")), "owner": e.changes.get("belongs_to")}
    if values["owner"]:
        return _("%(who)s created the API key “%(name)s” (%(role)s) for %(owner)s") % values
    return _("%(who)s created the API key “%(name)s” (%(role)s)") % values


def _api_key_revoked(e: Entry) -> str:
    return _("%(who)s revoked the API key “%(name)s”") % {
        "who": _who(e), "name": e.changes.get("name") or e.object_repr,
    }


def _brand_deleted(e: Entry) -> str:
    return _("%(who)s deleted the brand %(name)s") % {
        "who": _who(e), "name": e.changes.get("name") or e.object_repr,
    }


def _campaign_deleted(e: Entry) -> str:
    return _("%(who)s deleted the campaign %(name)s") % {
        "who": _who(e), "name": e.changes.get("name") or e.object_repr,
    }


def _compensation_set(e: Entry) -> str:
    values = {"who": _who(e), "creator": _creator(e), "changes": _changes(e),
              "campaign": _campaign(e)}
    if values["campaign"]:
        return _("%(who)s set %(creator)s's %(changes)s in %(campaign)s") % values
    return _("%(who)s set %(creator)s's %(changes)s") % values


def _compensation_changed(e: Entry) -> str:
    values = {"who": _who(e), "creator": _creator(e), "changes": _changes(e),
              "campaign": _campaign(e)}
    if values["campaign"]:
        return _("%(who)s changed %(creator)s's %(changes)s in %(campaign)s") % values
    return _("%(who)s changed %(creator)s's %(changes)s") % values


def _cost_text(e: Entry, side: int) -> str:
    amount = _pair(e.changes.get("amount"))[side]
    category = _pair(e.changes.get("category"))[side]
    what = _value("category", category) if category else _("cost")
    return _("%(what)s of %(amount)s") % {
        "what": what, "amount": _value("amount", amount, e.currency),
    }


def _cost_created(e: Entry) -> str:
    return _("%(who)s added a cost: %(cost)s") % {"who": _who(e), "cost": _cost_text(e, 1)}


def _cost_changed(e: Entry) -> str:
    return _("%(who)s changed the cost %(cost)s: %(changes)s") % {
        "who": _who(e), "cost": e.object_repr, "changes": _changes(e),
    }


def _cost_deleted(e: Entry) -> str:
    return _("%(who)s deleted a cost: %(cost)s") % {"who": _who(e), "cost": _cost_text(e, 0)}


def _comment_label_corrected(e: Entry) -> str:
    old, new = _pair(e.changes.get("sentiment"))
    creator = e.changes.get("creator")
    values = {"who": _who(e), "creator": creator, "old": _value("sentiment", old),
              "new": _value("sentiment", new) if new is not None else new}
    if _new(e, "source") == "machine":
        if creator:
            return _("%(who)s gave the label of a comment on %(creator)s's post back to the "
                     "model (%(new)s)") % values
        return _("%(who)s gave the label of a comment back to the model (%(new)s)") % values
    if creator:
        return _("%(who)s relabelled a comment on %(creator)s's post from %(old)s to "
                 "%(new)s") % values
    return _("%(who)s relabelled a comment from %(old)s to %(new)s") % values


def _generic(e: Entry) -> str:
    noun, _dot, verb = e.action.partition(".")
    what = f"{noun.replace('_', ' ')} {e.object_repr}".strip()
    text = f"{_who(e)} {verb.replace('_', ' ') or 'touched'} {what}"
    changes = _changes(e)
    return f"{text}: {changes}" if changes else text


SENTENCES: dict[str, Callable[[Entry], str]] = {
    "organization.updated": _organization_updated,
    "member.role_changed": _role_changed,
    "member.added": _member_added,
    "member.removed": _member_removed,
    "member.invited": _member_invited,
    "member.invitation_revoked": _invitation_revoked,
    "member.joined": _member_joined,
    "api_key.created": _api_key_created,
    "api_key.revoked": _api_key_revoked,
    "brand.deleted": _brand_deleted,
    "campaign.deleted": _campaign_deleted,
    "compensation.set": _compensation_set,
    "compensation.changed": _compensation_changed,
    "cost.created": _cost_created,
    "cost.changed": _cost_changed,
    "cost.deleted": _cost_deleted,
    "comment.label_corrected": _comment_label_corrected,
}
