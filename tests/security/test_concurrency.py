"""Idempotency under concurrency: ten clients sending the same conversion at the same moment
store exactly one (PostgreSQL's concurrent writers; SQLite serialises writers anyway)."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Role
from metrics.models import Conversion
from tests import factories as f
from tests.concurrency import race


@pytest.mark.realmode
@pytest.mark.django_db(transaction=True)
def test_ten_threads_posting_the_same_bulk_conversion_store_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    key = f.ApiKeyFactory(role=Role.MANAGER)
    brand = f.BrandFactory(organization=key.organization)
    partnership = f.PartnershipFactory(campaign__brand=brand)
    f.PromoCodeFactory(partnership=partnership, code="RACE10")
    item = {"brand": brand.pk, "external_id": "race-1", "kind": "sale", "amount": "40.00",
            "currency": "USD", "occurred_at": "2026-03-05T10:00:00+00:00", "promo_code": "race10"}
    statuses: list[int] = []

    def send(_: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.raw}")
        statuses.append(client.post("/api/v1/conversions/", [item], format="json").status_code)

    assert race(send, 10) == []
    assert len(statuses) == 10 and all(s in (200, 201) for s in statuses), statuses
    stored = Conversion.objects.filter(brand=brand, external_id="race-1")
    assert stored.count() == 1
    assert stored.get().partnership == partnership
