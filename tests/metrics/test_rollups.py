"""The KPI rollups kept as data arrives equal a full rebuild from raw rows, and the documents a
recompute reads from them equal those computed from raw rows — after random interleavings of
snapshot inserts, replays, late and out-of-order snapshots, deletions, comments re-sent and
relabelled, clicks (redelivered too), a post moved to another partnership, a creator's
follower count corrected, orders (manual, by click, re-sent, cancelled, corrected, deleted) and
their refunds (partial, in full, corrected, deleted), visits (by click, by UTM, moved by hand,
deleted) and the campaign's dates and attribution window changed (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from accounts.selectors import Access
from campaigns.models import Post
from metrics.engine import kpi_documents
from metrics.kpis import COUNTERS, POST_VECTOR
from metrics.models import (
    Click,
    ClickDayRollup,
    Comment,
    CommentDayRollup,
    Conversion,
    ConversionDayRollup,
    FollowerSnapshot,
    NewVisitorDayRollup,
    PostDayRollup,
    PostMetrics,
    PostRollupState,
    Refund,
    RollupRebuild,
    Visit,
    VisitDayRollup,
    VisitorFirstSeen,
)
from metrics.services.conversions import conversion_cancel, conversions_ingest, refund_record
from metrics.services.corrections import conversion_delete, refund_delete, refund_update
from metrics.services.funnel_rollups import funnel_rollups_rederive, funnel_rollups_refresh
from metrics.services.ingestion import (
    comment_delete,
    comments_ingest,
    post_metrics_delete,
    post_metrics_ingest,
)
from metrics.services.rollup_rebuild import kpi_rollups_rebuild, rollup_frame
from metrics.services.visits import visit_delete, visit_update, visits_ingest
from metrics.tracking.click_rows import insert_clicks
from metrics.tracking.clicks import ClickRecord
from tests import factories as f

START = dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC)
minutes = st.integers(0, 4 * 24 * 60)
values = st.fixed_dictionaries(
    {c: st.none() | st.integers(0, 10**5) for c in COUNTERS}
).filter(lambda v: any(x is not None for x in v.values()))  # an empty one is refused
operations = st.lists(
    st.one_of(
        st.tuples(st.just("snapshots"), st.lists(st.tuples(st.integers(0, 2), minutes, values),
                                                 min_size=1, max_size=4)),
        st.tuples(st.just("snapshot_saved"), st.integers(0, 2), minutes, values),
        st.tuples(st.just("snapshot_deleted"), st.integers(0, 2), st.integers(0, 5)),
        st.tuples(st.just("comment"), st.integers(0, 2), st.integers(0, 3), minutes,
                  st.sampled_from(["I love it", "This is awful", "ok"])),
        st.tuples(st.just("comment_relabelled"), st.integers(0, 5),
                  st.sampled_from(["positive", "neutral", "negative"])),
        st.tuples(st.just("comment_deleted"), st.integers(0, 5)),
        st.tuples(st.just("clicks"), st.lists(
            st.tuples(st.integers(0, 1), st.integers(0, 6), minutes, st.booleans(),
                      st.booleans()), min_size=1, max_size=4)),
        st.tuples(st.just("post_moved"), st.integers(0, 2), st.integers(0, 1)),
        st.tuples(st.just("followers"), st.integers(0, 4), st.integers(0, 10**4)),
    ),
    max_size=12,
)
# The funnel: clicks (for orders and visits to be credited to), then orders and refunds, visits
# and the campaign's windows.
funnel_operations = st.lists(
    st.one_of(
        st.tuples(st.just("clicks"), st.lists(
            st.tuples(st.integers(0, 1), st.integers(0, 6), minutes, st.booleans(),
                      st.booleans()), min_size=1, max_size=4)),
        # Orders: (external id, credited to partnership 0 or 1 by hand or to a stored click,
        # minute, amount, kind, currency); a refund of order i; corrections.
        st.tuples(st.just("orders"), st.lists(
            st.tuples(st.integers(0, 5), st.sampled_from(["p0", "p1", "click", "none"]),
                      st.integers(0, 6), minutes, st.integers(0, 300),
                      st.sampled_from(["sale", "sale", "signup"]),
                      st.sampled_from(["USD", "USD", "EUR"])), min_size=1, max_size=3)),
        st.tuples(st.just("refund"), st.integers(0, 5), st.integers(0, 2), minutes,
                  st.integers(0, 200)),
        st.tuples(st.just("refund_changed"), st.integers(0, 5), minutes, st.integers(0, 100)),
        st.tuples(st.just("refund_deleted"), st.integers(0, 5)),
        st.tuples(st.just("order_cancelled"), st.integers(0, 5)),
        st.tuples(st.just("order_deleted"), st.integers(0, 5)),
        # Visits: (external id — 10 and up: none, by click i / by the UTM of link i /
        # unknown).
        st.tuples(st.just("visits"), st.lists(
            st.tuples(st.integers(0, 12), st.integers(0, 3), minutes,
                      st.sampled_from(["click", "utm", "none"]), st.integers(0, 6)),
            min_size=1, max_size=3)),
        st.tuples(st.just("visit_moved"), st.integers(0, 5), st.integers(0, 1)),
        st.tuples(st.just("visit_deleted"), st.integers(0, 5)),
        st.tuples(st.just("windows"), st.integers(2, 20), st.integers(0, 3)),
    ),
    max_size=12,
)


@pytest.fixture
def world(db) -> dict[str, Any]:
    campaign = f.CampaignFactory(brand__organization__time_zone="America/Los_Angeles",
                                 start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 20))
    one = f.PartnershipFactory(campaign=campaign)
    two = f.PartnershipFactory(campaign=campaign)
    posts = [
        f.PostFactory(partnership=one, social_account__followers=5_000),
        f.PostFactory(partnership=one, social_account=None, platform="tiktok"),
        f.PostFactory(partnership=two, social_account__followers=70),
    ]
    links = [f.TrackingLinkFactory(partnership=one), f.TrackingLinkFactory(partnership=two)]
    organization = campaign.brand.organization
    access = Access(organization=organization, role=Role.OWNER)
    return {"campaign": campaign, "partnerships": [one, two], "posts": posts, "links": links,
            "organization": organization, "access": access}


def _apply(world: dict[str, Any], operation: tuple[Any, ...]) -> None:
    kind, *args = operation
    posts: list[Post] = world["posts"]
    at = lambda minute: START + dt.timedelta(minutes=minute)  # noqa: E731
    if kind == "snapshots":  # the API's bulk upsert: appends, replays and late ones
        post_metrics_ingest(organization=world["organization"], items=[
            {"post": posts[i], "captured_at": at(m), **v} for i, m, v in args[0]
        ])
    elif kind == "snapshot_saved":  # one row through the ORM (a form, the admin, a factory)
        i, m, v = args
        PostMetrics.objects.update_or_create(post=posts[i], captured_at=at(m), defaults=v)
    elif kind == "snapshot_deleted":
        rows = list(PostMetrics.objects.filter(post=posts[args[0]]).order_by("captured_at"))
        if rows:
            post_metrics_delete(access=world["access"], post_metrics=rows[args[1] % len(rows)])
    elif kind == "comment":
        i, n, m, text = args
        comments_ingest(organization=world["organization"], items=[
            {"post": posts[i], "external_id": f"c{n}", "posted_at": at(m), "text": text}
        ])
    elif kind == "comment_relabelled":
        rows = list(Comment.objects.order_by("pk"))
        if rows:
            row = rows[args[0] % len(rows)]
            row.sentiment = args[1]
            row.save()
    elif kind == "comment_deleted":
        rows = list(Comment.objects.order_by("pk"))
        if rows:
            comment_delete(access=world["access"], comment=rows[args[0] % len(rows)])
    elif kind == "clicks":  # the drain's batch write; an id seen before is a redelivery
        link_ids = [link.pk for link in world["links"]]
        insert_clicks([
            (ClickRecord(click_id=f"k{n}-{m}", link_id=link_ids[i],
                         campaign_id=world["campaign"].pk, occurred_at=at(m),
                         visitor_hash=f"v{n}", is_bot=bot), unique)
            for i, n, m, bot, unique in args[0]
        ])
    elif kind == "post_moved":
        post = posts[args[0]]
        post.partnership = world["partnerships"][args[1]]
        post.save()
    elif kind == "followers":
        account = posts[0].social_account
        FollowerSnapshot.objects.update_or_create(
            social_account=account, date=dt.date(2026, 2, 27) + dt.timedelta(days=args[0]),
            defaults={"followers": args[1], "organization": world["organization"]},
        )
    else:
        _apply_funnel(world, kind, args, at)


def _nth(queryset: Any, n: int) -> Any:
    rows = list(queryset.order_by("pk"))
    return rows[n % len(rows)] if rows else None


def _apply_funnel(world: dict[str, Any], kind: str, args: list[Any], at: Any) -> None:
    brand, access = world["campaign"].brand, world["access"]
    if kind == "orders":  # the API's bulk upsert: new orders and re-sent ones
        items = []
        for n, credit, click, m, amount, event, currency in args[0]:
            item: dict[str, Any] = {"external_id": f"o{n}", "occurred_at": at(m),
                                    "amount": Decimal(amount), "kind": event, "currency": currency}
            if credit in ("p0", "p1"):
                item["partnership"] = world["partnerships"][int(credit[1])]
            elif credit == "click" and (stored := _nth(Click.objects, click)) is not None:
                item["click_id"] = stored.click_id
            items.append(item)
        conversions_ingest(items=items, source="api", brand=brand)
    elif kind == "refund" and (order := _nth(Conversion.objects, args[0])) is not None:
        refund_record(conversion=order, external_id=f"r{args[1]}", amount=Decimal(args[3]),
                      occurred_at=at(args[2]))
    elif kind == "refund_changed" and (refund := _nth(Refund.objects, args[0])) is not None:
        try:
            refund_update(access=access, refund=refund, occurred_at=at(args[1]),
                          amount=Decimal(args[2]))
        except ValidationError:
            pass  # more than is left to refund: refused, nothing written
    elif kind == "refund_deleted" and (refund := _nth(Refund.objects, args[0])) is not None:
        refund_delete(access=access, refund=refund)
    elif kind == "order_cancelled" and (order := _nth(Conversion.objects, args[0])) is not None:
        conversion_cancel(conversion=order)
    elif kind == "order_deleted" and (order := _nth(Conversion.objects, args[0])) is not None:
        conversion_delete(access=access, conversion=order)
    elif kind == "visits":
        items = []
        for n, visitor, m, how, i in args[0]:
            item = {"external_id": f"v{n}" if n < 10 else "", "visitor_id": f"visitor{visitor}",
                    "occurred_at": at(m)}
            if how == "click" and (stored := _nth(Click.objects, i)) is not None:
                item["click_id"] = stored.click_id
            elif how == "utm":
                link = world["links"][i % 2]
                item.update(utm_campaign=link.utm_campaign, utm_content=link.utm_content)
            items.append(item)
        visits_ingest(items=items, source="api", brand=brand)
    elif kind == "visit_moved" and (visit := _nth(Visit.objects, args[0])) is not None:
        visit_update(access=access, visit=visit, partnership=world["partnerships"][args[1]])
    elif kind == "visit_deleted" and (visit := _nth(Visit.objects, args[0])) is not None:
        visit_delete(access=access, visit=visit)
    elif kind == "windows":  # new dates or attribution window: what counts changes everywhere
        campaign = world["campaign"]
        campaign.end_date = dt.date(2026, 3, args[0])
        campaign.attribution_window_days = args[1]
        campaign.save()


def _rollups(campaign_id: int) -> dict[str, set[tuple[Any, ...]]]:
    """Every rollup row that holds something, and every post's counted state."""
    post_fields = ("partnership_id", "platform", "day", *POST_VECTOR)
    return {
        "posts": {row for row in PostDayRollup.objects.filter(campaign_id=campaign_id)
                  .values_list(*post_fields) if any(row[3:])},
        "comments": set(CommentDayRollup.objects.filter(campaign_id=campaign_id)
                        .exclude(comments=0)
                        .values_list("partnership_id", "platform", "day", "sentiment",
                                     "comments")),
        "clicks": {row for row in ClickDayRollup.objects.filter(campaign_id=campaign_id)
                   .values_list("partnership_id", "day", "clicks", "unique_clicks",
                                "bot_clicks") if any(row[2:])},
        "conversions": {row for row in ConversionDayRollup.objects.filter(
            campaign_id=campaign_id).values_list(
                "partnership_id", "day", "source", "kind", "currency", "rate_day",
                "conversions", "amount") if row[6] or row[7]},
        "visits": {row for row in VisitDayRollup.objects.filter(campaign_id=campaign_id)
                   .values_list("partnership_id", "day", "visits") if row[2]},
        "visitors": set(VisitorFirstSeen.objects.filter(campaign_id=campaign_id)
                        .values_list("partnership_id", "visitor_id", "day")),
        "new_visitors": {row for row in NewVisitorDayRollup.objects.filter(
            campaign_id=campaign_id).values_list("partnership_id", "day", "visitors")
            if row[2]},
        "states": set(PostRollupState.objects.filter(campaign_id=campaign_id,
                                                     captured_at__isnull=False)
                      .values_list("post_id", "partnership_id", "platform", "followers",
                                   "captured_at", *COUNTERS)),
    }


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in _differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


