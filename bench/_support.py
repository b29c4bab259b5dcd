"""What every benchmark needs: a PostgreSQL database of its own, created afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def server_url() -> str:
    return os.environ.get("FUNNELBOARD_BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )


def url_for(name: str) -> str:
    """The benchmark server's URL with the database ``name``."""
    parts = urlsplit(server_url())
    if not parts.scheme.startswith("postgres"):
        raise RuntimeError("The benchmarks need PostgreSQL (set DATABASE_URL or "
                           "FUNNELBOARD_BENCH_DATABASE_URL to a postgres:// URL).")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(url_for("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def child_measures(module: str, db_name: str) -> dict[str, Any]:
    """Run ``python -m <module> child`` on a fresh database ``db_name`` (real Django, no
    Redis) and return the JSON object its last line prints."""
    recreate_database(db_name)
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DATABASE_URL=url_for(db_name), DJANGO_SETTINGS_MODULE="config.settings",
               FUNNELBOARD_LOG_LEVEL="WARNING", DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1")
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "-m", module, "child"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{result.stdout}\n{result.stderr}")
    measures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measures
