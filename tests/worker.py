"""A real Celery worker for real-mode tests (PostgreSQL + Redis, not eager).

``start_worker()`` runs ``celery -A config worker`` in a subprocess against the *test* database
(pytest-django's ``settings.DATABASES["default"]["NAME"]``) and the same ``REDIS_URL``, waits
until it is ready, and ``stop()`` shuts it down. The ``celery_worker`` fixture wraps it per
module; reliability tests may call ``start_worker`` themselves (e.g. to kill it mid-task).

A test that sends tasks to such a worker is marked ``realmode`` (it needs PostgreSQL and Redis)
and ``celery_worker`` (tests/conftest.py then leaves Celery not eager for it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def real_mode_available() -> bool:
    return bool(os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL"))


requires_real_mode = pytest.mark.skipif(
    not real_mode_available(), reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL"
)


def database_url_for(name: str) -> str:
    """``DATABASE_URL`` with its database name replaced (the worker uses the test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log_path: Path
    hostname: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): a crash, not a shutdown."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown (finish the current task), then SIGKILL if it hangs."""
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def start_worker(database_name: str, *, concurrency: int = 1, pool: str = "prefork",
                 extra_env: dict[str, str] | None = None, ready_timeout: float = 60,
                 purge: bool = True) -> Worker:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(database_name),
        "REDIS_URL": os.environ["REDIS_URL"],
        "FUNNELBOARD_DB_POOL_SIZE": "4",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    hostname = f"test-{uuid.uuid4().hex[:8]}@%h"
    log = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
    args = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
        f"--concurrency={concurrency}", f"--pool={pool}", "-n", hostname,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    if purge:
        args.append("--purge")  # tasks left over by an earlier run would hit other data
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 — fixed arguments
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches the children
        )
    worker = Worker(process=process, log_path=log, hostname=hostname)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if not worker.alive():
            raise RuntimeError(f"The Celery worker exited:\n{worker.log()}")
        if " ready." in worker.log():
            return worker
        time.sleep(0.2)
    worker.kill()
    raise RuntimeError(f"The Celery worker was not ready in {ready_timeout}s:\n{worker.log()}")


def wait_for(predicate: Callable[[], T | None], timeout: float = 60, interval: float = 0.2
             ) -> T:
    """Poll ``predicate()`` until it returns something truthy; that value, else TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(interval)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup: None, django_db_blocker: object) -> Iterator[Worker]:
    """A real worker on the test database for the whole module (real mode only)."""
    if not real_mode_available():
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    from django.conf import settings

    worker = start_worker(settings.DATABASES["default"]["NAME"])
    try:
        yield worker
    finally:
        worker.stop()
