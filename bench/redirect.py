"""`/r/<slug>` against the framework's own floor (issues 5 and 14): gunicorn (the Procfile's
gthread workers, 2 × 4 threads) on 127.0.0.1 in real mode (PostgreSQL `fb_bench_redirect`, Redis
db 13) with a Celery worker (and its beat) draining the click buffer, started as the Procfile
starts it (``nice -n 10``: below the web's CPU priority), and beside it the floor — a bare Django view answering 302 (no
middleware, no database; `bench/_floor.py`) served by gunicorn with the same settings. `wrk`
(32 connections) first warms both servers (2 s on each address, left out of every figure),
then runs rounds of 8 s alternating floor, `/r/`, `/healthz`, five times; a Lua script counts
the answers. Rates and latencies are medians over the rounds, ratios are taken
round by round (the floor of the same round) and their median reported. CPU is read from
/proc: the web server's processes (master and workers), the Celery worker's process group
(worker, pool child, beat; measured from the first round until the buffer is empty — shown
gross, and net of the worker's idle rate measured for a few seconds before any load, which is
what the drain target is judged on), redis-server and PostgreSQL, per request served. Targets: `/r/` ≥ 0.7 × the floor's requests/s,
`/r/` p99 ≤ 1.5 × the floor's p99, no 5xx, the drain ≤ 10 % of the redirect's CPU, and after
the drain the stored clicks equal the 302s the server logged (nothing lost, nothing doubled).
The machine is shared, so absolute numbers move between runs; the ratios are the comparable
figures."""

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
DURATION_S = int(os.environ.get("FUNNELBOARD_BENCH_REDIRECT_SECONDS", "8"))
ROUNDS = int(os.environ.get("FUNNELBOARD_BENCH_REDIRECT_ROUNDS", "5"))
WARM_UP_S = 2
# The worker's own idle cost (beat ticking every 2 s, broker polling), measured before any load,
# so the drain's share can be given net of what the worker spends with nothing to drain.
IDLE_SECONDS = 8.0
CONNECTIONS = 32
TARGETS = {"ratio": 0.7, "p99_factor": 1.5, "drain_share": 0.10}
# Every gunicorn of the benchmarks (app and floor) runs with these settings: the Procfile's
# worker class (gthread) with two workers of four threads. FUNNELBOARD_BENCH_GUNICORN replaces
# the worker options, e.g. "-w 4 -k sync" (measured 2026-12-02: /r/ 0.72x the floor, but p99
# 1.8x — a sync worker waiting on Redis serves nobody else meanwhile).
GUNICORN_WORKERS = os.environ.get(
    "FUNNELBOARD_BENCH_GUNICORN", "-w 2 -k gthread --threads 4"
).split()
GUNICORN_SETTINGS = [*GUNICORN_WORKERS, "--log-level", "warning", "--timeout", "60",
                     "--access-logformat", "%(s)s %(U)s"]
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


def _wrk(url: str, script: Path, seconds: int = DURATION_S) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        _wrk_args(url, script, seconds), capture_output=True, text=True, check=True,
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


