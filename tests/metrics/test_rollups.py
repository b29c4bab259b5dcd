"""The KPI rollups kept as data arrives equal a full rebuild from raw rows, and the documents a
recompute reads from them equal those computed from raw rows — after random interleavings of
snapshot inserts, replays, late and out-of-order snapshots, deletions, comments re-sent and
relabelled, clicks (redelivered too), a post moved to another partnership and a creator's
follower count corrected (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
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
    ClickDayRollup,
    Comment,
    CommentDayRollup,
    FollowerSnapshot,
    PostDayRollup,
    PostMetrics,
    PostRollupState,
    RollupRebuild,
)
from metrics.services.ingestion import (
    comment_delete,
    comments_ingest,
    post_metrics_delete,
    post_metrics_ingest,
)
from metrics.services.rollup_rebuild import kpi_rollups_rebuild
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


def test_incremental_rollups_equal_a_rebuild_and_read_like_raw_rows(world) -> None:
    campaign = world["campaign"]
    assert RollupRebuild.objects.filter(campaign=campaign).exists()  # rolled up from birth

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(operations)
    def check(ops: list[tuple[Any, ...]]) -> None:
        with transaction.atomic():
            for operation in ops:
                _apply(world, operation)
            for post in world["posts"]:
                post.refresh_from_db()
            incremental = _rollups(campaign.pk)
            now = timezone.now()
            from_rollups = kpi_documents(campaign, computed_at=now)
            from_raw = kpi_documents(campaign, as_of=now, computed_at=now)
            for rolled, raw in zip(from_rollups, from_raw, strict=True):
                assert _differences(rolled, raw) == []
            kpi_rollups_rebuild(campaign_id=campaign.pk)
            assert _rollups(campaign.pk) == incremental
            transaction.set_rollback(True)
        for post in world["posts"]:
            post.refresh_from_db()

    check()


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
