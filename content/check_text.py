"""The caption check's findings as sentences for people (the pure module knows no language)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from content import checks


def finding_message(finding: Mapping[str, str]) -> str:
    """One translated sentence naming the rule that failed and the exact tag or word."""
    rule = finding.get("rule", "")
    detail = finding.get("detail", "")
    if rule == checks.DISCLOSURE_MISSING:
        return _("No disclosure: the caption needs one of %(tags)s near its start.") % {
            "tags": detail
        }
    if rule == checks.DISCLOSURE_LATE:
        return _(
            "The disclosure %(tag)s comes too late: put it at the start of the caption, where "
            "it shows before “more”."
        ) % {"tag": detail}
    if rule == checks.HASHTAG_MISSING:
        return _("The required hashtag %(tag)s is missing.") % {"tag": detail}
    if rule == checks.MENTION_MISSING:
        return _("The required mention %(handle)s is missing.") % {"handle": detail}
    if rule == checks.FORBIDDEN_WORD:
        return _("The caption uses the forbidden word “%(word)s”.") % {"word": detail}
    return _("The caption failed the check %(rule)s (%(detail)s).") % {
        "rule": rule, "detail": detail
    }


def finding_messages(findings: list[Mapping[str, str]] | None) -> list[str]:
    return [finding_message(f) for f in findings or []]
