"""metrics/tracking/clicks.py — the click buffer: direct writes, the Redis fallback, draining without loss or doubles.

Tests marked ``realmode`` need a Redis (``REDIS_URL``, e.g. db 12) and run with
``DATABASE_URL=postgres://…/fb_track REDIS_URL=redis://127.0.0.1:6379/12``.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import Client

from campaigns import link_cache
from metrics.models import Click
from metrics.tracking import clicks
from metrics.tracking.clicks import ClickRecord
from metrics.tracking.tasks import drain_click_buffer
from tests import factories as f
from tests.concurrency import race

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"
NOW = dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC)

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    link_cache.clear_local_cache()


def record(link, click_id: str = "c_1", **kw) -> ClickRecord:
    kw.setdefault("occurred_at", NOW)
    kw.setdefault("visitor_hash", "v" * 64)
    return ClickRecord(click_id=click_id, link_id=link.pk,
                       campaign_id=link.partnership.campaign_id, **kw)


def entry(rec: ClickRecord, unique: bool = True) -> tuple[bytes, dict[bytes, bytes]]:
    return b"1-0", {b"x": f"{int(unique)}\t{rec.packed()}".encode()}


def test_embedded_mode_writes_the_click_directly(db, settings) -> None:
    settings.REDIS_URL = ""
    link = f.TrackingLinkFactory()
    clicks.record_click(record(link))
    click = Click.objects.get()
    assert click.click_id == "c_1" and click.is_unique and click.occurred_at == NOW


def test_a_direct_write_decides_uniqueness_per_visitor_link_and_utc_day(db, settings) -> None:
    settings.REDIS_URL = ""
    link = f.TrackingLinkFactory()
    clicks.record_click(record(link, "c_1"))
    clicks.record_click(record(link, "c_2", occurred_at=NOW + dt.timedelta(hours=13)))
    clicks.record_click(record(link, "c_3", occurred_at=NOW + dt.timedelta(hours=14)))
    clicks.record_click(record(link, "c_4", is_bot=True))
    unique = dict(Click.objects.values_list("click_id", "is_unique"))
    assert unique == {"c_1": True, "c_2": False, "c_3": True, "c_4": False}


def test_a_click_written_twice_is_stored_once(db, settings) -> None:
    settings.REDIS_URL = ""
    link = f.TrackingLinkFactory()
    clicks.record_click(record(link))
    clicks.record_click(record(link))
    assert Click.objects.count() == 1


def test_when_redis_is_down_the_redirect_writes_the_click_directly(db, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    clicks._clients.clear()
    link = f.TrackingLinkFactory(slug="down")
    response = Client().get("/r/down", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    click = Click.objects.get()
    assert f"fb_click={click.click_id}" in response["Location"]
    assert click.link == link
    clicks._clients.clear()


def test_a_batch_stored_twice_after_a_crash_adds_no_duplicates(db) -> None:
    link = f.TrackingLinkFactory()
    batch = [entry(record(link, "c_1")), entry(record(link, "c_2"), unique=False)]
    assert clicks.store_batch(batch) == 2
    assert clicks.store_batch(batch) == 2  # redelivered: ignore_conflicts on click_id
    assert Click.objects.count() == 2
    assert dict(Click.objects.values_list("click_id", "is_unique")) == {
        "c_1": True, "c_2": False,
    }


def test_entries_of_a_deleted_link_or_malformed_ones_are_dropped(db) -> None:
    link = f.TrackingLinkFactory()
    gone = f.TrackingLinkFactory()
    batch = [entry(record(link, "c_1")), entry(record(gone, "c_2")), (b"9-0", {b"c": b"x"}),
             (b"10-0", None)]
    gone.delete()
    assert clicks.store_batch(batch) == 1
    assert list(Click.objects.values_list("click_id", flat=True)) == ["c_1"]


def test_a_click_packs_into_one_string_and_back() -> None:
    rec = ClickRecord(click_id="c_9", link_id=7, campaign_id=3, occurred_at=NOW,
                      visitor_hash="f" * 64, referrer_host="l.instagram.com", device="mobile",
                      country="DE", is_bot=True)
    assert ClickRecord.from_entry({b"x": f"0\t{rec.packed()}".encode()}) == (rec, False)


def test_a_tab_in_a_referrer_host_cannot_shift_the_packed_fields() -> None:
    rec = ClickRecord(click_id="c_9", link_id=7, campaign_id=3, occurred_at=NOW,
                      visitor_hash="f" * 64, referrer_host="evil\t.example")
    back, unique = ClickRecord.from_entry({"x": f"1\t{rec.packed()}"})
    assert back.referrer_host == "evil.example" and back.visitor_hash == "f" * 64 and unique


def test_entries_buffered_before_the_packed_format_are_still_stored(db) -> None:
    link = f.TrackingLinkFactory()
    old = {b"c": b"c_old", b"l": str(link.pk).encode(),
           b"k": str(link.partnership.campaign_id).encode(), b"t": NOW.isoformat().encode(),
           b"v": b"v" * 64, b"r": b"", b"d": b"desktop", b"g": b"", b"b": b"0", b"u": b"1"}
    assert clicks.store_batch([(b"1-0", old)]) == 1
    click = Click.objects.get()
    assert (click.click_id, click.device, click.is_unique) == ("c_old", "desktop", True)


def test_a_packed_entry_with_missing_fields_is_dropped_not_stored(db) -> None:
    link = f.TrackingLinkFactory()
    batch = [entry(record(link, "c_1")), (b"2-0", {b"x": b"1\tc_2\t5"})]
    assert clicks.store_batch(batch) == 1
    assert list(Click.objects.values_list("click_id", flat=True)) == ["c_1"]


def test_a_visitor_already_counted_in_the_database_is_not_counted_again(db) -> None:
    """Redis forgot the visitor (restart) or never saw it (a direct write while it was down):
    the drain demotes the buffered click that Redis called unique."""
    link = f.TrackingLinkFactory()
    other = f.TrackingLinkFactory(partnership=link.partnership)
    clicks.store_batch([entry(record(link, "c_1"))])
    later = NOW + dt.timedelta(hours=2)
    batch = [entry(record(link, "c_2", occurred_at=later)),
             entry(record(link, "c_3", occurred_at=later, visitor_hash="w" * 64)),
             entry(record(other, "c_4", occurred_at=later)),
             entry(record(link, "c_5", occurred_at=NOW + dt.timedelta(days=1)))]
    assert clicks.store_batch(batch) == 4
    assert dict(Click.objects.values_list("click_id", "is_unique")) == {
        "c_1": True, "c_2": False, "c_3": True, "c_4": True, "c_5": True,
    }


def test_the_drain_task_is_a_no_op_in_embedded_mode(settings) -> None:
    settings.REDIS_URL = ""
    assert drain_click_buffer() == 0


# --- Real Redis --------------------------------------------------------------------------------
@pytest.fixture
def redis_buffer(settings):
    clicks._clients.clear()
    client = clicks.redis_client(purpose="drain")
    client.delete(clicks.STREAM)
    for key in client.scan_iter("fb:click-seen:*"):
        client.delete(key)
    yield client
    client.delete(clicks.STREAM)
    clicks._clients.clear()


@pytest.mark.realmode
@needs_redis
def test_real_mode_buffers_the_click_and_the_drain_stores_it(db, redis_buffer) -> None:
    link = f.TrackingLinkFactory(slug="buffered")
    for _ in range(3):
        assert Client().get("/r/buffered", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert Client().get("/r/buffered", HTTP_USER_AGENT="Twitterbot/1.0").status_code == 302
    assert Click.objects.count() == 0  # nothing waited for the database
    assert clicks.buffered_count() == 4
    assert clicks.drain() == 4
    assert clicks.buffered_count() == 0
    assert Click.objects.filter(link=link).count() == 4
    assert Click.objects.filter(is_unique=True).count() == 1  # same visitor, same day
    assert Click.objects.filter(is_bot=True, is_unique=False).count() == 1
    assert clicks.drain() == 0


@pytest.mark.realmode
@needs_redis
def test_a_killed_drainer_loses_nothing_and_doubles_nothing(
    db, redis_buffer, monkeypatch
) -> None:
    link = f.TrackingLinkFactory()
    for n in range(5):
        clicks.push(record(link, f"c_{n}", visitor_hash=f"{n:064d}"))
    clicks.ensure_group(redis_buffer)
    # A drainer reads the batch, stores part of it, and dies before acknowledging.
    read = redis_buffer.xreadgroup(clicks.GROUP, "dead-worker", {clicks.STREAM: ">"}, count=10)
    entries = list(read[0][1])
    clicks.store_batch(entries[:2])
    assert clicks.drain() == 0  # not idle long enough yet: nobody steals a live batch
    monkeypatch.setattr(clicks, "CLAIM_IDLE_MS", 0)
    assert clicks.drain() == 5
    assert Click.objects.count() == 5
    assert redis_buffer.xpending(clicks.STREAM, clicks.GROUP)["pending"] == 0
    assert clicks.buffered_count() == 0


@pytest.mark.realmode
@needs_redis
def test_the_drain_stores_full_batches_and_leaves_a_trickle_for_its_next_run(
    db, redis_buffer, monkeypatch
) -> None:
    """Under load clicks keep arriving while a batch is stored: a drain that chased them
    would write batch after batch of a few clicks, each paying a batch's fixed cost. It stops
    after the first short batch; the rest waits for the next run (two seconds later)."""
    link = f.TrackingLinkFactory()
    for n in range(25):
        clicks.push(record(link, f"c_{n}", visitor_hash=f"{n:064d}"))
    store_batch = clicks.store_batch
    arrived = iter(range(100, 200))

    def store_while_clicks_arrive(entries):
        clicks.push(record(link, f"c_{next(arrived)}"))
        return store_batch(entries)

    monkeypatch.setattr(clicks, "store_batch", store_while_clicks_arrive)
    assert clicks.drain(batch_size=10) == 10 + 10 + 7  # 25, and two that came meanwhile
    assert clicks.buffered_count() == 1
    assert clicks.drain(batch_size=10) == 1


@pytest.mark.realmode
@needs_redis
def test_the_same_visitor_is_unique_once_per_link_and_day_in_redis(db, redis_buffer) -> None:
    link = f.TrackingLinkFactory()
    assert clicks.push(record(link, "c_1")) is True
    assert clicks.push(record(link, "c_2")) is False
    assert clicks.push(record(link, "c_3", occurred_at=NOW + dt.timedelta(days=1))) is True
    assert clicks.push(record(link, "c_4", is_bot=True)) is False
    ttl = redis_buffer.ttl(clicks.unique_key(record(link)))
    assert 0 < ttl <= clicks.UNIQUE_TTL_SECONDS
    clicks.drain()
    assert dict(Click.objects.values_list("click_id", "is_unique")) == {
        "c_1": True, "c_2": False, "c_3": True, "c_4": False,
    }


@pytest.mark.realmode
@needs_redis
def test_threads_push_on_their_own_connections_and_every_click_lands(db, redis_buffer) -> None:
    link = f.TrackingLinkFactory()

    def push_many(thread: int) -> None:
        for n in range(25):
            clicks.push(record(link, f"c_{thread}_{n}", visitor_hash=f"{thread:064d}"))

    assert race(push_many, 8) == []
    assert clicks.buffered_count() == 200
    assert clicks.drain() == 200
    assert Click.objects.count() == 200
    assert Click.objects.filter(is_unique=True).count() == 8  # one per visitor


@pytest.mark.realmode
@needs_redis
def test_a_push_after_redis_forgot_its_scripts_still_lands(db, redis_buffer) -> None:
    link = f.TrackingLinkFactory()
    assert clicks.push(record(link, "c_1")) is True
    redis_buffer.script_flush()  # as after a restart: EVALSHA answers NOSCRIPT
    assert clicks.push(record(link, "c_2", visitor_hash="w" * 64)) is True
    assert clicks.push(record(link, "c_3", visitor_hash="w" * 64)) is False
    assert clicks.drain() == 3
