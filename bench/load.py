"""Load under mixed traffic (issue 7): gunicorn on 127.0.0.1 in real mode (PostgreSQL
`fb_bench_load`, Redis db 13) with a Celery worker and beat. For 60 s, `wrk` sends `/r/<slug>`
at 32 connections while one client posts bulk post-metric batches (1,000 items each) through the
API and another reads the campaign report page signed in. Targets: zero 5xx anywhere, the clicks
stored after the drain equal the 302s served, and the p99 of each kind of request reported."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench._support import recreate_database
from bench.redirect import _wrk_args, start_stack, wait_for_drain, worker_env

DB_NAME = os.environ.get("FUNNELBOARD_BENCH_LOAD_DB", "fb_bench_load")
SECONDS = int(os.environ.get("FUNNELBOARD_BENCH_LOAD_SECONDS", "60"))
ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return worker_env(DB_NAME)


def _child(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "-m", "bench.load", *args], cwd=ROOT, env=_env(),
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.load {args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def _prepare() -> dict[str, Any]:
    import redis

    recreate_database(DB_NAME)
    redis.Redis.from_url(_env()["REDIS_URL"]).flushdb()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=_env(),
        check=True,
    )
    return dict(json.loads(_child("setup")))


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Side:
    """A client looping on one kind of request until told to stop, recording each answer."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.statuses: list[int] = []
        self.latencies: list[float] = []
        self.stop = threading.Event()

    def time(self, call: Any) -> None:
        started = time.perf_counter()
        try:
            status = call()
        except Exception:  # a refused or dropped connection counts as a failure
            status = 599
        self.latencies.append((time.perf_counter() - started) * 1000)
        self.statuses.append(status)

    @property
    def server_errors(self) -> int:
        return sum(1 for s in self.statuses if s >= 500)