def _gunicorn(app: str, port: int, access_log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    venv_bin = Path(sys.executable).parent
    return subprocess.Popen(  # noqa: S603
        [str(venv_bin / "gunicorn"), app, "-b", f"127.0.0.1:{port}", *GUNICORN_SETTINGS,
         "--access-logfile", str(access_log)],
        cwd=ROOT, env=env, start_new_session=True,
    )


@dataclass
class Stack:
    """gunicorn (``GUNICORN_SETTINGS``) logging each answer's status and path, and a Celery
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
    web = _gunicorn("config.wsgi:application", port, access_log, env)
    worker = subprocess.Popen(  # noqa: S603
        # As the Procfile runs it: below the web server's CPU priority.
        ["nice", "-n", "10", str(venv_bin / "celery"), "-A", "config", "worker", "-B", "-c", "1",
         "-l", "warning", "--schedule", str(workdir / "beat-schedule"), "-n", f"bench-{label}-{port}@%h"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", workdir, script, access_log, [web, worker])
    try:
        _wait_up(f"{stack.base}/healthz")
    except Exception:
        stack.stop()
        raise
    return stack


def start_floor(workdir: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """The bare Django 302 view under the same gunicorn settings; returns its base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    web = _gunicorn("bench._floor:app", port, workdir / "floor-access.log", env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up_status(f"{base}/r/floor")
    except Exception:
        _stop(web)
        raise
    return base, web


def _wait_up_status(url: str, timeout: float = 30.0) -> None:
    """Like ``_wait_up`` for a URL answering a redirect (not followed)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=1)
            conn.request("GET", parts.path)
            if conn.getresponse().status == 302:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


# --- CPU accounting from /proc ------------------------------------------------------------------
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _group_pids(pgid: int) -> list[int]:
    """Every live process of the process group (the benchmark starts each in its own)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def _cpu_seconds(pids: list[int], *, reaped: bool = False) -> float:
    """utime + stime of ``pids``; with ``reaped``, plus what their exited children used
    (PostgreSQL's backends that ended are reaped by the postmaster)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if reaped:
            total += int(fields[13]) + int(fields[14])  # cutime + cstime
    return total / _TICK


def _pids_named(name: str) -> list[int]:
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True,  # noqa: S607
                         check=False).stdout
    return [int(pid) for pid in out.split()]


def _redis_pids() -> list[int]:
    return _pids_named("redis-server")


class CpuMeter:
    """CPU seconds of named process sets, read before and after a stretch of work."""

    def __init__(self, groups: dict[str, Any], reaped: set[str] | None = None) -> None:
        self.groups = groups  # name -> () -> list of pids
        self.reaped = reaped or set()
        self.spent = dict.fromkeys(groups, 0.0)
        self._start: dict[str, float] = {}

    def read(self) -> dict[str, float]:
        return {name: _cpu_seconds(pids(), reaped=name in self.reaped)
                for name, pids in self.groups.items()}

    def start(self) -> None:
        self._start = self.read()

    def stop(self) -> dict[str, float]:
        now = self.read()
        delta = {name: now[name] - self._start[name] for name in now}
        for name, value in delta.items():
            self.spent[name] += value
        return delta


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


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _rounds(values: list[float], digits: int = 0) -> str:
    return ", ".join(f"{v:,.{digits}f}" for v in values)


def run() -> list[dict[str, Any]]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`).")
    slug = _prepare()
    stack = start_stack(_env(), "redirect")
    floor_base, floor = start_floor(stack.workdir)
    web, worker = stack.processes
    meter = CpuMeter({
        "web": lambda: _group_pids(web.pid),
        "floor": lambda: _group_pids(floor.pid),
        "celery": lambda: _group_pids(worker.pid),
        "redis": _redis_pids,
        "postgres": lambda: _pids_named("postgres"),
    }, reaped={"postgres"})
    results: dict[str, list[dict[str, float]]] = {"floor": [], "r": [], "healthz": []}
    cpu: dict[str, dict[str, float]] = {k: dict.fromkeys(meter.groups, 0.0) for k in results}
    urls = {"floor": f"{floor_base}/r/{slug}", "r": f"{stack.base}/r/{slug}",
            "healthz": f"{stack.base}/healthz"}
    count = lambda: tuple(int(x) for x in _child("count", slug).split())  # noqa: E731
    try:
        # Both servers warm (threads' connections, caches, lazy imports) before anything is
        # measured: a round of WARM_UP_S on each address, its clicks drained and left out.
        for url in urls.values():
            _wrk(url, stack.script, WARM_UP_S)
        warm_stored, _ = wait_for_drain(count, stack.served())
        idle_start, idle_clock = _cpu_seconds(_group_pids(worker.pid)), time.monotonic()
        time.sleep(IDLE_SECONDS)
        celery_start, run_clock = _cpu_seconds(_group_pids(worker.pid)), time.monotonic()
        idle_rate = (celery_start - idle_start) / (run_clock - idle_clock)
        for _ in range(ROUNDS):
            for name, url in urls.items():
                meter.start()
                results[name].append(_wrk(url, stack.script))
                for group, value in meter.stop().items():
                    cpu[name][group] += value
        served = stack.served()
        server_5xx = sum(1 for line in stack.log() if line[:1] == "5")
        stored, buffered = wait_for_drain(count, served)
        celery_total = _cpu_seconds(_group_pids(worker.pid)) - celery_start
        celery_idle = idle_rate * (time.monotonic() - run_clock)
    finally:
        _stop(floor)
        stack.stop()

    def med(name: str, key: str) -> float:
        return _median([r[key] for r in results[name]])

    ratios = [r["rps"] / f["rps"] for r, f in zip(results["r"], results["floor"], strict=True)]
    health_ratios = [h["rps"] / f["rps"]
                     for h, f in zip(results["healthz"], results["floor"], strict=True)]
    ratio = _median(ratios)
    p99_factors = [r["p99"] / f["p99"] for r, f in zip(results["r"], results["floor"], strict=True)]
    p99_factor = _median(p99_factors)
    answered = {name: sum(r["requests"] for r in results[name]) for name in results}
    wrk_other = int(sum(r["other"] + r["200"] + r["errors"] for r in results["r"]))

    def per_request_ms(seconds: float, name: str) -> float:
        return round(1000 * seconds / answered[name], 3) if answered[name] else 0.0

    web_r = per_request_ms(cpu["r"]["web"], "r")
    measured = stored - warm_stored  # the clicks of the measured rounds
    drain_per_click = round(1000 * celery_total / measured, 3) if measured else 0.0
    drain_net = round(1000 * max(0.0, celery_total - celery_idle) / measured, 3) if measured else 0.0
    drain_share = drain_net / web_r if web_r else 0.0
    rows: list[dict[str, Any]] = []
    for name, label in (("floor", "floor (bare Django 302)"), ("r", "/r/<slug>"),
                        ("healthz", "/healthz")):
        rows.append({
            "measure": f"{label}: requests/s (median; rounds)",
            "value": f"{med(name, 'rps'):,.0f} ({_rounds([r['rps'] for r in results[name]])})",
            "target": None, "met": None})
        rows.append({
            "measure": f"{label}: p50 / p99 latency (ms, medians)",
            "value": f"{med(name, 'p50'):.2f} / {med(name, 'p99'):.2f}",
            "target": None, "met": None})
    rows += [
        {"measure": "ratio /r/ ÷ floor (median; rounds)",
         "value": f"{ratio:.3f} ({_rounds(ratios, 3)})", "target": f"≥ {TARGETS['ratio']}",
         "met": ratio >= TARGETS["ratio"]},
        {"measure": "ratio /healthz ÷ floor (median; rounds)",
         "value": f"{_median(health_ratios):.3f} ({_rounds(health_ratios, 3)})",
         "target": None, "met": None},
        {"measure": "/r/ p99 ÷ floor p99 (median; rounds)",
         "value": f"{p99_factor:.2f} ({_rounds(p99_factors, 2)})",
         "target": f"≤ {TARGETS['p99_factor']}", "met": p99_factor <= TARGETS["p99_factor"]},
        {"measure": "CPU ms per request — floor: its gunicorn",
         "value": per_request_ms(cpu["floor"]["floor"], "floor"), "target": None, "met": None},
        {"measure": "CPU ms per request — /r/: gunicorn / redis-server",
         "value": f"{web_r} / {per_request_ms(cpu['r']['redis'], 'r')}",
         "target": None, "met": None},
        {"measure": "CPU ms per request — /healthz: gunicorn",
         "value": per_request_ms(cpu["healthz"]["web"], "healthz"), "target": None, "met": None},
        {"measure": "drain, gross: Celery worker CPU ms per stored click over the whole run "
                    "(its idle ticks included) ÷ gunicorn CPU ms per /r/",
         "value": f"{drain_per_click} ÷ {web_r} = "
                  f"{(drain_per_click / web_r if web_r else 0.0):.1%}",
         "target": None, "met": None},
        {"measure": "drain, net: the same less the worker's idle rate "
                    f"({1000 * idle_rate:.1f} ms CPU/s, measured {IDLE_SECONDS:.0f} s before "
                    "the load) × the run's length",
         "value": f"{drain_net} ÷ {web_r} = {drain_share:.1%}",
         "target": f"≤ {TARGETS['drain_share']:.0%}", "met": drain_share <= TARGETS["drain_share"]},
        {"measure": "CPU ms per request — /r/: PostgreSQL during the /r/ rounds (the drain's "
                    "COPY and commits; the redirect itself sends no query)",
         "value": per_request_ms(cpu["r"]["postgres"], "r"), "target": None, "met": None},
        {"measure": "5xx (server log) / other answers or socket errors on /r/ (wrk)",
         "value": f"{server_5xx} / {wrk_other}", "target": "0 / 0",
         "met": server_5xx == 0 and wrk_other == 0},
        {"measure": "302s served on /r/ (server log, the warm-up's included) / read by wrk in "
                    "the measured rounds",
         "value": f"{served:,} / {int(sum(r['302'] for r in results['r'])):,}",
         "target": None, "met": None},
        {"measure": "clicks stored after the drain (still buffered)",
         "value": f"{stored:,} ({buffered:,})", "target": "= 302s served",
         "met": stored == served and buffered == 0},
    ]
    return rows


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