FUNNEL = ("conversions", "visits", "visitors", "new_visitors")


def _assert_funnel_equals_a_rebuild(campaign: Any) -> None:
    kept = _rollups(campaign.pk)
    savepoint = transaction.savepoint()
    funnel_rollups_rederive(campaign, rollup_frame(campaign), None)
    rebuilt = _rollups(campaign.pk)
    transaction.savepoint_rollback(savepoint)
    assert {k: kept[k] for k in FUNNEL} == {k: rebuilt[k] for k in FUNNEL}


def _check(world: dict[str, Any], ops: list[tuple[Any, ...]]) -> None:
    campaign = world["campaign"]
    with transaction.atomic():
        for operation in ops:
            _apply(world, operation)
            # A recompute between writes re-derives the funnel days noted so far; each write
            # must have noted every day it changed.
            funnel_rollups_refresh(campaign, rollup_frame(campaign))
            _assert_funnel_equals_a_rebuild(campaign)
        for post in world["posts"]:
            post.refresh_from_db()
        now = timezone.now()
        from_rollups = kpi_documents(campaign, computed_at=now)
        incremental = _rollups(campaign.pk)
        from_raw = kpi_documents(campaign, as_of=now, computed_at=now)
        for rolled, raw in zip(from_rollups, from_raw, strict=True):
            assert _differences(rolled, raw) == []
        kpi_rollups_rebuild(campaign_id=campaign.pk)
        assert _rollups(campaign.pk) == incremental
        transaction.set_rollback(True)
    for post in world["posts"]:
        post.refresh_from_db()
    campaign.refresh_from_db()


