"""Faults survived, with the real pieces: a Celery worker killed mid-recompute, Redis stopped
under the redirect, and the nightly recompute triggered by two beats.

The worker and Redis tests need real mode (DATABASE_URL + REDIS_URL) and skip otherwise."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from metrics.models import Click, KpiScope, KpiSnapshot, PostMetrics, RollupRebuild
from tests import factories as f
from tests.worker import real_mode_available, requires_real_mode, start_worker, wait_for

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 — fixed arguments
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: _pings(redis.Redis.from_url(self.url, socket_timeout=0.5)), timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _pings(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # not up yet
        return False


@pytest.fixture
def private_redis(settings) -> Iterator[PrivateRedis]:
    import shutil

    if not shutil.which("redis-server") or not real_mode_available():
        pytest.skip("needs redis-server and real mode")
    from metrics.tracking import clicks

    server = PrivateRedis()
    server.start()
    settings.REDIS_URL = server.url
    clicks._clients.clear()
    yield server
    server.stop()
    clicks._clients.clear()


def _click(slug: str) -> int:
    return Client().get(f"/r/{slug}", HTTP_USER_AGENT=BROWSER).status_code


@pytest.mark.realmode
@requires_real_mode
def test_redis_stopping_and_returning_loses_and_doubles_no_click(db, private_redis):
    from metrics.tracking import clicks

    link = f.TrackingLinkFactory(slug="fault-redis")
    served = 0
    for _ in range(5):  # Redis up: buffered
        served += _click(link.slug) == 302
    assert Click.objects.count() == 0
    assert clicks.drain() == 5

    private_redis.stop()  # Redis down: the redirect still answers and writes directly
    for _ in range(5):
        served += _click(link.slug) == 302
    assert Click.objects.count() == 10

    private_redis.start()  # Redis back (empty, as after a restart without persistence)
    clicks._clients.clear()
    for _ in range(5):
        served += _click(link.slug) == 302
    clicks.drain()
    clicks.drain()

    stored = Click.objects.filter(link=link)
    assert served == 15
    assert stored.count() == 15
    assert stored.values("click_id").distinct().count() == 15
    # One visitor, one link, one UTC day: unique once, however Redis came and went.
    assert stored.filter(is_unique=True).count() == 1


def _comparable(document: Any) -> Any:
    """The document without its timestamps (a recompute at another moment may differ only
    there)."""
    if isinstance(document, dict):
        return {k: _comparable(v) for k, v in document.items() if k not in {"computed_at", "as_of"}}
    if isinstance(document, list):
        return [_comparable(v) for v in document]
    return document


def _snapshots(campaign_id: int) -> dict[tuple[str, str], Any]:
    return {
        (s.scope, s.key): _comparable(s.data)
        for s in KpiSnapshot.objects.filter(campaign_id=campaign_id)
    }


def _busy_campaign(organization: Any) -> Any:
    """A campaign whose recompute takes long enough to be killed in the middle."""
    campaign = f.CampaignFactory(
        brand__organization=organization, start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 3, 31),
    )
    partnerships = [f.PartnershipFactory(campaign=campaign) for _ in range(20)]
    posts = [f.PostFactory(partnership=partnerships[n % 20]) for n in range(400)]
    start = dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
    PostMetrics.objects.bulk_create(
        [
            PostMetrics(post=post, captured_at=start + dt.timedelta(days=day),
                        impressions=1000 * day, reach=700 * day, likes=40 * day,
                        comments=day, shares=day // 2)
            for post in posts for day in range(80)
        ],
        batch_size=5000,
    )
    return campaign


RECOMPUTE = "metrics.tasks.recompute_campaign_kpis"


def _recomputes(log: str) -> int:
    """How many recompute tasks the worker's log says succeeded."""
    return sum(1 for line in log.splitlines() if RECOMPUTE in line and "succeeded" in line)


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@pytest.mark.realmode
@pytest.mark.celery_worker
@requires_real_mode
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recompute_is_redelivered_and_leaves_a_clean_result(team, settings):
    from metrics.engine import kpis_recompute
    from metrics.tasks import recompute_campaign_kpis

    campaign = _busy_campaign(team.organization)
    kpis_recompute(campaign_id=campaign.pk)  # a previous result, which must survive the crash
    previous = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL).computed_at
    # A recompute from the rollups is over in tens of milliseconds; without its rebuild mark
    # the worker's recompute first rebuilds them from the raw rows, long enough to be killed.
    RollupRebuild.objects.filter(campaign=campaign).delete()

    worker = start_worker(settings.DATABASES["default"]["NAME"])
    try:
        killed_at = timezone.now()
        recompute_campaign_kpis.delay(campaign.pk)
        wait_for(lambda: "recompute_campaign_kpis" in worker.log() and "received" in worker.log(),
                 timeout=60, interval=0.02)
        # The pool child starts the task as soon as it is received; the recompute of this
        # campaign takes ~0.3 s or more, so 50 ms later it is inside it.
        time.sleep(0.05)
        children = _pool_children(worker.process.pid)
        assert children, "the prefork pool has a child process"
        for child in children:
            os.kill(child, signal.SIGKILL)
        # Until the redelivered task finishes, the stored result is the previous one, whole.
        total = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
        assert total.computed_at == previous or total.computed_at >= killed_at

        wait_for(lambda: _recomputes(worker.log()) >= 1, timeout=120)
        log = worker.log()
        assert "WorkerLostError" in log or "signal 9" in log or "SIGKILL" in log, log[-2000:]
    finally:
        worker.stop()
    # (The ledger's task, queued by the recompute, succeeds too: only the recompute's count.)
    assert _recomputes(log) == 1, "the recompute completed exactly once"
    after_crash = _snapshots(campaign.pk)
    assert KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL).computed_at > previous
    kpis_recompute(campaign_id=campaign.pk)
    assert after_crash == _snapshots(campaign.pk), "the stored KPIs equal a clean recompute"


def test_two_beats_on_the_same_day_recompute_each_campaign_once(
    team, monkeypatch, django_capture_on_commit_callbacks
):
    from metrics import tasks

    f.CampaignFactory(brand__organization=team.organization, status="active")
    f.CampaignFactory(brand__organization=team.organization, status="active")
    sent: list[int] = []
    monkeypatch.setattr(
        tasks.recompute_campaign_kpis, "apply_async",
        lambda args=(), **kwargs: sent.append(args[0]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_active_campaigns()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_active_campaigns()  # the second beat process, the same night
    assert len(sent) == 2 and len(set(sent)) == 2
