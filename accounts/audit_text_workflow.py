"""The audit log's sentences for the partnership workflow (briefs, deliverables, drafts), the
payouts ledger, share links and digests: "Maya sent version 2 of the Spring launch brief to
Tess", "Commission for Tess × Spring launch moved from 10.62 to 5.31 USD after a recompute".

Pure like ``accounts.audit_text``, which merges ``WORKFLOW_SENTENCES`` into its own. What a
sentence names comes from the entry as the services record it: ``object_repr`` is the record's
``str()`` (``Brief of Spring launch v2``, ``Draft 2 of 1 × Instagram Reel``,
``Fee 500.00 USD (Tess × Spring launch)``), read back here into its parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit_text_base import (
    Entry,
    _changes,
    _field,
    _listed,
    _new,
    _old,
    _pair,
    _value,
    _who,
)

# The ``str()`` of the records, as ``object_repr`` keeps them.
_BRIEF_VERSION = re.compile(r"^Brief of (?P<campaign>.*) v(?P<number>\d+)$")
_DRAFT = re.compile(r"^Draft (?P<number>\d+) of (?P<deliverable>.*)$")
_PAYOUT_LINE = re.compile(
    r"^(?P<kind>.+?) (?P<amount>-?\d[\d.]*) (?P<currency>[A-Z]{3}) \((?P<partnership>.*)\)$"
)
_SHARE_LINK_UNLABELLED = "Share link "
# A reviewer's comment is quoted whole up to this length, then cut.
COMMENT_LENGTH = 200


def _quoted(text: Any) -> str:
    return _("“%(text)s”") % {"text": text}


def _is_zero(value: Any) -> bool:
    try:
        return Decimal(str(value)) == 0
    except (InvalidOperation, ValueError):
        return False


# --- Briefs ---------------------------------------------------------------------------------
def _brief(text: str) -> tuple[str, str]:
    """``Brief of Spring launch v2`` → ``("Spring launch", "2")``."""
    match = _BRIEF_VERSION.match(text)
    return (match["campaign"], match["number"]) if match else (text, "")


def _brief_version_created(e: Entry) -> str:
    campaign, number = _brief(e.object_repr)
    number = e.changes.get("number") or number
    values = {"who": _who(e), "campaign": campaign, "number": number}
    if str(number) == "1":
        return _("%(who)s wrote the %(campaign)s brief") % values
    return _("%(who)s wrote version %(number)s of the %(campaign)s brief") % values


def _brief_attachment_added(e: Entry) -> str:
    return _("%(who)s attached %(name)s (%(size)s) to a brief") % {
        "who": _who(e), "name": _quoted(e.object_repr),
        "size": filesizeformat(e.changes.get("size") or 0),
    }


def _brief_attachment_deleted(e: Entry) -> str:
    return _("%(who)s removed the attachment %(name)s from a brief") % {
        "who": _who(e), "name": _quoted(e.object_repr),
    }


def _brief_sent(e: Entry) -> str:
    # "Brief of Spring launch v2 → Tess × Spring launch": the version, then the partnership.
    version, _arrow, partnership = e.object_repr.partition(" → ")
    campaign, number = _brief(version)
    return _("%(who)s sent version %(number)s of the %(campaign)s brief to %(creator)s") % {
        "who": _who(e), "number": e.changes.get("number") or number, "campaign": campaign,
        "creator": partnership.split(" × ")[0] or _("a creator"),
    }


# --- Deliverables and drafts ----------------------------------------------------------------
def _deliverable_created(e: Entry) -> str:
    values = {"who": _who(e), "deliverable": e.object_repr,
              "amount": _value("fee_share", e.changes.get("fee_share"), e.currency)}
    if e.changes.get("fee_share") is None or _is_zero(e.changes["fee_share"]):
        return _("%(who)s added the deliverable %(deliverable)s") % values
    return _("%(who)s added the deliverable %(deliverable)s with a fee share of "
             "%(amount)s") % values


def _deliverable_changed(e: Entry) -> str:
    return _("%(who)s changed the deliverable %(deliverable)s: %(changes)s") % {
        "who": _who(e), "deliverable": e.object_repr, "changes": _changes(e),
    }


def _deliverable_deleted(e: Entry) -> str:
    return _("%(who)s deleted the deliverable %(deliverable)s (%(status)s)") % {
        "who": _who(e), "deliverable": e.object_repr,
        "status": _value("status", e.changes.get("status")),
    }


def _deliverable_post_linked(e: Entry) -> str:
    return _("%(who)s linked post #%(post)s to the deliverable %(deliverable)s") % {
        "who": _who(e), "post": e.changes.get("post"), "deliverable": e.object_repr,
    }


def _deliverable_status_changed(e: Entry) -> str:
    old, new = _pair(e.changes.get("status"))
    values = {"who": _who(e), "deliverable": e.object_repr, "old": _value("status", old),
              "new": _value("status", new)}
    reason = e.changes.get("reason")
    if reason:
        return _("%(who)s moved the deliverable %(deliverable)s from %(old)s to %(new)s: "
                 "%(reason)s") % {**values, "reason": _value("reason", reason)}
    return _("%(who)s moved the deliverable %(deliverable)s from %(old)s to %(new)s") % values


def _draft(e: Entry) -> tuple[str, str]:
    """``Draft 2 of 1 × Instagram Reel`` → ``("2", "1 × Instagram Reel")``."""
    match = _DRAFT.match(e.object_repr)
    number, deliverable = (match["number"], match["deliverable"]) if match else ("", "")
    return str(e.changes.get("number") or number), deliverable or e.object_repr


def _finding(rule: str, count: int) -> str:
    """One rule of the caption check (``content.checks``), as many times as it failed."""
    if rule == "disclosure_missing":
        return _("no disclosure")
    if rule == "disclosure_late":
        return _("a disclosure too far into the caption")
    if rule == "hashtag_missing":
        return ngettext("%(count)s missing hashtag", "%(count)s missing hashtags",
                        count) % {"count": count}
    if rule == "mention_missing":
        return ngettext("%(count)s missing mention", "%(count)s missing mentions",
                        count) % {"count": count}
    if rule == "forbidden_word":
        return ngettext("%(count)s forbidden word", "%(count)s forbidden words",
                        count) % {"count": count}
    return rule.replace("_", " ")


def _draft_submitted(e: Entry) -> str:
    number, deliverable = _draft(e)
    values = {"who": _who(e), "number": number, "deliverable": deliverable}
    rules: list[str] = [str(rule) for rule in e.changes.get("findings") or []]
    if not rules:
        return _("%(who)s submitted draft %(number)s of %(deliverable)s") % values
    findings = _listed([_finding(rule, rules.count(rule)) for rule in dict.fromkeys(rules)])
    return _("%(who)s submitted draft %(number)s of %(deliverable)s; the caption check found "
             "%(findings)s") % {**values, "findings": findings}


def _draft_reviewed(e: Entry) -> str:
    number, deliverable = _draft(e)
    comment = str(e.changes.get("comment") or "").strip()
    values = {"who": _who(e), "number": number, "deliverable": deliverable,
              "comment": _quoted(Truncator(comment).chars(COMMENT_LENGTH))}
    if e.changes.get("decision") == "request_changes":
        if comment:
            return _("%(who)s requested changes to draft %(number)s of %(deliverable)s: "
                     "%(comment)s") % values
        return _("%(who)s requested changes to draft %(number)s of %(deliverable)s") % values
    if comment:
        return _("%(who)s approved draft %(number)s of %(deliverable)s: %(comment)s") % values
    return _("%(who)s approved draft %(number)s of %(deliverable)s") % values


# --- Payouts ------------------------------------------------------------------------------------
def _payout(e: Entry) -> dict[str, str]:
    """A payout line's parts from ``Fee 500.00 USD (Tess × Spring launch)``: the amount with
    its currency, the partnership and its creator."""
    match = _PAYOUT_LINE.match(e.object_repr)
    currency = e.currency or (match["currency"] if match else "")
    partnership = match["partnership"] if match else e.object_repr
    amount = _new(e, "amount")
    if amount is None and match:
        amount = match["amount"]
    return {
        "who": _who(e), "amount": _value("amount", amount, currency), "currency": currency,
        "partnership": partnership, "creator": partnership.split(" × ")[0] or _("a creator"),
    }


def _payout_approved(e: Entry) -> str:
    return _("%(who)s approved a payout of %(amount)s to %(creator)s") % _payout(e)


def _payout_paid(e: Entry) -> str:
    values = {**_payout(e), "date": e.changes.get("paid_on") or "",
              "method": _value("method", e.changes.get("method")),
              "reference": e.changes.get("reference") or ""}
    if values["reference"]:
        return _("%(who)s marked a payout of %(amount)s to %(creator)s paid on %(date)s "
                 "(%(method)s, %(reference)s)") % values
    return _("%(who)s marked a payout of %(amount)s to %(creator)s paid on %(date)s "
             "(%(method)s)") % values


def _payout_deleted(e: Entry) -> str:
    return _("%(who)s deleted the accrued %(kind)s of %(amount)s for %(creator)s") % {
        **_payout(e), "kind": _value("kind", e.changes.get("kind")),
    }


def _moved(e: Entry) -> dict[str, str]:
    values = _payout(e)
    return {**values, "old": _value("amount", _old(e, "amount")),
            "new": _value("amount", _new(e, "amount"), values["currency"])}


def _payout_commission_changed(e: Entry) -> str:
    return _("Commission for %(partnership)s moved from %(old)s to %(new)s after a "
             "recompute") % _moved(e)


def _payout_product_changed(e: Entry) -> str:
    return _("Product value for %(partnership)s moved from %(old)s to %(new)s after a "
             "recompute") % _moved(e)


def _payout_commission_adjusted(e: Entry) -> str:
    values = _payout(e)
    return _("A commission adjustment of %(amount)s for %(partnership)s was added after a "
             "recompute, bringing the commission to %(target)s") % {
        **values, "target": _value("amount", e.changes.get("target"), values["currency"]),
    }


# --- Share links and digests ------------------------------------------------------------------
def _link(e: Entry) -> dict[str, Any]:
    # An unlabelled link reads "Share link …a1b2": named by the end of its token.
    name = e.object_repr
    unlabelled = name.startswith(_SHARE_LINK_UNLABELLED)
    return {"who": _who(e), "campaign": e.changes.get("campaign") or "",
            "link": name[len(_SHARE_LINK_UNLABELLED):] if unlabelled else _quoted(name)}


def _share_link_created(e: Entry) -> str:
    text = _("%(who)s created the share link %(link)s to the %(campaign)s report") % _link(e)
    details = []
    if e.changes.get("show_costs"):
        details.append(_("with costs, fees and ROI"))
    if e.changes.get("expires_at"):
        details.append(_("until %(date)s") % {"date": str(e.changes["expires_at"])[:10]})
    if not details:
        return text
    listed = details[0]
    for detail in details[1:]:
        listed = _("%(list)s, %(item)s") % {"list": listed, "item": detail}
    return _("%(sentence)s (%(details)s)") % {"sentence": text, "details": listed}


def _share_link_revoked(e: Entry) -> str:
    return _("%(who)s revoked the share link %(link)s to the %(campaign)s report") % _link(e)


def _share_link_deleted(e: Entry) -> str:
    return _("%(who)s deleted the share link %(link)s to the %(campaign)s report") % _link(e)


_NOT_CHANGES = frozenset({"campaign"})  # the schedule's campaign, named beside its changes


def _digest(e: Entry) -> dict[str, Any]:
    return {"who": _who(e), "campaign": e.changes.get("campaign") or "",
            "email": e.changes.get("email") or e.object_repr}


def _digest_schedule_created(e: Entry) -> str:
    # A new schedule records only the settings that differ from a new row's.
    settings = _listed([
        _("%(field)s %(value)s") % {"field": _field(name), "value": _value(name, _pair(v)[1])}
        for name, v in e.changes.items() if name not in _NOT_CHANGES
    ])
    if settings:
        return _("%(who)s scheduled the %(campaign)s digest: %(settings)s") % {
            **_digest(e), "settings": settings,
        }
    return _("%(who)s scheduled the %(campaign)s digest") % _digest(e)


def _digest_schedule_changed(e: Entry) -> str:
    changes = _changes(e, leave_out=_NOT_CHANGES)
    if changes:
        return _("%(who)s changed the %(campaign)s digest's %(changes)s") % {
            **_digest(e), "changes": changes,
        }
    return _("%(who)s saved the %(campaign)s digest's schedule unchanged") % _digest(e)


def _digest_schedule_deleted(e: Entry) -> str:
    return _("%(who)s deleted the %(campaign)s digest and its recipients") % _digest(e)


def _digest_recipient_added(e: Entry) -> str:
    return _("%(who)s added %(email)s to the %(campaign)s digest") % _digest(e)


def _digest_recipient_removed(e: Entry) -> str:
    return _("%(who)s removed %(email)s from a digest") % _digest(e)


def _digest_recipient_unsubscribed(e: Entry) -> str:
    return _("The recipient %(email)s unsubscribed from a digest") % _digest(e)


def _digest_recipient_resubscribed(e: Entry) -> str:
    return _("The recipient %(email)s subscribed to a digest again") % _digest(e)


def _digest_sent_now(e: Entry) -> str:
    count = e.changes.get("recipients") or 0
    return ngettext(
        "%(who)s sent the %(campaign)s digest to %(count)s recipient outside its schedule",
        "%(who)s sent the %(campaign)s digest to %(count)s recipients outside its schedule",
        count,
    ) % {**_digest(e), "count": count}


WORKFLOW_SENTENCES: dict[str, Callable[[Entry], str]] = {
    "brief.version_created": _brief_version_created,
    "brief.attachment_added": _brief_attachment_added,
    "brief.attachment_deleted": _brief_attachment_deleted,
    "brief.sent": _brief_sent,
    "deliverable.created": _deliverable_created,
    "deliverable.changed": _deliverable_changed,
    "deliverable.deleted": _deliverable_deleted,
    "deliverable.post_linked": _deliverable_post_linked,
    "deliverable.status_changed": _deliverable_status_changed,
    "draft.submitted": _draft_submitted,
    "draft.reviewed": _draft_reviewed,
    "payout.approved": _payout_approved,
    "payout.paid": _payout_paid,
    "payout.deleted": _payout_deleted,
    "payout.commission_changed": _payout_commission_changed,
    "payout.product_changed": _payout_product_changed,
    "payout.commission_adjusted": _payout_commission_adjusted,
    "share_link.created": _share_link_created,
    "share_link.revoked": _share_link_revoked,
    "share_link.deleted": _share_link_deleted,
    "digest_schedule.created": _digest_schedule_created,
    "digest_schedule.changed": _digest_schedule_changed,
    "digest_schedule.deleted": _digest_schedule_deleted,
    "digest_recipient.added": _digest_recipient_added,
    "digest_recipient.removed": _digest_recipient_removed,
    "digest_recipient.unsubscribed": _digest_recipient_unsubscribed,
    "digest_recipient.resubscribed": _digest_recipient_resubscribed,
    "digest.sent_now": _digest_sent_now,
}
