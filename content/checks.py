"""The disclosure and requirements check of a caption, pure (no Django), so drafts, live posts
and tests share one rule book.

A caption passes when one of the disclosure tags starts within the first ``window`` characters
(what a feed shows before "more"), every required hashtag and mention is there and no forbidden
word is. Tags, mentions and words match whole and in any case: ``#ad`` is not ``#adventure``,
``@nike`` is not ``@nike.running``, "free" is not "carefree". Text is compared after Unicode
normalisation (NFC; Arabic yeh and kaf as their Persian forms; zero-width joiners dropped), so a
Persian caption typed on an Arabic keyboard still carries its ``#تبلیغ``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DISCLOSURE_MISSING = "disclosure_missing"
DISCLOSURE_LATE = "disclosure_late"
HASHTAG_MISSING = "hashtag_missing"
MENTION_MISSING = "mention_missing"
FORBIDDEN_WORD = "forbidden_word"
RULES = (DISCLOSURE_MISSING, DISCLOSURE_LATE, HASHTAG_MISSING, MENTION_MISSING, FORBIDDEN_WORD)

DEFAULT_DISCLOSURES: tuple[str, ...] = ("#ad", "#sponsored", "#partner")
PERSIAN_DISCLOSURES: tuple[str, ...] = ("#تبلیغ", "#آگهی", "#اسپانسر")
# What Instagram and TikTok print above a post the creator flagged as sponsored.
PAID_PARTNERSHIP = "paid partnership"

# Arabic code points a Persian text may carry from an Arabic keyboard, as their Persian forms;
# zero-width (non-)joiners only shape letters, so "تبلیغ" with one inside is the same word.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": None, "\u200d": None,
                       "\ufeff": None, "\u200b": None})
# A letter, digit or underscore, or a combining mark (Arabic vowel signs, accents) that would
# continue a word: a match must not be glued to one on either side.
_WORD = r"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
# A handle goes on through dots between its characters (@nike.running), not through a
# sentence's final full stop.
_HANDLE_GOES_ON = rf"{_WORD}|\.{_WORD}"


@dataclass(frozen=True)
class Rules:
    disclosures: tuple[str, ...]
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    window: int = 125


@dataclass(frozen=True)
class Finding:
    """A rule the caption failed; ``detail`` is the exact tag, mention or word concerned (for
    a missing disclosure: the accepted tags, comma-separated)."""

    rule: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "detail": self.detail}


def default_disclosures(language: str) -> tuple[str, ...]:
    """The disclosure tags an organisation accepts unless it names its own."""
    if (language or "").lower().split("-")[0] == "fa":
        return DEFAULT_DISCLOSURES + PERSIAN_DISCLOSURES
    return DEFAULT_DISCLOSURES


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)


def _clean(term: str) -> str:
    return normalize(term).strip()


def _pattern(term: str, *, handle: bool = False) -> re.Pattern[str]:
    words = [re.escape(part) for part in term.split()]
    body = r"\s+".join(words)
    after = _HANDLE_GOES_ON if handle else _WORD
    return re.compile(rf"(?<!{_WORD}){body}(?!{after})", re.IGNORECASE)


def find(caption: str, term: str, *, handle: bool = False) -> int | None:
    """Where ``term`` first occurs whole in ``caption`` (both normalised), else None."""
    cleaned = _clean(term)
    if not cleaned:
        return None
    match = _pattern(cleaned, handle=handle).search(normalize(caption))
    return match.start() if match else None


def _prefixed(term: str, sign: str) -> str:
    cleaned = _clean(term)
    return cleaned if cleaned.startswith(sign) else f"{sign}{cleaned}"


def check_caption(
    caption: str, rules: Rules, *, paid_partnership: bool = False
) -> list[Finding]:
    """Every rule ``caption`` fails, in the order a reviewer reads them (disclosure first).
    ``paid_partnership``: the platform shows its own sponsorship label on the post (a
    connector reported the flag), which discloses it wherever the caption's tags stand."""
    findings: list[Finding] = []
    text = normalize(caption)
    disclosures = tuple(d for d in (_clean(d) for d in rules.disclosures) if d)
    if disclosures and not paid_partnership:
        starts = sorted(
            (start, tag) for tag in disclosures
            if (start := find(text, tag)) is not None
        )
        if not starts:
            findings.append(Finding(DISCLOSURE_MISSING, ", ".join(disclosures)))
        elif starts[0][0] >= rules.window:
            findings.append(Finding(DISCLOSURE_LATE, starts[0][1]))
    for tag in rules.hashtags:
        if _clean(tag) and find(text, _prefixed(tag, "#")) is None:
            findings.append(Finding(HASHTAG_MISSING, _prefixed(tag, "#")))
    for mention in rules.mentions:
        if _clean(mention) and find(text, _prefixed(mention, "@"), handle=True) is None:
            findings.append(Finding(MENTION_MISSING, _prefixed(mention, "@")))
    for word in rules.forbidden:
        if _clean(word) and find(text, word) is not None:
            findings.append(Finding(FORBIDDEN_WORD, _clean(word)))
    return findings
