"""Bulk ingestion of post metrics, comments and follower counts (API, CSV, forms, connectors).

Each function takes already-parsed items (dicts with the API's field names, related records
as model instances), upserts them on their idempotency key in a fixed number of queries, and
schedules one KPI recompute per affected campaign. All-or-nothing: every item is checked
against its kind's rules (``metrics.validation``) before anything is written, so every caller
is held by the same rules, and everything is written in one transaction.

The deletes of one row (the admin) are here too, with the same side effects: the recompute of
every campaign the row fed, and a creator's follower count kept at her latest snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Organization
from accounts.selectors import Access
from accounts.writes import ensure_in_organization, require_write
from campaigns.models import Campaign, Partnership, Post
from config.validation import items_check
from influencers.models import SocialAccount
from metrics.models import (
    COUNTERS,
    Comment,
    FollowerSnapshot,
    LabelSource,
    PostMetrics,
    Source,
)
from metrics.scheduling import schedule_kpi_recompute
from metrics.services.event_rollups import comment_rollups_change
from metrics.services.post_rollups import (
    PostSnapshotWrite,
    post_histories,
    post_rollups_rederive,
    post_rollups_refresh_facts,
)
from metrics.services.rollup_store import array_literal
from metrics.validation import comment_errors, follower_snapshot_errors, post_metrics_errors

BATCH = 2000


def _last_per_key(items: Iterable[dict[str, Any]], key: Sequence[str]) -> dict[tuple, dict]:
    """Items keyed by their idempotency key; a key sent twice in one batch keeps the last."""
    return {tuple(_key_value(item[k]) for k in key): item for item in items}


def _key_value(value: Any) -> Any:
    return value.pk if isinstance(value, Model) else value


def _existing_keys(model: type[Model], key: Sequence[str], keyed: dict[tuple, dict]) -> set[tuple]:
    """Which keys already have a row, in one query (a superset filter, matched exactly here)."""
    if not keyed:
        return set()
    filters = {}
    columns = []
    for position, field in enumerate(key):
        column = f"{field}_id" if model._meta.get_field(field).is_relation else field
        columns.append(column)
        filters[f"{column}__in"] = {k[position] for k in keyed}
    rows = model._default_manager.filter(**filters).values_list(*columns)
    return {tuple(row) for row in rows} & set(keyed)


def _post_campaigns(post_ids: Iterable[int]) -> list[int]:
    return list(
        Post.objects.filter(pk__in=set(post_ids)).values_list("partnership__campaign_id", flat=True)
    )


@transaction.atomic
def post_metrics_ingest(
    *, organization: Organization, items: Sequence[dict[str, Any]], source: str = Source.API
) -> tuple[int, int]:
    """Upsert snapshots on (post, captured_at); a resent snapshot replaces the old values."""
    items_check(post_metrics_errors, items)
    keyed = _last_per_key(items, ("post", "captured_at"))
    rollups = PostSnapshotWrite(
        (post_id, captured_at, {name: item.get(name) for name in COUNTERS})
        for (post_id, captured_at), item in keyed.items()
    )
    if connection.vendor == "postgresql":
        created = _post_metrics_upsert_postgresql(keyed, source)
    else:
        existing = _existing_keys(PostMetrics, ("post", "captured_at"), keyed)
        rows = [
            PostMetrics(
                post_id=post_id, captured_at=captured_at, source=source,
                **{name: item.get(name) for name in COUNTERS},
            )
            for (post_id, captured_at), item in keyed.items()
        ]
        PostMetrics.objects.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True,
            unique_fields=["post", "captured_at"], update_fields=[*COUNTERS, "source"],
        )
        created = len(keyed) - len(existing)
    rollups.finish()
    schedule_kpi_recompute(rollups.campaign_ids())
    return created, len(keyed) - created


def _post_metrics_upsert_postgresql(keyed: dict[tuple, dict], source: str) -> int:
    """One ``INSERT … SELECT unnest(arrays) ON CONFLICT DO UPDATE`` for the whole batch; returns
    how many rows were new. Django's bulk_create spends most of a 10,000-row upsert preparing
    130,000 parameters one by one; arrays are handed to PostgreSQL whole. A fresh row carries
    this statement's ``created_at`` (an updated one keeps its own), which tells the two apart
    without a query beforehand (``xmax`` would too, but a partitioned table cannot return it)."""
    if not keyed:
        return 0
    meta = PostMetrics._meta
    quote = connection.ops.quote_name
    column = {
        f: quote(meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in ("post", "captured_at", *COUNTERS)
    }
    counters = [column[name] for name in COUNTERS]
    values = list(keyed.values())
    arrays: list[list[Any]] = [[k[0] for k in keyed], [k[1] for k in keyed]]
    arrays += [[item.get(name) for item in values] for name in COUNTERS]
    casts = ["bigint[]", "timestamptz[]"] + ["bigint[]"] * len(COUNTERS)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({column['post']}, {column['captured_at']}, {', '.join(counters)}, "
        f"{quote('source')}, {quote('created_at')}) "
        f"SELECT u.*, %s, %s FROM unnest({', '.join(f'%s::{c}' for c in casts)}) AS u "
        f"ON CONFLICT ({column['post']}, {column['captured_at']}) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in counters)
        + f", {quote('source')} = EXCLUDED.{quote('source')} "
        f"RETURNING ({quote('created_at')} = %s)"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [source, now, *map(array_literal, arrays), now])
        return sum(1 for (inserted,) in cursor.fetchall() if inserted)


@transaction.atomic
def comments_ingest(
    *, organization: Organization, items: Sequence[dict[str, Any]], source: str = Source.API
) -> tuple[int, int]:
    """Upsert comments on (post, external_id), labelled with their sentiment as they arrive.

    A label a manager corrected (``sentiment_source`` manual) is kept as it is when the
    comment is sent again: the correction wins over the model, whatever the new text says."""
    from metrics.sentiment import label

    items_check(comment_errors, items)
    keyed = _last_per_key(items, ("post", "external_id"))
    existing = _existing_keys(Comment, ("post", "external_id"), keyed)
    corrected = _corrected_labels(keyed) if existing else {}
    before = _comment_facts(keyed) if existing else []
    rows = []
    for key, item in keyed.items():
        sentiment, compound = label(item["text"])
        rows.append(
            Comment(
                post_id=key[0], external_id=key[1], text=item["text"],
                posted_at=item["posted_at"], sentiment=corrected.get(key, sentiment),
                compound=compound, source=source,
                sentiment_source=LabelSource.MANUAL if key in corrected else LabelSource.MACHINE,
            )
        )
    Comment.objects.bulk_create(
        rows, batch_size=BATCH, update_conflicts=True, unique_fields=["post", "external_id"],
        update_fields=["text", "posted_at", "sentiment", "compound", "source", "sentiment_source"],
    )
    comment_rollups_change(removed=before, added=[(r.post_id, r.posted_at, r.sentiment)
                                                  for r in rows])
    schedule_kpi_recompute(_post_campaigns(post_id for post_id, _ in keyed))
    return len(keyed) - len(existing), len(existing)


def _comment_facts(keyed: dict[tuple, dict]) -> list[tuple[int, Any, str]]:
    """(post, posted at, label) of the stored comments among ``keyed``, as the rollups hold
    them before a re-send replaces them."""
    rows = Comment.objects.filter(
        post_id__in={k[0] for k in keyed}, external_id__in={k[1] for k in keyed},
    ).values_list("post_id", "external_id", "posted_at", "sentiment")
    return [(post_id, posted_at, sentiment) for post_id, ext, posted_at, sentiment in rows
            if (post_id, ext) in keyed]


def _corrected_labels(keyed: dict[tuple, dict]) -> dict[tuple, str]:
    """The hand-corrected labels among ``keyed``'s comments, in one query (a superset filter,
    matched exactly here)."""
    rows = Comment.objects.filter(
        post_id__in={k[0] for k in keyed}, external_id__in={k[1] for k in keyed},
        sentiment_source=LabelSource.MANUAL,
    ).values_list("post_id", "external_id", "sentiment")
    return {(post_id, ext): sentiment for post_id, ext, sentiment in rows if (post_id, ext) in keyed}


@transaction.atomic
def follower_snapshots_ingest(
    *, organization: Organization, items: Sequence[dict[str, Any]], source: str = Source.API
) -> tuple[int, int]:
    """Upsert follower counts on (account, date), for brand accounts and creator accounts."""
    items_check(follower_snapshot_errors, items)
    created = updated = 0
    brand_items = [i for i in items if i.get("brand_account") is not None]
    social_items = [i for i in items if i.get("social_account") is not None]
    for field, group in (("brand_account", brand_items), ("social_account", social_items)):
        keyed = _last_per_key(group, (field, "date"))
        existing = _existing_keys(FollowerSnapshot, (field, "date"), keyed)
        current = {
            (getattr(s, f"{field}_id"), s.date): s
            for s in FollowerSnapshot.objects.filter(
                **{f"{field}_id__in": {k[0] for k in existing}, "date__in": {k[1] for k in existing}}
            )
        }
        changed = []
        for key in existing:
            snapshot = current[key]
            snapshot.followers = keyed[key]["followers"]
            snapshot.source = source
            changed.append(snapshot)
        FollowerSnapshot.objects.bulk_update(changed, ["followers", "source"], batch_size=BATCH)
        FollowerSnapshot.objects.bulk_create(
            [
                FollowerSnapshot(
                    organization=organization, date=date, followers=keyed[(account_id, date)]["followers"],
                    source=source, **{f"{field}_id": account_id},
                )
                for (account_id, date) in keyed
                if (account_id, date) not in existing
            ],
            batch_size=BATCH,
        )
        created += len(keyed) - len(existing)
        updated += len(existing)
    _refresh_creator_followers({i["social_account"].pk for i in social_items})
    post_rollups_refresh_facts(Post.objects.filter(
        social_account_id__in={i["social_account"].pk for i in social_items}
    ).values_list("pk", flat=True))
    schedule_kpi_recompute(_account_campaigns(
        brand_ids={i["brand_account"].brand_id for i in brand_items},
        influencer_ids={i["social_account"].influencer_id for i in social_items},
    ))
    return created, updated


def _refresh_creator_followers(account_ids: set[int]) -> None:
    """Keep ``SocialAccount.followers`` at the latest snapshot's count."""
    for account in SocialAccount.objects.filter(pk__in=account_ids):
        latest = account.snapshots.order_by("-date").values_list("followers", flat=True).first()
        if latest is not None and latest != account.followers:
            account.followers = latest
            account.save(update_fields=["followers"])


