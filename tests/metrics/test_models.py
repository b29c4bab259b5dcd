"""The database constraints of the metrics models (metrics/models/)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from metrics.models import FollowerSnapshot
from tests import factories as f


def test_one_metric_snapshot_per_post_and_time(db):
    snapshot = f.PostMetricsFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PostMetricsFactory(post=snapshot.post, captured_at=snapshot.captured_at)
    f.PostMetricsFactory(post=snapshot.post,
                         captured_at=snapshot.captured_at + dt.timedelta(hours=1))
    assert snapshot.post.metrics.count() == 2


def test_one_conversion_per_brand_and_external_id(db):
    conversion = f.ConversionFactory(external_id="5001234567890123456")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ConversionFactory(brand=conversion.brand, external_id="5001234567890123456")
    other = f.ConversionFactory(external_id="5001234567890123456")  # another brand
    assert other.brand != conversion.brand


def test_a_follower_snapshot_belongs_to_exactly_one_account(db):
    brand_account = f.BrandAccountFactory()
    social_account = f.SocialAccountFactory()
    organization = brand_account.brand.organization
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowerSnapshot.objects.create(organization=organization, brand_account=brand_account,
                                        social_account=social_account, date=dt.date(2026, 3, 1),
                                        followers=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowerSnapshot.objects.create(organization=organization, date=dt.date(2026, 3, 1),
                                        followers=10)


def test_one_follower_snapshot_per_account_and_day(db):
    snapshot = f.FollowerSnapshotFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.FollowerSnapshotFactory(brand_account=snapshot.brand_account, date=snapshot.date)
