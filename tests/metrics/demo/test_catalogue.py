import re

import pytest

from content.checks import DISCLOSURE_MISSING, Rules, check_caption, default_disclosures
from metrics.demo.build import DEMOS
from metrics.demo.catalogue import new_webhook_secret
from metrics.demo.spec import DemoSpec

PERSIAN_LETTERS = re.compile(r"[\u0600-\u06FF]")


def test_the_webhook_secret_is_long_and_random_on_every_call():
    made = {new_webhook_secret() for _ in range(50)}
    assert len(made) == 50
    assert all(len(secret.removeprefix("shpss_demo_")) == 64 for secret in made)


def _rules(spec: DemoSpec) -> tuple[Rules, dict[str, str]]:
    brief = spec.brief
    assert brief is not None
    campaign = spec.campaign(brief.stage)
    handle = spec.brands[campaign.brand].accounts[0][1]
    rules = Rules(disclosures=default_disclosures(spec.default_language), hashtags=(
        campaign.hashtag,), mentions=(handle,), forbidden=brief.forbidden)
    return rules, {"mention": handle, "hashtag": campaign.hashtag, "code": "CODE15"}


@pytest.mark.parametrize("lang", sorted(DEMOS))
def test_the_briefs_drafts_fail_only_where_the_demo_means_them_to(lang):
    """Approved drafts pass the brief's caption rules (a Persian one with its #تبلیغ); the one
    left waiting for review misses the disclosure and nothing else."""
    spec = DEMOS[lang]
    rules, words = _rules(spec)
    waiting = []
    for item in spec.brief.deliverables:
        for step in item.drafts:
            findings = [f.rule for f in check_caption(step.caption.format(**words), rules)]
            if step.decision == "approve":
                assert findings == [], step.caption
            elif not step.decision:
                waiting.append(findings)
    assert waiting == [[DISCLOSURE_MISSING]]


@pytest.mark.parametrize("lang", sorted(DEMOS))
def test_the_brief_is_written_in_the_demos_language(lang):
    spec = DEMOS[lang]
    brief = spec.brief
    texts = [brief.goal, *brief.key_messages, brief.dos, brief.donts, brief.links_and_codes,
             *brief.forbidden,
             *(text for item in brief.deliverables for step in item.drafts
               for text in (step.caption, step.comment) if text)]
    persian = spec.default_language == "fa"
    for text in texts:
        assert bool(PERSIAN_LETTERS.search(text)) == persian, text
