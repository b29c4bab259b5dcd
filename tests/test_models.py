import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.services import promo_code_create
from metrics.models import FollowerSnapshot
from tests import factories as f


def test_a_promo_code_is_unique_per_brand_in_any_case(team):
    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    promo_code_create(access=team.access("manager"), partnership=partnership, code="GLOW20")
    other = f.PartnershipFactory(campaign__brand=partnership.campaign.brand)
    with pytest.raises(ValidationError) as error:
        promo_code_create(access=team.access("manager"), partnership=other, code="glow20")
    assert "code" in error.value.message_dict


def test_another_brand_may_use_the_same_code(team):
    first = f.PartnershipFactory(campaign__brand__organization=team.organization)
    second = f.PartnershipFactory(campaign__brand__organization=team.organization)
    promo_code_create(access=team.access("manager"), partnership=first, code="GLOW20")
    promo_code_create(access=team.access("manager"), partnership=second, code="GLOW20")


def test_a_code_may_return_in_a_later_season(team):
    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    summer = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    autumn = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    promo_code_create(access=team.access("manager"), partnership=partnership, code="SUN",
                      active_from=summer, active_until=autumn)
    promo_code_create(access=team.access("manager"), partnership=partnership, code="sun",
                      active_from=autumn)


def test_a_link_slug_is_unique(db):
    link = f.TrackingLinkFactory(slug="spring")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TrackingLinkFactory(slug="spring", partnership=link.partnership)


def test_one_metric_snapshot_per_post_and_time(db):
    snapshot = f.PostMetricsFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PostMetricsFactory(post=snapshot.post, captured_at=snapshot.captured_at)
    f.PostMetricsFactory(post=snapshot.post,
                         captured_at=snapshot.captured_at + dt.timedelta(hours=1))


def test_one_conversion_per_brand_and_external_id(db):
    conversion = f.ConversionFactory(external_id="5001234567890123456")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ConversionFactory(brand=conversion.brand, external_id="5001234567890123456")
    f.ConversionFactory(external_id="5001234567890123456")  # another brand


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


def test_a_campaign_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CampaignFactory(start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 9))
    f.CampaignFactory(start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10))


def test_full_clean_names_the_end_date_problem(db):
    campaign = f.CampaignFactory.build(
        brand=f.BrandFactory(), start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 9)
    )
    with pytest.raises(ValidationError):
        campaign.full_clean()
