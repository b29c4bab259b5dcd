"""Reads for the comment-label correction: how many of a campaign's labels the model made and
how many a person corrected, and the samples the report shows."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db.models import Count, Q

from campaigns.models import Campaign
from metrics.models import Comment, LabelSource
from metrics.selectors.reports import sample_comments


class LabelCounts(NamedTuple):
    machine: int
    corrected: int


def label_counts(campaign: Campaign | int) -> LabelCounts:
    """Labelled comments of ``campaign`` by who labelled them, in one query."""
    row = Comment.objects.filter(post__partnership__campaign=campaign).exclude(
        sentiment=""
    ).aggregate(
        machine=Count("pk", filter=Q(sentiment_source=LabelSource.MACHINE)),
        corrected=Count("pk", filter=Q(sentiment_source=LabelSource.MANUAL)),
    )
    return LabelCounts(row["machine"], row["corrected"])


def samples(campaign: Campaign) -> dict[str, Any]:
    """What the report's samples block shows: the positive and negative samples (the same
    selector the report uses) and the label counts."""
    return {
        "positive": sample_comments(campaign, "positive"),
        "negative": sample_comments(campaign, "negative"),
        "counts": label_counts(campaign),
    }
