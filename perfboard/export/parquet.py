"""The database's views as Parquet files, one folder per view, partitioned by year
(hive style: DIR/v_metrics/year=2022/00000000.parquet), for tools outside the dashboard.
Reports without a year go to year=__HIVE_DEFAULT_PARTITION__, as hive writers do."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl

from perfboard import queries

VIEWS = {"v_reports": "export.v_reports", "v_metrics": "export.v_metrics", "v_indicators": "export.v_indicators"}
MANIFEST = "manifest.json"


def export(con, out_dir: str | Path) -> dict:
    """Writes every view under `out_dir` (each view's folder is replaced); returns the
    manifest written beside them: rows per view and per year."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"created_at": dt.datetime.now().isoformat(timespec="seconds"), "views": {}}
    for view, query in VIEWS.items():
        frame = queries.run(con, query)
        target = out / view
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        if frame.height:
            frame.write_parquet(target, partition_by="year")
        by_year = frame.group_by("year").len().sort("year") if frame.height else pl.DataFrame()
        manifest["views"][view] = {
            "rows": frame.height,
            "by_year": {str(y) if y is not None else "null": n for y, n in by_year.iter_rows()} if frame.height else {},
        }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def read(out_dir: str | Path, view: str) -> pl.DataFrame:
    """One exported view read back (year from the folder names)."""
    target = Path(out_dir) / view
    if not any(target.rglob("*.parquet")):
        return pl.DataFrame()
    return pl.read_parquet(target, hive_partitioning=True)
