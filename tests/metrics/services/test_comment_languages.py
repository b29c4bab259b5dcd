"""Comments the sentiment model cannot read — Persian, Arabic, Russian — are labelled "not
read", never guessed at with an English lexicon: they are counted apart, stay out of the net
sentiment, and the report says how many there are. A manager may still label one by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from metrics.engine import kpis_recompute
from metrics.models import Comment, KpiSnapshot, Sentiment
from metrics.sentiment import label, reads
from metrics.services.comment_labels import comment_label_correct
from metrics.services.ingestion import comments_ingest
from tests import factories as f

WHEN = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
PERSIAN = [
    "این سرم واقعا عالیه، پوستم خیلی بهتر شده 😍",
    "اصلا راضی نبودم، پوستم حساس شد",
    "قیمتش چنده؟",
]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Love it, ordering now!", True),
        ("Très bien, j'adore", True),  # Latin script with accents
        ("😍😍🔥", True),  # no letters: VADER reads emoji
        ("", True),
        (PERSIAN[0], False),
        ("عالی بود #تبلیغ", False),
        ("Отличный продукт", False),
        ("love it اما گرونه واقعا خیلی", False),  # mostly Persian letters
    ],
)
def test_the_model_reads_only_what_its_lexicon_can(text: str, read: bool) -> None:
    assert reads(text) is read
    labelled, compound = label(text)
    if read:
        assert labelled in (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)
        assert compound is not None
    else:
        assert (labelled, compound) == (Sentiment.UNREAD, None)


@pytest.fixture
def post(team):
    return f.PostFactory(partnership__campaign__brand__organization=team.organization)


def _ingest(team, post, texts: list[str]) -> None:
    comments_ingest(
        organization=team.organization,
        items=[{"post": post, "external_id": f"c{i}", "text": text, "posted_at": WHEN}
               for i, text in enumerate(texts)],
    )


@pytest.mark.django_db
def test_unread_comments_are_counted_apart_and_not_in_the_net_sentiment(team, post, client_for):
    _ingest(team, post, [*PERSIAN, "Love it, ordering now!"])
    assert Comment.objects.filter(sentiment=Sentiment.UNREAD).count() == 3
    kpis_recompute(campaign_id=post.partnership.campaign_id)
    total = KpiSnapshot.objects.get(campaign=post.partnership.campaign, scope="total")
    sentiment = total.data["sentiment"]
    assert (sentiment["positive"], sentiment["total"], sentiment["unread"]) == (1, 1, 3)
    assert sentiment["net_sentiment"] == 100.0
    page = client_for(team.viewer).get(reverse("campaign_detail", args=[post.partnership.campaign_id]))
    assert "3 comments were not read: the sentiment model reads English only." in (
        page.content.decode()
    )


@pytest.mark.django_db
def test_a_manager_labels_an_unread_comment_by_hand(team, post):
    _ingest(team, post, PERSIAN[:1])
    comment = Comment.objects.get()
    comment_label_correct(
        access=team.access(Role.MANAGER), comment=comment, sentiment=Sentiment.POSITIVE
    )
    kpis_recompute(campaign_id=post.partnership.campaign_id)
    total = KpiSnapshot.objects.get(campaign=post.partnership.campaign, scope="total")
    assert (total.data["sentiment"]["positive"], total.data["sentiment"]["unread"]) == (1, 0)