EXAMPLES = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_incremental_rollups_equal_a_rebuild_and_read_like_raw_rows(world) -> None:
    assert RollupRebuild.objects.filter(campaign=world["campaign"]).exists()  # from birth
    EXAMPLES(given(operations)(lambda ops: _check(world, ops)))()


def test_funnel_rollups_equal_a_rebuild_and_read_like_raw_rows(world) -> None:
    # A funnel to change: clicks, orders credited every way (one refunded), visits.
    for operation in [
        ("clicks", [(0, 1, 30, False, True), (1, 2, 1500, False, True), (1, 3, 3000, True, True)]),
        ("orders", [(0, "p0", 0, 60, 120, "sale", "USD"), (1, "click", 1, 1600, 80, "sale", "USD"),
                    (2, "none", 0, 2000, 50, "sale", "EUR"), (3, "p1", 0, 4000, 0, "signup", "USD")]),
        ("refund", 0, 0, 1700, 20),
        ("visits", [(0, 0, 40, "click", 0), (1, 1, 1550, "click", 1), (2, 0, 2500, "utm", 1)]),
    ]:
        _apply(world, operation)
    kpi_rollups_rebuild(campaign_id=world["campaign"].pk)
    assert ConversionDayRollup.objects.filter(campaign=world["campaign"]).count() == 4
    settings(EXAMPLES, max_examples=40)(given(funnel_operations)(lambda ops: _check(world, ops)))()


