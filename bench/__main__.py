"""``python -m bench``: run every benchmark module of this package and write BENCHMARKS.md.

A benchmark module is any ``bench/<name>.py`` with a ``run() -> list[dict]`` function; each dict
is one result row (the keys become the table's columns, in order of first appearance).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import bench

OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def modules(only: list[str]) -> list[str]:
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )
    return [n for n in names if not only or n in only]


def previous_sections() -> dict[str, str]:
    """``## name`` sections of the existing BENCHMARKS.md, kept when that module isn't rerun."""
    if not OUTPUT.exists():
        return {}
    kept: dict[str, str] = {}
    for chunk in OUTPUT.read_text().split("\n## ")[1:]:
        name, _, body = chunk.partition("\n")
        kept[name.strip()] = body.rstrip()
    return kept


def main(argv: list[str]) -> int:
    """``python -m bench [module ...]``: all modules, or only the named ones (the other
    modules' sections of BENCHMARKS.md are kept)."""
    kept = previous_sections()
    sections = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC "
        f"({platform.node()}, Python {platform.python_version()}, {platform.machine()}). "
        "Each section is one module of `bench/`.",
    ]
    failed = False
    selected = modules(argv)
    for name in modules([]):
        if name not in selected:
            if name in kept:
                sections += ["", f"## {name}", kept[name]]
            continue
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if not callable(run):
            continue
        print(f"== bench.{name}", flush=True)
        started = time.monotonic()
        try:
            rows = run()
        except Exception:  # a failing benchmark is reported, the others still run
            failed = True
            sections += ["", f"## {name}", "", "```", traceback.format_exc(), "```"]
            traceback.print_exc()
            continue
        elapsed = time.monotonic() - started
        doc = (module.__doc__ or "").strip()
        stamp = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        sections += ["", f"## {name}", "", doc, "", table(rows), "",
                     f"_Run {stamp}, {elapsed:,.0f} s._"]
        print(table(rows), flush=True)
    OUTPUT.write_text("\n".join(sections) + "\n")
    print(f"Wrote {OUTPUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
