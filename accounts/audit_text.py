"""The audit log in sentences, pure (no Django): "Maya changed Tess's fee from 500.00 to
650.00 USD".

``describe`` takes what an ``AuditEntry`` holds, with the actor's display name and the money
currency already resolved by the page (``accounts.views.audit_log``), and writes one sentence
per entry for every action the services record (``audit_record(action=...)``). An action it
does not know still reads as a sentence, built from the action's name and its changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Fields as a sentence names them; money fields carry the entry's currency, rates a percent.
FIELD_NAMES = {
    "fee": "fee",
    "product_value": "product value",
    "commission_rate": "commission rate",
    "time_zone": "time zone",
    "require_two_factor": "two-factor requirement",
    "incurred_on": "date",
    "campaign": "campaign",
}
MONEY_FIELDS = frozenset({"fee", "product_value", "amount"})
PERCENT_FIELDS = frozenset({"commission_rate"})


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
        return "nothing"
    if isinstance(value, bool):
        return "on" if value else "off"
    if name in PERCENT_FIELDS:
        return f"{value}%"
    if name in MONEY_FIELDS and currency:
        return f"{value} {currency}"
    if name in ("category", "role"):
        return str(value).replace("_", " ")
    return str(value)


def _field(name: str) -> str:
    return FIELD_NAMES.get(name, name.replace("_", " "))


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
        return f"{_field(name)} to {_value(name, new, currency)}"
    return f"{_field(name)} from {_value(name, old)} to {_value(name, new, currency)}"


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _possessive(name: str) -> str:
    # "Tess's", as the issue writes it (Chicago style: 's after every singular name).
    return f"{name}'s"


def _who(entry: Entry) -> str:
    return entry.actor or "Funnelboard"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _creator(entry: Entry) -> str:
    # A partnership reads "Tess × Spring launch": the creator, then the campaign.
    return entry.object_repr.split(" × ")[0] or "a creator"


def _campaign(entry: Entry) -> str:
    parts = entry.object_repr.split(" × ")
    return parts[1] if len(parts) > 1 else ""


def _changes(entry: Entry) -> str:
    return _listed([
        _change(name, value, entry.currency)
        for name, value in entry.changes.items()
        if name != "currency"  # a note on the amounts, not a change
    ])


# --- One writer per action --------------------------------------------------------------------
def _organization_updated(e: Entry) -> str:
    return f"{_who(e)} changed the organization's {_changes(e)}"


def _role_changed(e: Entry) -> str:
    old, new = _pair(e.changes.get("role"))
    user = e.changes.get("user", "a member")
    return f"{_who(e)} changed {_possessive(user)} role from {_value('role', old)} to " \
        f"{_value('role', new)}"


def _member_added(e: Entry) -> str:
    return f"{_who(e)} added {e.changes.get('user', 'a member')} as " \
        f"{_value('role', _new(e, 'role'))}"


def _member_removed(e: Entry) -> str:
    text = f"{_who(e)} removed {e.changes.get('user', 'a member')} " \
        f"({_value('role', _old(e, 'role'))})"
    revoked = e.changes.get("api_keys_revoked")
    if revoked:
        text += f" and revoked their {revoked} API key{'s' if revoked != 1 else ''}"
    return text


def _member_invited(e: Entry) -> str:
    return f"{_who(e)} invited {e.changes.get('email') or 'anyone with the link'} as " \
        f"{_value('role', e.changes.get('role'))}"


def _invitation_revoked(e: Entry) -> str:
    return f"{_who(e)} revoked the invitation of {e.changes.get('email') or 'anyone'} as " \
        f"{_value('role', e.changes.get('role'))}"


def _member_joined(e: Entry) -> str:
    user = e.changes.get("user") or e.actor or "Someone"
    return f"{user} joined as {_value('role', _new(e, 'role'))} through an invitation"


def _api_key_created(e: Entry) -> str:
    text = f"{_who(e)} created the API key “{e.changes.get('name') or e.object_repr}” " \
        f"({_value('role', e.changes.get('role'))})"
    owner = e.changes.get("belongs_to")
    return f"{text} for {owner}" if owner else text


def _api_key_revoked(e: Entry) -> str:
    return f"{_who(e)} revoked the API key “{e.changes.get('name') or e.object_repr}”"


def _deleted(kind: str) -> Callable[[Entry], str]:
    def write(e: Entry) -> str:
        return f"{_who(e)} deleted the {kind} {e.changes.get('name') or e.object_repr}"

    return write


def _compensation_set(e: Entry) -> str:
    return f"{_who(e)} set {_possessive(_creator(e))} {_changes(e)}" + _in_campaign(e)


def _compensation_changed(e: Entry) -> str:
    return f"{_who(e)} changed {_possessive(_creator(e))} {_changes(e)}" + _in_campaign(e)


def _in_campaign(e: Entry) -> str:
    campaign = _campaign(e)
    return f" in {campaign}" if campaign else ""


def _cost_text(e: Entry, side: int) -> str:
    amount = _pair(e.changes.get("amount"))[side]
    category = _pair(e.changes.get("category"))[side]
    what = _value("category", category) if category else "cost"
    return f"{what} of {_value('amount', amount, e.currency)}"


def _cost_created(e: Entry) -> str:
    return f"{_who(e)} added a cost: {_cost_text(e, 1)}"


def _cost_changed(e: Entry) -> str:
    return f"{_who(e)} changed the cost {e.object_repr}: {_changes(e)}"


def _cost_deleted(e: Entry) -> str:
    return f"{_who(e)} deleted a cost: {_cost_text(e, 0)}"


def _comment_label_corrected(e: Entry) -> str:
    old, new = _pair(e.changes.get("sentiment"))
    creator = e.changes.get("creator")
    on = f" on {_possessive(creator)} post" if creator else ""
    if _new(e, "source") == "machine":
        return f"{_who(e)} gave the label of a comment{on} back to the model ({new})"
    return f"{_who(e)} relabelled a comment{on} from {_value('sentiment', old)} to {new}"


def _generic(e: Entry) -> str:
    noun, _, verb = e.action.partition(".")
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
    "brand.deleted": _deleted("brand"),
    "campaign.deleted": _deleted("campaign"),
    "compensation.set": _compensation_set,
    "compensation.changed": _compensation_changed,
    "cost.created": _cost_created,
    "cost.changed": _cost_changed,
    "cost.deleted": _cost_deleted,
    "comment.label_corrected": _comment_label_corrected,
}
