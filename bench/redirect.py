"""`/r/<slug>` against `/healthz` (issue 5): gunicorn on 127.0.0.1 in real mode (PostgreSQL
`fb_bench_redirect`, Redis db 13) with a Celery worker (and its beat) draining the click buffer.
`wrk` runs 15 s at 32 connections on each path, one after the other, on the same server; a Lua
script counts the 302s. Targets: `/r/` ≥ 0.7 × `/healthz` requests/s, p99 ≤ 15 ms, and after
the drain the stored clicks equal the 302s served (nothing lost, nothing doubled). The machine
is shared, so absolute numbers move between runs; the ratio is the comparable figure."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._support import recreate_database, url_for

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("FUNNELBOARD_BENCH_REDIRECT_DB", "fb_bench_redirect")
REDIS_URL = os.environ.get("FUNNELBOARD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
DURATION_S = int(os.environ.get("FUNNELBOARD_BENCH_REDIRECT_SECONDS", "15"))
CONNECTIONS = 32
TARGETS = {"ratio": 0.7, "p99_ms": 15.0}
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)

LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) c302 = 0; c200 = 0; cother = 0 end
function response(status, headers, body)
  if status == 302 then c302 = c302 + 1
  elseif status == 200 then c200 = c200 + 1
  else cother = cother + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("c302"); b = b + t:get("c200");
    c = c + t:get("cother") end
  local e = summary.errors
  io.write(string.format("FB 302=%d 200=%d other=%d requests=%d seconds=%f p50=%f p99=%f " ..
    "errors=%d\\n", a, b, c, summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""




def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


_TOKEN_KEY = os.environ.get("FUNNELBOARD_TOKEN_KEY") or _fernet_key()


def _env() -> dict[str, str]:
    return worker_env(DB_NAME)


def worker_env(db_name: str) -> dict[str, str]:
    """Production-like settings on a benchmark database of its own (also used by bench.load)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url_for(db_name),
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        FUNNELBOARD_LOG_LEVEL="WARNING",
        FUNNELBOARD_DB_POOL_SIZE="8",
        FUNNELBOARD_TOKEN_KEY=_TOKEN_KEY,
    )
    return env


def _child(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "-m", "bench.redirect", *args], cwd=ROOT, env=_env(),
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.redirect {args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def _prepare() -> str:
    import redis

    recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=_env(),
        check=True,
    )
    return _child("setup")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 — 127.0.0.1
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def _wrk_args(url: str, script: Path, seconds: int = DURATION_S) -> list[str]:
    return ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script),
            "-H", f"User-Agent: {BROWSER}", url]


