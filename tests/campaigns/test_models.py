"""The database constraints of the campaigns models (campaigns/models.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f


def test_a_link_slug_is_unique(db):
    link = f.TrackingLinkFactory(slug="spring")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TrackingLinkFactory(slug="spring", partnership=link.partnership)


def test_a_campaign_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CampaignFactory(start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 9))
    one_day = f.CampaignFactory(start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10))
    assert one_day.pk is not None


def test_full_clean_names_the_end_date_problem(db):
    campaign = f.CampaignFactory.build(
        brand=f.BrandFactory(), start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 9)
    )
    with pytest.raises(ValidationError):
        campaign.full_clean()
