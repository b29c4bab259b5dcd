"""Hand corrections of one conversion or refund (metrics/services/corrections.py): the
conversion rules, attribution kept consistent, the refund ledger's limits, and the recompute of
the old and the new campaign."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from metrics.models import Conversion, Refund
from metrics.services.corrections import (
    conversion_create,
    conversion_delete,
    conversion_update,
    refund_create,
    refund_delete,
    refund_errors,
    refund_update,
)
from tests import factories as f

MARCH_5 = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


# --- Conversions ----------------------------------------------------------------------------
def test_a_partnership_picked_by_hand_is_manual_credit_and_recomputes_both_campaigns(
    team, brand, maya, zoe, recomputed
):
    click = f.ClickFactory(link__partnership=maya)
    conversion = f.ConversionFactory(brand=brand, partnership=maya, attribution="link",
                                     matched_click=click)
    saved = conversion_update(access=team.access(Role.MANAGER), conversion=conversion,
                              partnership=zoe)
    saved.refresh_from_db()
    assert (saved.partnership, saved.attribution, saved.matched_click) == (zoe, "manual", None)
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_a_corrected_promo_code_applies_the_rules_again(team, brand, maya, zoe, recomputed):
    f.PromoCodeFactory(partnership=maya, code="MAYA15")
    f.PromoCodeFactory(partnership=zoe, code="ZOE10")
    conversion = f.ConversionFactory(brand=brand, promo_code="MAYA15", partnership=maya,
                                     attribution="promo_code")
    saved = conversion_update(access=team.access(Role.MANAGER), conversion=conversion,
                              promo_code="zoe10")
    assert (saved.partnership, saved.attribution) == (zoe, "promo_code")
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_credit_given_by_hand_survives_a_corrected_code(team, brand, maya, zoe, recomputed):
    f.PromoCodeFactory(partnership=zoe, code="ZOE10")
    conversion = f.ConversionFactory(brand=brand, partnership=maya, attribution="manual")
    saved = conversion_update(access=team.access(Role.MANAGER), conversion=conversion,
                              promo_code="ZOE10", amount=Decimal("80.00"))
    assert (saved.partnership, saved.attribution, saved.amount) == (maya, "manual",
                                                                     Decimal("80.00"))
    assert recomputed == [maya.campaign_id]


def test_taking_the_hand_credit_away_applies_the_rules(team, brand, maya, zoe, recomputed):
    f.PromoCodeFactory(partnership=zoe, code="ZOE10")
    conversion = f.ConversionFactory(brand=brand, promo_code="ZOE10", partnership=maya,
                                     attribution="manual")
    saved = conversion_update(access=team.access(Role.MANAGER), conversion=conversion,
                              partnership=None)
    assert (saved.partnership, saved.attribution) == (zoe, "promo_code")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("-1.00")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"currency": "usd"}, "currency"),
        ({"occurred_at": dt.datetime(2026, 3, 5, 10)}, "occurred_at"),  # noqa: DTZ001
        ({"kind": "bribe"}, "kind"),
    ],
)
def test_it_refuses_what_the_conversion_rules_refuse(team, brand, changes, field, recomputed):
    conversion = f.ConversionFactory(brand=brand)
    with pytest.raises(ValidationError) as caught:
        conversion_update(access=team.access(Role.MANAGER), conversion=conversion, **changes)
    assert field in caught.value.message_dict
    assert Conversion.objects.get().amount == Decimal("100.00")
    assert recomputed == []


def test_it_refuses_another_brands_partnership(team, brand, recomputed):
    conversion = f.ConversionFactory(brand=brand)
    elsewhere = f.PartnershipFactory(campaign__brand__organization=team.organization)
    with pytest.raises(ValidationError) as caught:
        conversion_update(access=team.access(Role.MANAGER), conversion=conversion,
                          partnership=elsewhere)
    assert caught.value.message_dict["partnership"] == ["This partnership is not the brand's."]
    assert Conversion.objects.get().partnership is None


def test_it_refuses_another_organizations_records(team, outsider_team, brand, recomputed):
    theirs = f.ConversionFactory(brand__organization=outsider_team.organization)
    with pytest.raises(ValidationError):
        conversion_update(access=team.access(), conversion=theirs, amount=Decimal("1.00"))
    their_partnership = f.PartnershipFactory(campaign__brand__organization=outsider_team.organization)
    ours = f.ConversionFactory(brand=brand)
    with pytest.raises(ValidationError):
        conversion_update(access=team.access(), conversion=ours, partnership=their_partnership)
    with pytest.raises(ValidationError):
        conversion_delete(access=team.access(), conversion=theirs)
    assert Conversion.objects.count() == 2 and recomputed == []


def test_the_identity_and_the_derived_fields_are_not_set_by_hand(team, brand, maya):
    conversion = f.ConversionFactory(brand=brand)
    for changes in ({"external_id": "other"}, {"source": "manual"}, {"attribution": "manual"},
                    {"matched_click": None}, {"brand": brand}):
        with pytest.raises(ValidationError):
            conversion_update(access=team.access(), conversion=conversion, **changes)


def test_a_viewer_may_not_correct_a_conversion(team, brand):
    conversion = f.ConversionFactory(brand=brand)
    with pytest.raises(PermissionDenied):
        conversion_update(access=team.access(Role.VIEWER), conversion=conversion,
                          amount=Decimal("1.00"))
    with pytest.raises(PermissionDenied):
        conversion_delete(access=team.access(Role.VIEWER), conversion=conversion)


def test_a_conversion_added_by_hand_is_attributed_on_arrival(team, brand, maya, recomputed):
    f.PromoCodeFactory(partnership=maya, code="MAYA15")
    conversion = conversion_create(
        access=team.access(Role.MANAGER), brand=brand, external_id="A-1", occurred_at=MARCH_5,
        amount=Decimal("42.00"), currency="USD", promo_code="maya15",
    )
    assert (conversion.partnership, conversion.attribution, conversion.source) == (
        maya, "promo_code", "manual"
    )
    assert recomputed == [maya.campaign_id]


def test_a_conversion_added_with_a_partnership_is_manual_credit(team, brand, zoe):
    conversion = conversion_create(access=team.access(), brand=brand, external_id="A-1",
                                   occurred_at=MARCH_5, partnership=zoe)
    assert (conversion.partnership, conversion.attribution) == (zoe, "manual")


def test_adding_an_id_the_source_already_has_is_refused_not_overwritten(team, brand):
    f.ConversionFactory(brand=brand, external_id="A-1", source="manual", amount=Decimal("5"))
    with pytest.raises(ValidationError) as caught:
        conversion_create(access=team.access(), brand=brand, external_id="A-1",
                          occurred_at=MARCH_5, amount=Decimal("99.00"))
    assert "external_id" in caught.value.message_dict
    assert Conversion.objects.get().amount == Decimal("5")


def test_deleting_a_conversion_takes_its_refunds_and_recomputes(team, brand, maya, recomputed):
    refund = f.RefundFactory(conversion__brand=brand, conversion__partnership=maya)
    conversion_delete(access=team.access(), conversion=refund.conversion)
    assert not Conversion.objects.exists() and not Refund.objects.exists()
    assert recomputed == [maya.campaign_id]


# --- Refunds --------------------------------------------------------------------------------
def test_refund_rules() -> None:
    left = Decimal("30.00")
    assert refund_errors(amount=Decimal("30.00"), left=left) == {}
    assert "amount" in refund_errors(amount=Decimal("0"), left=left)
    assert "amount" in refund_errors(amount=Decimal("-1"), left=left)
    assert refund_errors(amount=Decimal("30.01"), left=left) == {
        "amount": ["Only 30.00 is left to refund on this order."]
    }


def test_a_refund_added_by_hand_goes_to_the_ledger(team, brand, maya, recomputed):
    conversion = f.ConversionFactory(brand=brand, partnership=maya, amount=Decimal("100.00"))
    f.RefundFactory(conversion=conversion, amount=Decimal("60.00"))
    refund = refund_create(access=team.access(Role.MANAGER), conversion=conversion,
                           external_id="R-2", amount=Decimal("40.00"), occurred_at=MARCH_5)
    assert refund.amount == Decimal("40.00") and conversion.refunds.count() == 2
    assert recomputed == [maya.campaign_id]


def test_a_refund_above_what_is_left_is_refused_not_clamped(team, brand, recomputed):
    conversion = f.ConversionFactory(brand=brand, amount=Decimal("100.00"))
    f.RefundFactory(conversion=conversion, amount=Decimal("60.00"))
    with pytest.raises(ValidationError) as caught:
        refund_create(access=team.access(), conversion=conversion, external_id="R-2",
                      amount=Decimal("40.01"), occurred_at=MARCH_5)
    assert caught.value.message_dict["amount"] == ["Only 40.00 is left to refund on this order."]
    with pytest.raises(ValidationError):
        refund_create(access=team.access(), conversion=conversion, external_id="R-3",
                      amount=Decimal("0"), occurred_at=MARCH_5)
    assert conversion.refunds.count() == 1 and recomputed == []


def test_a_refund_id_the_order_already_has_is_refused(team, brand):
    refund = f.RefundFactory(conversion__brand=brand, amount=Decimal("10.00"))
    with pytest.raises(ValidationError) as caught:
        refund_create(access=team.access(), conversion=refund.conversion,
                      external_id=refund.external_id, amount=Decimal("5.00"),
                      occurred_at=MARCH_5)
    assert "external_id" in caught.value.message_dict


def test_a_corrected_refund_may_take_what_is_left_besides_itself(team, brand, maya, recomputed):
    conversion = f.ConversionFactory(brand=brand, partnership=maya, amount=Decimal("100.00"))
    f.RefundFactory(conversion=conversion, amount=Decimal("60.00"))
    refund = f.RefundFactory(conversion=conversion, amount=Decimal("10.00"))
    saved = refund_update(access=team.access(), refund=refund, amount=Decimal("40.00"))
    assert saved.amount == Decimal("40.00") and recomputed == [maya.campaign_id]
    with pytest.raises(ValidationError):
        refund_update(access=team.access(), refund=refund, amount=Decimal("40.01"))
    with pytest.raises(ValidationError):
        refund_update(access=team.access(), refund=refund, external_id="renamed")
    refund.refresh_from_db()
    assert refund.amount == Decimal("40.00")


def test_deleting_a_refund_recomputes_its_orders_campaign(team, brand, maya, recomputed):
    refund = f.RefundFactory(conversion__brand=brand, conversion__partnership=maya)
    refund_delete(access=team.access(), refund=refund)
    assert not Refund.objects.exists() and recomputed == [maya.campaign_id]


def test_another_organizations_refund_is_refused(team, outsider_team):
    theirs = f.RefundFactory(conversion__brand__organization=outsider_team.organization)
    with pytest.raises(ValidationError):
        refund_update(access=team.access(), refund=theirs, amount=Decimal("1.00"))
    with pytest.raises(ValidationError):
        refund_delete(access=team.access(), refund=theirs)
    with pytest.raises(ValidationError):
        refund_create(access=team.access(), conversion=theirs.conversion, external_id="x",
                      amount=Decimal("1.00"), occurred_at=MARCH_5)
    assert Refund.objects.get().amount == Decimal("10.00")


def test_an_unchanged_conversion_writes_and_recomputes_nothing(team, brand, maya, recomputed):
    conversion = f.ConversionFactory(brand=brand, partnership=maya)
    assert conversion_update(access=team.access(), conversion=conversion) == conversion
    assert recomputed == []


def test_an_order_cannot_drop_below_what_is_refunded_of_it(team, brand, recomputed):
    refund = f.RefundFactory(conversion__brand=brand, amount=Decimal("60.00"))
    with pytest.raises(ValidationError) as caught:
        conversion_update(access=team.access(), conversion=refund.conversion,
                          amount=Decimal("59.99"))
    assert caught.value.message_dict["amount"] == [
        "60.00 of this order is refunded already: the amount cannot be less."
    ]
    saved = conversion_update(access=team.access(), conversion=refund.conversion,
                              amount=Decimal("60.00"))
    assert saved.amount == Decimal("60.00")
