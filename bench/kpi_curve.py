"""The KPI engine's cost curve (issue 15): the measures of ``bench/kpi.py`` at 1×, 3× and 10×
the data (``FUNNELBOARD_BENCH_CURVE_SCALES``, default ``1,3,10``; 10× is 10M snapshots and 10M
clicks, generated with ``generate_series``), one round each, as a table and a PNG plot
(``docs/benchmarks/kpi_curve.png``, matplotlib from the ``bench`` extra). What must stay flat:
the recompute after one more day of data."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from bench._support import recreate_database
from bench.kpi import DB_NAME, _child

ROOT = Path(__file__).resolve().parent.parent
PLOT = ROOT / "docs" / "benchmarks" / "kpi_curve.png"
SERIES = {  # measure → (label, unit factor)
    "rebuild_s": ("full rebuild from raw rows (s)", 1.0),
    "floor_raw_s": ("floor: bare SQL from raw rows (s)", 1.0),
    "recompute_s": ("full recompute from rollups (s)", 1.0),
    "incremental_s": ("recompute after one more day (s)", 1.0),
    "floor_rollups_s": ("floor: bare SQL from rollups (s)", 1.0),
}


def scales() -> list[float]:
    raw = os.environ.get("FUNNELBOARD_BENCH_CURVE_SCALES", "1,3,10")
    return [float(s) for s in raw.split(",") if s.strip()]


def run() -> list[dict[str, Any]]:
    points = []
    for scale in scales():
        recreate_database(DB_NAME)
        prepared = _child("prepare", str(scale))
        measured = _child("measure", str(prepared["campaign"]), "1")
        rss = _child("recompute", str(prepared["campaign"]))
        points.append((scale, prepared, measured, rss))
    rows: list[dict[str, Any]] = [
        {
            "scale": f"{scale:g}×",
            "snapshots": f"{prepared['post_metrics']:,}",
            "clicks": f"{prepared['clicks']:,}",
            "rebuild (s)": round(measured["rebuild_s"], 2),
            "floor raw (s)": round(measured["floor_raw_s"], 2),
            "recompute (s)": round(measured["recompute_s"], 3),
            "floor rollups (s)": round(measured["floor_rollups_s"], 3),
            "one more day: recompute (ms)": round(measured["incremental_s"] * 1000, 1),
            "then its ledger task (ms)": round(measured["ledger_s"] * 1000, 1),
            "ingest 10k snapshots (s)": round(measured["ingest_per_10k_s"], 2),
            "peak RSS (MB)": rss["peak_rss_mb"],
        }
        for scale, prepared, measured, rss in points
    ]
    if _plot([(scale, measured) for scale, _, measured, _ in points]):
        rows.append({"scale": f"plot: ![KPI cost curve]({PLOT.relative_to(ROOT)})"})
    return rows


def _plot(points: list[tuple[float, dict[str, Any]]]) -> bool:
    """Log-log plot of every series against the data's scale; False without matplotlib."""
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        return False
    matplotlib.use("Agg")
    pyplot = importlib.import_module("matplotlib.pyplot")
    figure, axes = pyplot.subplots(figsize=(8, 5))
    xs = [scale for scale, _ in points]
    for key, (label, factor) in SERIES.items():
        axes.plot(xs, [measured[key] * factor for _, measured in points], marker="o",
                  label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xticks(xs, [f"{x:g}× ({x:g}M snapshots + {x:g}M clicks)" for x in xs],
                    fontsize=8)
    axes.set_ylabel("seconds (log)")
    axes.set_title("KPI engine: cost against data size (2-core machine, PostgreSQL)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(PLOT, dpi=110)
    pyplot.close(figure)
    return True
