"""Comment sentiment with VADER (offline; the lexicon ships inside vaderSentiment).

VADER reads English. A comment written in another script (Persian, Arabic, Cyrillic…) is
labelled ``unread``: counted as such on the report, in no sentiment label and not in the net
sentiment, rather than scored by an English lexicon that cannot read it (no lexicon for
Persian ships offline in a maintained package; a manager may label such a comment by hand).

Thresholds are VADER's own convention (Hutto & Gilbert, ICWSM 2014): compound ``>= 0.05``
positive, ``<= -0.05`` negative, else neutral.

VADER misreads some negations ("My skin has never looked better" scores negative); a manager
corrects those (``metrics.services.comment_labels``), and no path here touches a corrected
label. Lexicons that ship offline (TextBlob, AFINN) did worse on a hand-labelled sample, and
transformer models would need weights downloaded at run time (docs/architecture.md).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction
from django.db.models import QuerySet
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from metrics.kpis import sentiment_label
from metrics.models import Comment, LabelSource, Sentiment
from metrics.services.event_rollups import comment_rollups_change

# Latin letters, with the Latin-1 and Latin Extended blocks (accents: "très", "łódź").
LATIN_END = 0x250


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~100 ms; one analyzer per process is enough (it is stateless).
    return SentimentIntensityAnalyzer()


def score(text: str) -> float:
    return float(_analyzer().polarity_scores(text or "")["compound"])


def reads(text: str) -> bool:
    """Whether VADER can read the text: its letters are mostly Latin (VADER's lexicon is
    English). Persian, Arabic, Russian, Chinese… are not guessed at; text without letters
    (emoji, punctuation) is, as VADER's emoji lexicon reads those."""
    latin = other = 0
    for char in text or "":
        if char.isalpha():
            if ord(char) < LATIN_END:
                latin += 1
            else:
                other += 1
    return other <= latin


def label(text: str) -> tuple[str, float | None]:
    """``(label, compound)`` for a comment's text: positive/neutral/negative, or ``unread``
    (no score) for a language the model does not read — never an English guess at it."""
    if not reads(text):
        return Sentiment.UNREAD, None
    compound = score(text)
    return sentiment_label(compound), compound


def comments_label_pending(*, queryset: QuerySet[Comment] | None = None, batch_size: int = 500,
                           limit: int | None = None) -> set[int]:
    """Label comments whose ``sentiment`` is empty, in batches (one bulk UPDATE per batch).

    Returns the ids of the campaigns whose comments changed. Idempotent: a comment labelled
    meanwhile by another worker is simply labelled again with the same result. A label a
    manager corrected is never touched (it is never empty either; the filter says so twice)."""
    base = queryset if queryset is not None else Comment.objects.all()
    base = base.filter(sentiment="").exclude(sentiment_source=LabelSource.MANUAL)
    campaigns: set[int] = set()
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        rows = list(
            base.order_by("pk").values_list(
                "pk", "text", "post__partnership__campaign_id", "post_id", "posted_at"
            )[:size]
        )
        if not rows:
            break
        labels = {pk: label(text) for pk, text, *_ in rows}
        with transaction.atomic():
            # Only what is still unlabelled under the lock: another worker's labels were
            # counted in the rollups already.
            pending = set(Comment.objects.select_for_update().filter(
                pk__in=labels, sentiment="").values_list("pk", flat=True))
            batch, removed, added = [], [], []
            for pk, _text, campaign_id, post_id, posted_at in rows:
                if pk not in pending:
                    continue
                sentiment, compound = labels[pk]
                batch.append(Comment(pk=pk, sentiment=sentiment, compound=compound))
                campaigns.add(campaign_id)
                removed.append((post_id, posted_at, ""))
                added.append((post_id, posted_at, sentiment))
            Comment.objects.bulk_update(batch, ["sentiment", "compound"])
            comment_rollups_change(removed=removed, added=added)
        done += len(rows)
        if len(rows) < size:
            break
    return campaigns
