"""campaigns/services.py: the promo-code rules — one code per brand in any case, another
brand may use it, and a code may return in a later season."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import PromoCode
from campaigns.services import promo_code_create
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
    stored = PromoCode.objects.filter(code="GLOW20")
    assert {c.partnership.campaign.brand_id for c in stored} == {
        first.campaign.brand_id, second.campaign.brand_id
    }


def test_a_code_may_return_in_a_later_season(team):
    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    summer = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    autumn = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    promo_code_create(access=team.access("manager"), partnership=partnership, code="SUN",
                      active_from=summer, active_until=autumn)
    promo_code_create(access=team.access("manager"), partnership=partnership, code="sun",
                      active_from=autumn)
    seasons = PromoCode.objects.filter(partnership=partnership).order_by("active_from")
    assert [(c.active_from, c.active_until) for c in seasons] == [(summer, autumn), (autumn, None)]
