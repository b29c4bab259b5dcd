"""Bulk ingestion: all-or-nothing with the first bad index, upserts on the idempotency key,
org-scoped related ids, nulls kept as nulls, filtered lists and the checkpoint's 404."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from accounts.models import Role
from config.validation import NEGATIVE
from metrics import validation
from metrics.api import bulk
from metrics.models import Comment, FollowerSnapshot, PostMetrics
from tests import factories as f

pytestmark = pytest.mark.django_db

METRICS = "/api/v1/post-metrics/"
COMMENTS = "/api/v1/comments/"
FOLLOWERS = "/api/v1/follower-snapshots/"


def metric(post_id: int, day: int, **counters: int | None) -> dict:
    """A snapshot; one counter by default, since a snapshot of nothing is refused."""
    return {"post": post_id, "captured_at": f"2026-03-{day:02d}T10:00:00+00:00",
            **(counters or {"likes": 1})}


def test_it_creates_then_updates_on_post_and_captured_at(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.MANAGER)
    batch = [metric(mine.post.pk, 2, likes=10, impressions=100), metric(mine.post.pk, 3, likes=20)]
    first = client.post(METRICS, batch)
    assert first.status_code == 200
    assert first.json() == {"created": 2, "updated": 0}
    again = client.post(METRICS, [metric(mine.post.pk, 2, likes=11), metric(mine.post.pk, 4)])
    assert again.json() == {"created": 1, "updated": 1}
    assert PostMetrics.objects.filter(post=mine.post).count() == 3
    replaced = PostMetrics.objects.get(post=mine.post, captured_at__day=2)
    assert replaced.likes == 11
    assert replaced.impressions is None  # a resent snapshot replaces every counter


def test_sending_the_same_batch_twice_stores_one_row_per_key(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization)
    batch = [metric(mine.post.pk, 5, likes=1)]
    assert client.post(METRICS, batch).json() == {"created": 1, "updated": 0}
    assert client.post(METRICS, batch).json() == {"created": 0, "updated": 1}
    assert PostMetrics.objects.filter(post=mine.post).count() == 1


def test_the_same_instant_in_another_offset_is_the_same_snapshot(
    team, mine, api_client_for
) -> None:
    client = api_client_for(team.organization)
    client.post(METRICS, [metric(mine.post.pk, 6, likes=1)])
    answer = client.post(
        METRICS, [{"post": mine.post.pk, "captured_at": "2026-03-06T12:00:00+02:00", "likes": 2}]
    )
    assert answer.json() == {"created": 0, "updated": 1}


def test_unreported_counters_stay_null_not_zero(team, mine, api_client_for) -> None:
    api_client_for(team.organization).post(METRICS, [metric(mine.post.pk, 7, likes=0, views=None)])
    row = PostMetrics.objects.get(post=mine.post)
    assert row.likes == 0
    assert row.views is None
    assert row.reach is None


@pytest.mark.parametrize(
    ("bad_item", "field", "message"),
    [
        ({"likes": -1}, "likes", NEGATIVE),
        ({"likes": 1.5}, "likes", validation.NOT_INTEGER),
        ({"likes": "7"}, "likes", validation.NOT_INTEGER),
        ({"likes": True}, "likes", validation.NOT_INTEGER),
        ({"likes": 2**64}, "likes", validation.TOO_LARGE),
        ({"captured_at": "2026-03-02T10:00:00"}, "captured_at", bulk.DATETIME_NAIVE),
        ({"captured_at": "yesterday"}, "captured_at", bulk.DATETIME_FORMAT),
        ({"captured_at": None}, "captured_at", bulk.DATETIME_FORMAT),
        ({"favourites": 3}, "favourites", bulk.UNKNOWN),
        ({"post": "abc"}, "post", None),
        ({"post": 10**30}, "post", None),
    ],
)
def test_one_bad_item_rejects_the_batch_with_its_index_and_field(
    bad_item, field, message, team, mine, api_client_for
) -> None:
    good = [metric(mine.post.pk, day, likes=day) for day in (1, 2, 3)]
    batch = [good[0], good[1], {**metric(mine.post.pk, 9), **bad_item}, good[2]]
    answer = api_client_for(team.organization).post(METRICS, batch)
    assert answer.status_code == 400
    body = answer.json()
    assert body["index"] == 2
    assert field in body["errors"]
    if message:
        assert body["errors"][field] == [message]
    assert not PostMetrics.objects.exists()


def test_a_missing_required_field_is_named(team, mine, api_client_for) -> None:
    answer = api_client_for(team.organization).post(METRICS, [{"post": mine.post.pk}])
    assert answer.json() == {"index": 0, "errors": {"captured_at": [bulk.REQUIRED]}}


def test_another_organizations_post_is_an_error_at_its_index(
    team, mine, theirs, api_client_for
) -> None:
    batch = [metric(mine.post.pk, 1), metric(mine.post.pk, 2), metric(theirs.post.pk, 3)]
    answer = api_client_for(team.organization).post(METRICS, batch)
    assert answer.status_code == 400
    assert answer.json()["index"] == 2
    assert "post" in answer.json()["errors"]
    assert not PostMetrics.objects.exists()


def test_the_first_bad_item_wins_whether_unknown_id_or_malformed(
    team, mine, theirs, api_client_for
) -> None:
    batch = [metric(mine.post.pk, 1), metric(theirs.post.pk, 2), metric(mine.post.pk, 3, likes=-1)]
    assert api_client_for(team.organization).post(METRICS, batch).json()["index"] == 1
    batch = [metric(mine.post.pk, 1, likes=-1), metric(theirs.post.pk, 2)]
    assert api_client_for(team.organization).post(METRICS, batch).json()["index"] == 0


@pytest.mark.parametrize("body", [{"post": 1}, "text", 5, None])
def test_a_body_that_is_not_a_list_has_a_null_index(body, team, api_client_for) -> None:
    answer = api_client_for(team.organization).post(METRICS, body, format="json")
    assert answer.status_code == 400
    assert answer.json()["index"] is None


def test_more_than_ten_thousand_items_are_refused(team, mine, api_client_for) -> None:
    batch = [metric(mine.post.pk, 1)] * (bulk.MAX_ITEMS + 1)
    answer = api_client_for(team.organization).post(METRICS, batch)
    assert answer.status_code == 400
    assert answer.json()["index"] is None


def test_an_item_that_is_not_an_object_is_named_by_index(team, mine, api_client_for) -> None:
    answer = api_client_for(team.organization).post(METRICS, [metric(mine.post.pk, 1), [1, 2]])
    assert answer.json()["index"] == 1


def test_related_ids_are_resolved_in_one_query_per_type(
    team, mine, api_client_for, django_assert_max_num_queries
) -> None:
    posts = [f.PostFactory(partnership=mine.partnership, social_account=mine.social_account)
             for _ in range(5)]
    client = api_client_for(team.organization)
    client.post(METRICS, [metric(posts[0].pk, 1)])  # warm the key's last-used time
    batch = [metric(p.pk, day) for p in posts for day in range(1, 21)]
    # + the rollups' fixed cost: the posts' states, facts (and follower counts) and histories,
    # the rollup and state upserts, and the resent day-1 snapshot's re-derive (in a savepoint).
    with django_assert_max_num_queries(24):
        assert client.post(METRICS, batch).json() == {"created": 99, "updated": 1}


def test_a_write_schedules_one_recompute_per_campaign(team, mine, api_client_for) -> None:
    with mock.patch("metrics.services.ingestion.schedule_kpi_recompute") as schedule:
        api_client_for(team.organization).post(
            METRICS, [metric(mine.post.pk, d) for d in (1, 2, 3)]
        )
    schedule.assert_called_once()
    assert list(schedule.call_args.args[0]) == [mine.campaign.pk]


def test_viewers_cannot_ingest(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization, Role.VIEWER)
    assert client.post(METRICS, [metric(mine.post.pk, 1)]).status_code == 403
    assert client.get(METRICS).status_code == 200


def test_comments_upsert_on_post_and_external_id_with_sentiment(
    team, mine, api_client_for
) -> None:
    client = api_client_for(team.organization, Role.MANAGER)
    item = {"post": mine.post.pk, "external_id": "c1", "text": "I love this, amazing!",
            "posted_at": "2026-03-03T10:00:00Z"}
    assert client.post(COMMENTS, [item]).json() == {"created": 1, "updated": 0}
    assert client.post(COMMENTS, [{**item, "text": "Terrible. Awful."}]).json() == {
        "created": 0, "updated": 1,
    }
    comment = Comment.objects.get(post=mine.post)
    assert comment.text == "Terrible. Awful."
    assert comment.sentiment == "negative"


@pytest.mark.parametrize(
    ("bad", "field"),
    [({"text": ""}, "text"), ({"text": " "}, "text"), ({"external_id": 5}, "external_id"),
     ({"external_id": "x" * 101}, "external_id"), ({"posted_at": "2026-03-03"}, "posted_at")],
)
def test_bad_comments_are_named(bad, field, team, mine, api_client_for) -> None:
    item = {"post": mine.post.pk, "external_id": "c1", "text": "ok",
            "posted_at": "2026-03-03T10:00:00Z", **bad}
    answer = api_client_for(team.organization).post(COMMENTS, [item])
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_a_nul_character_is_refused_before_anything_is_stored(team, mine, api_client_for):
    item = {"post": mine.post.pk, "external_id": "c1", "text": "a\x00b",
            "posted_at": "2026-03-03T10:00:00Z"}
    answer = api_client_for(team.organization).post(COMMENTS, [item])
    assert answer.status_code == 400
    assert answer.json()["index"] is None  # the JSON parser refuses it: PostgreSQL would
    assert not Comment.objects.exists()


def test_follower_snapshots_upsert_per_account_and_day(team, mine, api_client_for) -> None:
    client = api_client_for(team.organization)
    batch = [
        {"brand_account": mine.brand_account.pk, "date": "2026-03-01", "followers": 100},
        {"social_account": mine.social_account.pk, "date": "2026-03-01", "followers": 5000},
    ]
    assert client.post(FOLLOWERS, batch).json() == {"created": 2, "updated": 0}
    batch[1]["followers"] = 5100
    assert client.post(FOLLOWERS, batch).json() == {"created": 0, "updated": 2}
    assert FollowerSnapshot.objects.count() == 2
    mine.social_account.refresh_from_db()
    assert mine.social_account.followers == 5100


@pytest.mark.parametrize(
    "item",
    [
        {"date": "2026-03-01", "followers": 1},
        {"brand_account": "BA", "social_account": "SA", "date": "2026-03-01", "followers": 1},
    ],
)
def test_a_snapshot_needs_exactly_one_account(item, team, mine, api_client_for) -> None:
    item = {k: {"BA": mine.brand_account.pk, "SA": mine.social_account.pk}.get(v, v)
            if isinstance(v, str) else v for k, v in item.items()}
    answer = api_client_for(team.organization).post(FOLLOWERS, [item])
    assert answer.status_code == 400
    assert "brand_account" in answer.json()["errors"]


def test_another_organizations_account_is_rejected(team, theirs, api_client_for) -> None:
    item = {"social_account": theirs.social_account.pk, "date": "2026-03-01", "followers": 1}
    answer = api_client_for(team.organization).post(FOLLOWERS, [item])
    assert answer.json()["index"] == 0
    assert "social_account" in answer.json()["errors"]


def test_lists_filter_by_parent(team, mine, api_client_for) -> None:
    other_post = f.PostFactory(partnership=mine.partnership, social_account=mine.social_account)
    other_campaign_post = f.PostFactory(
        partnership=f.PartnershipFactory(
            campaign=f.CampaignFactory(brand=mine.brand), influencer=mine.influencer
        ),
        social_account=mine.social_account,
    )
    client = api_client_for(team.organization, Role.VIEWER)
    api_client_for(team.organization).post(
        METRICS, [metric(p.pk, 1) for p in (mine.post, other_post, other_campaign_post)]
    )

    def ids(query: str) -> set[int]:
        return {row["post"] for row in client.get(METRICS + query).json()["results"]}

    assert ids(f"?post={mine.post.pk}") == {mine.post.pk}
    assert ids(f"?campaign={mine.campaign.pk}") == {mine.post.pk, other_post.pk}
    assert ids(f"?partnership={mine.partnership.pk}") == {mine.post.pk, other_post.pk}
    assert ids(f"?brand={mine.brand.pk}") == {mine.post.pk, other_post.pk, other_campaign_post.pk}
    assert client.get(METRICS + "?post=abc").status_code == 400
    assert client.get(METRICS + f"?post={10**30}").status_code == 400


def test_follower_lists_filter_by_account(team, mine, api_client_for) -> None:
    f.FollowerSnapshotFactory(
        organization=team.organization, brand_account=mine.brand_account, social_account=None
    )
    f.FollowerSnapshotFactory(
        organization=team.organization, brand_account=None, social_account=mine.social_account
    )
    client = api_client_for(team.organization, Role.VIEWER)
    rows = client.get(FOLLOWERS + f"?brand_account={mine.brand_account.pk}").json()["results"]
    assert [r["brand_account"] for r in rows] == [mine.brand_account.pk]
    rows = client.get(FOLLOWERS + f"?social_account={mine.social_account.pk}").json()["results"]
    assert [r["social_account"] for r in rows] == [mine.social_account.pk]


@pytest.mark.parametrize("path", [METRICS, COMMENTS, FOLLOWERS])
def test_outsider_gets_404_on_ingested_records(path, team, mine, outsider_team, api_client_for):
    records = {
        METRICS: lambda: f.PostMetricsFactory(post=mine.post),
        COMMENTS: lambda: f.CommentFactory(post=mine.post),
        FOLLOWERS: lambda: f.FollowerSnapshotFactory(
            organization=team.organization, brand_account=None,
            social_account=mine.social_account, date=dt.date(2026, 3, 1),
        ),
    }
    record = records[path]()
    assert api_client_for(team.organization, Role.VIEWER).get(f"{path}{record.pk}/").status_code == 200
    outsider = api_client_for(outsider_team.organization)
    assert outsider.get(f"{path}{record.pk}/").status_code == 404
    assert outsider.get(path).json()["count"] == 0
