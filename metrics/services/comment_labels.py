"""A manager's correction of a comment's sentiment label (VADER misreads some negations:
"My skin has never looked better" scores negative).

A corrected label is stored with ``sentiment_source = manual``: the KPI engine counts it like
any label, and neither re-ingestion (``comments_ingest``) nor the labelling task
(``comments_label_pending``) touches it. Handing the label back to the model relabels the
comment with its current text. Every change is audited and recomputes the campaign.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access
from accounts.writes import ensure_in_organization, require_write
from metrics.models import Comment, LabelSource, Sentiment
from metrics.scheduling import schedule_kpi_recompute

MACHINE = "machine"  # the choice that hands the label back to the model


@transaction.atomic
def comment_label_correct(*, access: Access, comment: Comment, sentiment: str) -> Comment:
    """Set ``comment``'s label by hand (``positive``/``neutral``/``negative``), or give it back
    to the model (``machine``)."""
    from metrics.sentiment import label

    require_write(access, Comment)
    ensure_in_organization(access, comment)
    if sentiment != MACHINE and sentiment not in Sentiment.values:
        raise ValidationError(
            {"sentiment": [_("Choose positive, neutral, negative or machine.")]}
        )
    row = Comment.objects.select_for_update().select_related(
        "post__partnership__influencer"
    ).get(pk=comment.pk)
    before = (row.sentiment, row.sentiment_source)
    if sentiment == MACHINE:
        row.sentiment, row.compound = label(row.text)
        row.sentiment_source = LabelSource.MACHINE
        row.corrected_by, row.corrected_at = None, None
    else:
        row.sentiment = sentiment
        row.sentiment_source = LabelSource.MANUAL
        row.corrected_by, row.corrected_at = access.user, timezone.now()
    if (row.sentiment, row.sentiment_source) == before:
        return row
    row.full_clean()
    row.save(update_fields=["sentiment", "compound", "sentiment_source", "corrected_by",
                            "corrected_at"])
    audit_record(
        access=access, organization=access.organization, action="comment.label_corrected",
        obj=row, changes={
            "sentiment": [before[0] or None, row.sentiment],
            "source": [before[1], row.sentiment_source],
            "creator": row.post.partnership.influencer.name,
        },
    )
    schedule_kpi_recompute([row.post.partnership.campaign_id])
    return row
