"""New orders and visits reach the funnel's rollups in the transaction that writes them, so a
recompute after them reads rollups only; what they add equals a re-derivation from raw rows
(the random interleavings are in ``test_rollups``; these are the cases named)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.validation import BulkItemError
from metrics.engine import kpi_documents
from metrics.models import Conversion, FunnelChange, NewVisitorDayRollup, Visit, VisitorFirstSeen
from metrics.services.conversions import conversions_ingest
from metrics.services.visits import visits_ingest
from tests import factories as f
from tests.concurrency import race
from tests.metrics.test_rollups import START, _assert_funnel_equals_a_rebuild, world

__all__ = ["world"]


def _visit(world: dict[str, Any], external_id: str, visitor: str, day: int) -> dict[str, Any]:
    link = world["links"][0]
    return {"external_id": external_id, "visitor_id": visitor,
            "occurred_at": START + dt.timedelta(days=day),
            "utm_campaign": link.utm_campaign, "utm_content": link.utm_content}


def test_new_orders_and_visits_leave_no_day_to_re_derive(world) -> None:
    brand = world["campaign"].brand
    conversions_ingest(items=[
        {"external_id": "o1", "occurred_at": START, "amount": Decimal("40"),
         "partnership": world["partnerships"][0]},
    ], source="api", brand=brand)
    visits_ingest(items=[_visit(world, "v1", "ana", 0), _visit(world, "", "bo", 1)],
                  source="api", brand=brand)
    assert not FunnelChange.objects.exists()
    _assert_funnel_equals_a_rebuild(world["campaign"])

    with CaptureQueriesContext(connection) as ctx:
        total = kpi_documents(world["campaign"])[0][3]
    raw_tables = {Conversion._meta.db_table, Visit._meta.db_table}
    assert not [q["sql"] for q in ctx.captured_queries
                if any(f'"{table}"' in q["sql"] for table in raw_tables)]
    assert total["conversion"]["revenue"] == "40.00"
    assert total["traffic"]["visits"] == 2
    assert total["traffic"]["unique_visitors"] == 2


def test_an_earlier_visit_arriving_late_moves_its_visitor_first_day(world) -> None:
    brand, campaign = world["campaign"].brand, world["campaign"]
    visits_ingest(items=[_visit(world, "late-1", "ana", 3)], source="api", brand=brand)
    visits_ingest(items=[_visit(world, "late-2", "ana", 1)], source="api", brand=brand)
    first = set(VisitorFirstSeen.objects.filter(campaign=campaign)
                .values_list("partnership_id", "day"))
    assert {day for _, day in first} == {dt.date(2026, 3, 3)}  # START + 1 day, local time
    counts = {(p, day): n for p, day, n in NewVisitorDayRollup.objects.filter(campaign=campaign)
              .values_list("partnership_id", "day", "visitors") if n}
    assert sorted(counts.values()) == [1, 1]  # the campaign's and the partnership's, once
    _assert_funnel_equals_a_rebuild(campaign)


def test_a_re_sent_order_is_noted_not_added_twice(world) -> None:
    brand = world["campaign"].brand
    item = {"external_id": "o1", "occurred_at": START, "amount": Decimal("40"),
            "partnership": world["partnerships"][0]}
    conversions_ingest(items=[item], source="api", brand=brand)
    conversions_ingest(items=[{**item, "amount": Decimal("25")}], source="api", brand=brand)
    assert FunnelChange.objects.exists()
    total = kpi_documents(world["campaign"])[0][3]
    assert total["conversion"]["conversions"] == 1
    assert total["conversion"]["revenue"] == "25.00"
    _assert_funnel_equals_a_rebuild(world["campaign"])



def test_a_batch_with_another_brands_item_is_refused_whole(world) -> None:
    other = f.BrandFactory(organization=world["organization"])
    brand = world["campaign"].brand
    order = {"external_id": "o1", "occurred_at": START}
    for ingest, items in (
        (visits_ingest, [_visit(world, "v0", "bo", 0), {**_visit(world, "v1", "ana", 0),
                                                        "brand": other}]),
        (conversions_ingest, [order, {**order, "external_id": "o2", "brand": other}]),
    ):
        with pytest.raises(BulkItemError) as refused:
            ingest(items=items, source="api", brand=brand)
        assert (refused.value.index, list(refused.value.errors)) == (1, ["brand"])
    assert not Visit.objects.exists()
    assert not Conversion.objects.exists()


@pytest.mark.realmode
@pytest.mark.django_db(transaction=True)
def test_racing_deliveries_of_one_order_and_one_visit_count_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    partnership = f.PartnershipFactory()
    link = f.TrackingLinkFactory(partnership=partnership)
    brand = partnership.campaign.brand

    def deliver(n: int) -> None:
        if n % 2:
            conversions_ingest(items=[{"external_id": "o1", "occurred_at": START,
                                       "amount": Decimal("40"), "partnership": partnership}],
                               source="api", brand=brand)
        else:
            visits_ingest(items=[{"external_id": "v1", "visitor_id": "ana",
                                  "occurred_at": START, "utm_campaign": link.utm_campaign,
                                  "utm_content": link.utm_content}],
                          source="pixel", brand=brand, first_write_wins=True)

    assert race(deliver, 8) == []
    total = kpi_documents(partnership.campaign)[0][3]
    assert total["conversion"]["conversions"] == 1
    assert total["conversion"]["revenue"] == "40.00"
    assert total["traffic"]["visits"] == 1
    assert total["traffic"]["unique_visitors"] == 1
