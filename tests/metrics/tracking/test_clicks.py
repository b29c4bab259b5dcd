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
    fields = rec.fields() + ["u", "1" if unique else "0"]
    raw = {fields[i].encode(): fields[i + 1].encode() for i in range(0, len(fields), 2)}
    return b"1-0", raw


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
