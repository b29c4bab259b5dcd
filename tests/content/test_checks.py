"""The caption check over real-looking captions: no database, no Django."""

from __future__ import annotations

import pytest

from content.checks import (
    DISCLOSURE_LATE,
    DISCLOSURE_MISSING,
    FORBIDDEN_WORD,
    HASHTAG_MISSING,
    MENTION_MISSING,
    Finding,
    Rules,
    check_caption,
    default_disclosures,
)

EN = Rules(disclosures=("#ad", "#sponsored", "#partner"))
FA = Rules(disclosures=default_disclosures("fa"))
FULL = Rules(
    disclosures=("#ad", "#sponsored"),
    hashtags=("#GlowUp", "summerglow"),
    mentions=("@LumiSkin", "lumi.shop"),
    forbidden=("cure", "guaranteed results"),
)
LONG_INTRO = (
    "Golden hour on the terrace ☀️ and honestly the best skin week I've had in months. "
    "Three drops morning and night, that's the whole routine, nothing else changed. "
)
FIRST_COMMENT_BLOCK = "\n.\n.\n.\n#GlowUp #summerglow #skincare #ad"

CASES: list[tuple[str, str, Rules, list[Finding]]] = [
    ("ad at the very start", "#ad Morning routine with @lumiskin 💧", EN, []),
    ("upper case counts", "#AD New drop just landed ✨", EN, []),
    ("mixed case counts", "#Sponsored | my 3 picks for autumn 🍂", EN, []),
    ("adventure is not ad", "#adventure time in the Alps 🏔️ #travel", EN,
     [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("adidas is not ad", "New kicks 👟 #adidas #ootd", EN,
     [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("partnership is not partner", "Loving this #partnership vibe", EN,
     [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("no disclosure at all", "Just me and my coffee ☕", EN,
     [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("empty caption", "", EN, [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("glued to an emoji", "🔥#ad this serum!", EN, []),
    ("followed by punctuation", "Obsessed (#ad). Link in bio", EN, []),
    ("on its own line after line breaks", "New in!\n\n#ad\nmore below", EN, []),
    ("late in a long caption", LONG_INTRO + "Code GLOW15 for 15% off. #ad", EN,
     [Finding(DISCLOSURE_LATE, "#ad")]),
    ("early one wins over a late one", "#partner " + LONG_INTRO + "#ad", EN, []),
    ("a word inside a hashtag does not count", "#adorable puppy, not sponsored", EN,
     [Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")]),
    ("an e-mail is no mention", "#ad write to me at hi@lumiskin.com", Rules(
        disclosures=("#ad",), mentions=("@lumiskin",)),
     [Finding(MENTION_MISSING, "@lumiskin")]),
    ("everything in order with a first-comment block",
     "#ad Three drops, that's it 💧 thanks @LUMISKIN and @lumi.shop" + FIRST_COMMENT_BLOCK,
     FULL, []),
    ("hashtags only in the first-comment block still count",
     "#sponsored My routine with @lumiskin @lumi.shop" + FIRST_COMMENT_BLOCK, FULL, []),
    ("disclosure only in the first-comment block is late",
     LONG_INTRO + "@lumiskin @lumi.shop" + FIRST_COMMENT_BLOCK, FULL,
     [Finding(DISCLOSURE_LATE, "#ad")]),
    ("required hashtag missing, a longer one does not stand in",
     "#ad #GlowUpChallenge #summerglow @lumiskin @lumi.shop", FULL,
     [Finding(HASHTAG_MISSING, "#GlowUp")]),
    ("mention case does not matter, a longer handle does not count",
     "#ad #glowup #SUMMERGLOW @LumiSkinOfficial @Lumi.Shop", FULL,
     [Finding(MENTION_MISSING, "@LumiSkin")]),
    ("a handle with more after a dot is another handle",
     "#ad #glowup #summerglow @lumiskin @lumi.shop.de", FULL,
     [Finding(MENTION_MISSING, "@lumi.shop")]),
    ("a handle at the end of a sentence counts",
     "#ad #glowup #summerglow thanks @lumiskin. And @lumi.shop.", FULL, []),
    ("forbidden word and phrase, any case",
     "#ad #glowup #summerglow @lumiskin @lumi.shop It will CURE acne, Guaranteed   results!",
     FULL, [Finding(FORBIDDEN_WORD, "cure"), Finding(FORBIDDEN_WORD, "guaranteed results")]),
    ("forbidden word inside another word does not count",
     "#ad #glowup #summerglow @lumiskin @lumi.shop A secure, curated routine", FULL, []),
    ("everything wrong at once", "so pretty 😍", FULL, [
        Finding(DISCLOSURE_MISSING, "#ad, #sponsored"),
        Finding(HASHTAG_MISSING, "#GlowUp"), Finding(HASHTAG_MISSING, "#summerglow"),
        Finding(MENTION_MISSING, "@LumiSkin"), Finding(MENTION_MISSING, "@lumi.shop"),
    ]),
    # Persian
    ("Persian disclosure at the start", "#تبلیغ روتین صبحگاهی من با سرم جدید 💧", FA, []),
    ("Persian disclosure typed with an Arabic yeh", "#تبليغ روتین صبحگاهی من", FA, []),
    ("Persian disclosure with a zero-width non-joiner", "#آگهی\u200c روتین صبحگاهی", FA, []),
    ("Persian alternative tag", "سرم جدید رو امتحان کردم #اسپانسر", FA, []),
    ("English tags still count for a Persian organisation", "#ad سرم جدید", FA, []),
    ("a longer Persian hashtag is not the disclosure", "#تبلیغات_خوب سرم جدید", FA,
     [Finding(DISCLOSURE_MISSING, ", ".join(default_disclosures("fa")))]),
    ("Persian disclosure late in a long caption",
     "امروز " * 30 + "#تبلیغ", FA, [Finding(DISCLOSURE_LATE, "#تبلیغ")]),
    ("Persian forbidden word",
     "#تبلیغ این کرم معجزه میکند", Rules(disclosures=("#تبلیغ",), forbidden=("معجزه",)),
     [Finding(FORBIDDEN_WORD, "معجزه")]),
    ("Persian forbidden word written with Arabic letters still matches",
     "#تبلیغ پوست كاملا صاف", Rules(disclosures=("#تبلیغ",), forbidden=("کاملا",)),
     [Finding(FORBIDDEN_WORD, "کاملا")]),
    ("Persian required hashtag and mention",
     "#تبلیغ با @LumiSkin #پوست_سالم", Rules(
         disclosures=("#تبلیغ",), hashtags=("پوست_سالم",), mentions=("lumiskin",)), []),
]


@pytest.mark.parametrize(("caption", "rules", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_caption(caption: str, rules: Rules, expected: list[Finding]) -> None:
    assert check_caption(caption, rules) == expected


def test_the_platforms_paid_partnership_label_is_a_disclosure() -> None:
    caption = LONG_INTRO + "no tag here"
    assert check_caption(caption, EN) == [
        Finding(DISCLOSURE_MISSING, "#ad, #sponsored, #partner")
    ]
    assert check_caption(caption, EN, paid_partnership=True) == []


def test_the_label_does_not_excuse_the_other_rules() -> None:
    assert check_caption("hi", FULL, paid_partnership=True)[0] == Finding(
        HASHTAG_MISSING, "#GlowUp"
    )


def test_the_window_is_the_rules() -> None:
    caption = "x" * 20 + " #ad"
    assert check_caption(caption, Rules(disclosures=("#ad",), window=30)) == []
    assert check_caption(caption, Rules(disclosures=("#ad",), window=21)) == [
        Finding(DISCLOSURE_LATE, "#ad")
    ]


def test_no_disclosure_rule_without_disclosures() -> None:
    assert check_caption("anything", Rules(disclosures=())) == []


def test_default_disclosures() -> None:
    assert default_disclosures("en") == ("#ad", "#sponsored", "#partner")
    assert default_disclosures("") == ("#ad", "#sponsored", "#partner")
    assert default_disclosures("fa") == (
        "#ad", "#sponsored", "#partner", "#تبلیغ", "#آگهی", "#اسپانسر"
    )


def test_a_finding_as_dict() -> None:
    assert Finding(HASHTAG_MISSING, "#GlowUp").as_dict() == {
        "rule": "hashtag_missing", "detail": "#GlowUp"
    }