def test_a_campaign_never_rolled_up_is_rebuilt_by_its_first_recompute(world) -> None:
    campaign = world["campaign"]
    post = world["posts"][0]
    f.PostMetricsFactory(post=post, captured_at=START, likes=40)
    RollupRebuild.objects.filter(campaign=campaign).delete()
    PostDayRollup.objects.filter(campaign=campaign).delete()  # as before the rollups existed
    total = kpi_documents(campaign)[0][3]
    assert total["engagement"]["likes"] == 40
    assert RollupRebuild.objects.filter(campaign=campaign).exists()


def test_a_deleted_post_takes_its_numbers_out_of_the_rollups(world) -> None:
    from campaigns.services import post_delete

    post = world["posts"][2]
    f.PostMetricsFactory(post=post, captured_at=START, likes=40)
    f.CommentFactory(post=post, sentiment="positive")
    post_delete(access=world["access"], post=post)
    assert _rollups(world["campaign"].pk)["posts"] == set()
    assert _rollups(world["campaign"].pk)["comments"] == set()


def test_rebuild_kpis_repairs_a_write_that_went_around_the_application(world) -> None:
    from django.core.management import CommandError, call_command

    from metrics.models import KpiSnapshot

    campaign = world["campaign"]
    PostMetrics.objects.bulk_create([  # raw rows: no rollup upkeep
        PostMetrics(post=world["posts"][0], captured_at=START, likes=12),
    ])
    assert kpi_documents(campaign)[0][3]["engagement"]["likes"] is None  # not rolled up yet
    call_command("rebuild_kpis", "--campaign", str(campaign.pk))
    stored = KpiSnapshot.objects.get(campaign=campaign, scope="total")
    assert stored.data["engagement"]["likes"] == 12
    with pytest.raises(CommandError, match="No campaign with id 999999"):
        call_command("rebuild_kpis", "--campaign", "999999")


def test_the_rebuild_task_says_when_the_campaign_is_gone(db) -> None:
    from metrics.tasks import rebuild_kpis

    assert rebuild_kpis(999999) is False
