"""The campaign report's read (metrics/selectors/reports.py): through the checkpoint, with the
clearest comments of each sentiment."""

from __future__ import annotations

import pytest
from django.http import Http404

from metrics.models import Sentiment
from metrics.selectors.reports import campaign_report, sample_comments
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_sample_comments_are_the_clearest_of_each_sentiment(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    post = f.PostFactory(partnership__campaign=campaign)
    for compound in (0.2, 0.9, 0.5, 0.7):
        f.CommentFactory(post=post, sentiment=Sentiment.POSITIVE, compound=compound)
    for compound in (-0.3, -0.8):
        f.CommentFactory(post=post, sentiment=Sentiment.NEGATIVE, compound=compound)
    f.CommentFactory(post=f.PostFactory(), sentiment=Sentiment.NEGATIVE, compound=-1.0)
    positive = sample_comments(campaign, Sentiment.POSITIVE)
    negative = sample_comments(campaign, Sentiment.NEGATIVE)
    assert [c.compound for c in positive] == [0.9, 0.7, 0.5]
    assert [c.compound for c in negative] == [-0.8, -0.3]  # another campaign's is not here


def test_a_report_before_the_first_compute_has_no_documents(team) -> None:
    campaign = f.CampaignFactory(brand__organization=team.organization)
    partnership = f.PartnershipFactory(campaign=campaign)
    report = campaign_report(team.access(), campaign.pk)
    assert report.campaign == campaign and report.total is None and report.days == []
    assert report.partnerships == [{"partnership": partnership, "doc": {}}]


def test_another_organizations_report_is_404(team, outsider_team) -> None:
    campaign = f.CampaignFactory(brand__organization=outsider_team.organization)
    with pytest.raises(Http404):
        campaign_report(team.access(), campaign.pk)
