"""What every benchmark needs: a PostgreSQL database of its own, created afresh."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


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