def _account_campaigns(*, brand_ids: set[int], influencer_ids: set[int]) -> list[int]:
    """The campaigns follower counts feed: audience growth is brand-level for a brand account;
    a creator's account feeds her partnerships."""
    campaign_ids = list(Campaign.objects.filter(brand_id__in=brand_ids).values_list("pk", flat=True))
    campaign_ids += list(
        Partnership.objects.filter(influencer_id__in=influencer_ids).values_list(
            "campaign_id", flat=True
        )
    )
    return campaign_ids


# --- Hand deletions of one row (the admin) ---------------------------------------------------
@transaction.atomic
def post_metrics_delete(*, access: Access, post_metrics: PostMetrics) -> None:
    """Delete one snapshot of a post's counters; the post's campaign is recomputed."""
    require_write(access, PostMetrics, "delete")
    ensure_in_organization(access, post_metrics)
    campaign_ids = _post_campaigns([post_metrics.post_id])
    history = post_histories([post_metrics.post_id]).get(post_metrics.post_id, [])
    PostMetrics.objects.filter(pk=post_metrics.pk).delete()
    post_rollups_rederive([post_metrics.post_id], old_histories={post_metrics.post_id: history})
    schedule_kpi_recompute(campaign_ids)


@transaction.atomic
def comment_delete(*, access: Access, comment: Comment) -> None:
    """Delete one comment; the post's campaign is recomputed (its sentiment counts)."""
    require_write(access, Comment, "delete")
    ensure_in_organization(access, comment)
    campaign_ids = _post_campaigns([comment.post_id])
    row = Comment.objects.filter(pk=comment.pk).values_list("post_id", "posted_at", "sentiment")
    comment_rollups_change(removed=list(row))
    Comment.objects.filter(pk=comment.pk).delete()
    schedule_kpi_recompute(campaign_ids)


@transaction.atomic
def follower_snapshot_delete(*, access: Access, snapshot: FollowerSnapshot) -> None:
    """Delete one follower count. A creator's count goes back to her latest remaining
    snapshot, as ingestion keeps it (none left: it stays as it is, as ingestion never clears
    it); the campaigns the account feeds are recomputed."""
    require_write(access, FollowerSnapshot, "delete")
    ensure_in_organization(access, snapshot)
    row = FollowerSnapshot.objects.select_related("brand_account", "social_account").get(
        pk=snapshot.pk
    )
    row.delete()
    if row.social_account is not None:
        _refresh_creator_followers({row.social_account.pk})
    schedule_kpi_recompute(_account_campaigns(
        brand_ids={row.brand_account.brand_id} if row.brand_account is not None else set(),
        influencer_ids=(
            {row.social_account.influencer_id} if row.social_account is not None else set()
        ),
    ))