def _wrk(url: str, script: Path) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        _wrk_args(url, script), capture_output=True, text=True, check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("FB "))
    values = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    values["rps"] = values["requests"] / values["seconds"]
    return values


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class Stack:
    """gunicorn (2 workers × 4 threads) logging each answer's status and path, and a Celery
    worker with its beat draining the click buffer, on a benchmark's database and Redis."""

    base: str
    workdir: Path
    script: Path
    access_log: Path
    processes: list[subprocess.Popen[bytes]]

    def served(self, prefix: str = "302 /r/") -> int:
        """The server's own count of answers: wrk stops with up to 32 requests in flight whose
        redirects were served (and their clicks recorded) but never read by wrk."""
        time.sleep(1)  # let the last in-flight requests finish and be logged
        return sum(1 for line in self.log() if line.startswith(prefix))

    def log(self) -> list[str]:
        return self.access_log.read_text().splitlines()

    def stop(self) -> None:
        for process in self.processes:
            _stop(process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_stack(env: dict[str, str], label: str) -> Stack:
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix=f"fb-bench-{label}-"))
    script = workdir / "count.lua"
    script.write_text(LUA)
    access_log = workdir / "access.log"
    venv_bin = Path(sys.executable).parent
    web = subprocess.Popen(  # noqa: S603
        [str(venv_bin / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "2", "-k", "gthread", "--threads", "4", "--log-level", "warning",
         "--timeout", "60", "--access-logfile", str(access_log),
         "--access-logformat", "%(s)s %(U)s"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    worker = subprocess.Popen(  # noqa: S603
        [str(venv_bin / "celery"), "-A", "config", "worker", "-B", "-c", "1", "-l", "warning",
         "--schedule", str(workdir / "beat-schedule"), "-n", f"bench-{label}-{port}@%h"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", workdir, script, access_log, [web, worker])
    try:
        _wait_up(f"{stack.base}/healthz")
    except Exception:
        stack.stop()
        raise
    return stack


def wait_for_drain(count: Any, served: int, timeout: float = 180) -> tuple[int, int]:
    """Poll ``count() -> (stored, buffered)`` until the beat drained every served click."""
    deadline = time.monotonic() + timeout
    stored, buffered = -1, -1
    while time.monotonic() < deadline:
        stored, buffered = count()
        if buffered == 0 and stored >= served:
            break
        time.sleep(2)
    return stored, buffered


def run() -> list[dict[str, Any]]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`).")
    slug = _prepare()
    stack = start_stack(_env(), "redirect")
    try:
        health = _wrk(f"{stack.base}/healthz", stack.script)
        redirect = _wrk(f"{stack.base}/r/{slug}", stack.script)
        received = int(redirect["302"])
        served = stack.served()
        stored, buffered = wait_for_drain(
            lambda: tuple(int(x) for x in _child("count", slug).split()), served
        )
    finally:
        stack.stop()
    ratio = redirect["rps"] / health["rps"] if health["rps"] else 0.0
    p99 = redirect["p99"]
    return [
        {"measure": "/healthz requests/s", "value": round(health["rps"]), "target": None,
         "met": None},
        {"measure": "/r/<slug> requests/s", "value": round(redirect["rps"]), "target": None,
         "met": None},
        {"measure": "ratio /r/ ÷ /healthz", "value": round(ratio, 3),
         "target": f"≥ {TARGETS['ratio']}", "met": ratio >= TARGETS["ratio"]},
        {"measure": "/r/ p50 latency (ms)", "value": round(redirect["p50"], 2), "target": None,
         "met": None},
        {"measure": "/r/ p99 latency (ms)", "value": round(p99, 2),
         "target": f"≤ {TARGETS['p99_ms']:g}", "met": p99 <= TARGETS["p99_ms"]},
        {"measure": "/healthz p99 latency (ms)", "value": round(health["p99"], 2),
         "target": None, "met": None},
        {"measure": "302s served (server log) / read by wrk / other answers / socket errors",
         "value": f"{served:,} / {received:,} / {int(redirect['other'] + redirect['200']):,} / "
                  f"{int(redirect['errors']):,}", "target": None, "met": None},
        {"measure": "clicks stored after the drain (still buffered)",
         "value": f"{stored:,} ({buffered:,})", "target": "= 302s served",
         "met": stored == served and buffered == 0},
    ]


# --- Child commands (run with the benchmark's database and Redis) -----------------------------
def _setup_django() -> None:
    import django

    django.setup()


def _cmd_setup() -> None:
    _setup_django()
    import datetime as dt

    from accounts.models import Organization
    from campaigns.models import Brand, Campaign, Partnership, TrackingLink
    from influencers.models import Influencer

    org = Organization.objects.create(name="Bench", slug="bench")
    brand = Brand.objects.create(organization=org, name="Bench brand", website="https://b.example")
    today = dt.datetime.now(dt.UTC).date()
    campaign = Campaign.objects.create(
        brand=brand, name="Bench", slug="bench", stage="BOFU", start_date=today,
        end_date=today + dt.timedelta(days=30),
    )
    influencer = Influencer.objects.create(organization=org, name="Bench creator")
    partnership = Partnership.objects.create(campaign=campaign, influencer=influencer)
    link = TrackingLink.objects.create(
        partnership=partnership, slug="bench-link",
        destination_url="https://b.example/shop?color=red", utm_source="instagram",
        utm_medium="influencer", utm_campaign="bench", utm_content="creator",
    )
    print(link.slug)


def _cmd_count(slug: str) -> None:
    _setup_django()
    from metrics.models import Click
    from metrics.tracking.clicks import buffered_count

    print(Click.objects.filter(link__slug=slug).count(), buffered_count())


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "setup":
        _cmd_setup()
    elif command == "count":
        _cmd_count(*rest)
    else:
        raise SystemExit(f"unknown command {command}")
