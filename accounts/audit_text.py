"""The audit log in sentences, pure (no models; only Django's gettext): "Maya changed Tess's
fee from 500.00 to 650.00 USD".

``describe`` takes what an ``AuditEntry`` holds, with the actor's display name and the money
currency already resolved by the page (``accounts.views.audit_log``), and writes one sentence
per entry for every action the services record (``audit_record(action=...)``). An action it
does not know still reads as a sentence, built from the action's name and its changes.

The writers for members, keys, campaigns, costs and comments are here; those for the
partnership workflow, the payouts ledger, share links and digests are in
``accounts.audit_text_workflow``; the words and helpers both use, in ``accounts.audit_text_base``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit_text_base import (
    Entry,
    _campaign,
    _capitalised,
    _changes,
    _creator,
    _new,
    _old,
    _pair,
    _value,
    _who,
)
from accounts.audit_text_workflow import WORKFLOW_SENTENCES

# What may end a sentence already: no full stop after a quoted comment that has its own.
_ENDINGS = (".", "!", "?", "…", "؟")
_CLOSING_QUOTES = "”»\"'"


def describe(entry: Entry) -> str:
    """One sentence for ``entry``, ending with a full stop (or a quoted comment's own)."""
    writer = SENTENCES.get(entry.action, _generic)
    text = _capitalised(writer(entry))
    return text if text.rstrip(_CLOSING_QUOTES).endswith(_ENDINGS) else text + "."


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
    **WORKFLOW_SENTENCES,
}
