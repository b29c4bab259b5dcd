"""CSV import of post metrics (issue 6): a generated 100,000-row file validated (the preview
step) and imported (one transaction, 2,000-row chunks through `post_metrics_ingest`) by
`metrics.imports`, in a separate process on a fresh SQLite database. Peak RSS is that whole
process's (Python, Django and its imports included); the file is read as a stream, so memory
does not grow with the number of rows. The KPI recompute the import schedules is queued, not run
(a worker's job)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("FUNNELBOARD_BENCH_IMPORT_ROWS", "100000"))
POSTS = 100
TARGET_MB = 200.0


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="fb-bench-import-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        env.update(
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            DJANGO_SETTINGS_MODULE="config.settings",
            FUNNELBOARD_LOG_LEVEL="WARNING",
            FUNNELBOARD_CSV_MAX_ROWS=str(max(ROWS, 200_000)),
        )
        result = subprocess.run(  # noqa: S603 — fixed arguments
            [sys.executable, "-m", "bench.imports", "child", tmp, str(ROWS)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"bench.imports failed:\n{result.stdout}\n{result.stderr}")
        measured = json.loads(result.stdout.strip().splitlines()[-1])
    peak = measured["peak_rss_mb"]
    return [
        {"measure": "rows imported", "value": measured["rows"], "target": ROWS,
         "met": measured["rows"] == ROWS and measured["stored"] == ROWS},
        {"measure": "file size (MB)", "value": measured["file_mb"], "target": None, "met": None},
        {"measure": "validate / preview (s)", "value": measured["validate_s"], "target": None,
         "met": None},
        {"measure": "import (s)", "value": measured["import_s"], "target": None, "met": None},
        {"measure": "peak RSS of the process (MB)", "value": peak, "target": TARGET_MB,
         "met": peak <= TARGET_MB},
        {"measure": "RSS before reading the file (MB)", "value": measured["baseline_rss_mb"],
         "target": None, "met": None},
    ]


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(tmp: str, rows: int) -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    from metrics import scheduling

    # The KPI recompute an import schedules belongs to a worker, not to the import (embedded
    # mode would run it eagerly at commit): record the campaigns instead of computing.
    scheduled: list[int] = []
    scheduling._enqueue = scheduled.extend  # type: ignore[assignment]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from metrics import imports
    from metrics.models import PostMetrics
    from tests import factories

    f: Any = factories

    organization = f.OrganizationFactory(slug="bench", name="Bench")
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=organization))
    posts = [
        f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign)).pk for _ in range(POSTS)
    ]
    path = Path(tmp) / "post-metrics.csv"
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["post", "captured_at", "impressions", "reach", "views", "likes",
                         "comments", "shares", "saves", "mentions", "link_clicks"])
        for i in range(rows):
            post, step = posts[i % POSTS], i // POSTS
            captured = (start + dt.timedelta(hours=step)).isoformat()
            writer.writerow([post, captured, 1000 + step, 800 + step, "", 50 + step, 5, 2, 1, "",
                             step % 7])
    baseline = _rss_mb()
    kind = imports.KINDS["post-metrics"]
    began = time.perf_counter()
    with path.open("rb") as binary:
        report = imports.validate(kind, organization, imports.text_stream(binary))
    validated = time.perf_counter()
    if not report.ok:
        raise RuntimeError(f"validation failed: {report.errors[:5]}")
    with path.open("rb") as binary:
        done = imports.run(kind, organization, imports.text_stream(binary))
    imported = time.perf_counter()
    return {
        "rows": done.rows,
        "stored": PostMetrics.objects.count(),
        "recomputes_scheduled": len(set(scheduled)),
        "file_mb": round(path.stat().st_size / 1_048_576, 1),
        "validate_s": round(validated - began, 2),
        "import_s": round(imported - validated, 2),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "child":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        for row in run():
            print(row)