def _ingester(base: str, setup: dict[str, Any], side: Side) -> None:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {setup['key']}"
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    batch = 0
    while not side.stop.is_set():
        items = [
            {"post": setup["posts"][n % len(setup["posts"])],
             "captured_at": (start + dt.timedelta(minutes=batch * 1000 + n)).isoformat(),
             "impressions": 100 + n, "reach": 80 + n, "likes": n, "comments": n // 10}
            for n in range(1000)
        ]
        side.time(lambda items=items: session.post(f"{base}/api/v1/post-metrics/", json=items,
                                       timeout=30).status_code)
        batch += 1


def _reader(base: str, setup: dict[str, Any], side: Side) -> None:
    """Signed in as a browser would be behind a TLS-terminating proxy: production settings
    mark cookies Secure, so they are carried by hand over the benchmark's plain HTTP."""
    import requests

    secure_origin = base.replace("http://", "https://")
    proxy = {"X-Forwarded-Proto": "https", "Origin": secure_origin,
             "Referer": f"{secure_origin}/accounts/login/"}
    login = requests.get(f"{base}/accounts/login/", headers=proxy, timeout=10)
    csrf = login.cookies.get("csrftoken", "")
    signed_in = requests.post(
        f"{base}/accounts/login/", headers={**proxy, "Cookie": f"csrftoken={csrf}"},
        data={"username": setup["username"], "password": setup["password"],
              "csrfmiddlewaretoken": csrf},
        allow_redirects=False, timeout=10,
    )
    cookie = f"csrftoken={csrf}; sessionid={signed_in.cookies.get('sessionid', '')}"
    report = f"{base}/campaigns/{setup['campaign']}/"
    first = requests.get(report, headers={**proxy, "Cookie": cookie}, allow_redirects=False,
                         timeout=30)
    if first.status_code != 200:
        raise RuntimeError(f"the reader could not sign in ({first.status_code})")
    while not side.stop.is_set():
        side.time(lambda: requests.get(report, headers={**proxy, "Cookie": cookie},
                                       allow_redirects=False, timeout=30).status_code)


def run() -> list[dict[str, Any]]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`).")
    setup = _prepare()
    stack = start_stack(_env(), "load")
    base = stack.base
    ingest, read = Side("bulk ingestion"), Side("report page")
    try:
        threads = [threading.Thread(target=_ingester, args=(base, setup, ingest)),
                   threading.Thread(target=_reader, args=(base, setup, read))]
        for thread in threads:
            thread.start()
        wrk = subprocess.run(  # noqa: S603
            _wrk_args(f"{base}/r/{setup['slug']}", stack.script, SECONDS),
            capture_output=True, text=True, check=True,
        ).stdout
        for side in (ingest, read):
            side.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        served = stack.served()
        server_5xx = sum(1 for line in stack.log() if line[:1] == "5")
        stored, buffered = wait_for_drain(
            lambda: tuple(int(x) for x in _child("count", setup["slug"]).split()), served
        )
    finally:
        stack.stop()
    line = next(x for x in wrk.splitlines() if x.startswith("FB "))
    import re

    redirect = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    return [
        {"measure": f"/r/ requests in {SECONDS} s at 32 connections (req/s)",
         "value": f"{int(redirect['requests']):,} ({redirect['requests'] / redirect['seconds']:,.0f})",
         "target": None, "met": None},
        {"measure": "/r/ p99 latency under mixed load (ms)", "value": round(redirect["p99"], 2),
         "target": None, "met": None},
        {"measure": "bulk batches of 1,000 post metrics posted / p99 (ms)",
         "value": f"{len(ingest.statuses)} / {_percentile(ingest.latencies, 0.99):,.0f}",
         "target": None, "met": None},
        {"measure": "report page reads / p99 (ms)",
         "value": f"{len(read.statuses)} / {_percentile(read.latencies, 0.99):,.0f}",
         "target": None, "met": None},
        {"measure": "5xx answers (server log; ingestion; reader)",
         "value": f"{server_5xx} ; {ingest.server_errors} ; {read.server_errors}",
         "target": "0", "met": server_5xx == 0 and ingest.server_errors == 0
         and read.server_errors == 0 and len(read.statuses) > 0 and len(ingest.statuses) > 0},
        {"measure": "clicks stored after the drain / 302s served (still buffered)",
         "value": f"{stored:,} / {served:,} ({buffered:,})", "target": "equal",
         "met": stored == served and buffered == 0},
    ]


# --- Child commands (run with the benchmark's database and Redis) -----------------------------
def _cmd_setup() -> None:
    import django

    django.setup()
    from accounts.models import Role, User
    from accounts.selectors import Access
    from accounts.services import api_key_create, organization_create
    from campaigns.models import Brand, Campaign, Partnership, Post, TrackingLink
    from influencers.models import Influencer, SocialAccount

    user = User.objects.create_user("loadbench", password="load-bench-password-1")
    org = organization_create(name="Load", slug="load", owner=user)
    owner = Access(organization=org, role=Role.OWNER, user=user)
    _, key = api_key_create(access=owner, name="load", role=Role.MANAGER)
    brand = Brand.objects.create(organization=org, name="Load brand", website="https://l.example")
    today = dt.datetime.now(dt.UTC).date()
    campaign = Campaign.objects.create(
        brand=brand, name="Load", slug="load", stage="TOFU",
        start_date=today - dt.timedelta(days=20), end_date=today + dt.timedelta(days=10),
        status="active",
    )
    posts = []
    for n in range(20):
        influencer = Influencer.objects.create(organization=org, name=f"Creator {n}")
        account = SocialAccount.objects.create(influencer=influencer, platform="instagram",
                                               handle=f"creator{n}", followers=10_000)
        partnership = Partnership.objects.create(campaign=campaign, influencer=influencer,
                                                 status="live")
        posts.append(Post.objects.create(partnership=partnership, social_account=account,
                                         platform="instagram", external_id=f"p{n}").pk)
    link = TrackingLink.objects.create(
        partnership=partnership, slug="load-link", destination_url="https://l.example/shop",
        utm_source="instagram", utm_medium="influencer", utm_campaign="load", utm_content="c",
    )
    print(json.dumps({"slug": link.slug, "key": key, "campaign": campaign.pk, "posts": posts,
                      "username": "loadbench", "password": "load-bench-password-1"}))


def _cmd_count(slug: str) -> None:
    import django

    django.setup()
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
