"""Validation rules: each is a query in queries/checks/ returning the rows that break an
invariant (report_id, metric, detail); its first comment line is the Chinese
explanation shown to analysts."""
from __future__ import annotations

import duckdb
import polars as pl

from perfboard import queries

JUMP_FACTOR = 3.0


def rules() -> dict[str, str]:
    """Rule name → Chinese explanation."""
    return {name.split(".", 1)[1]: q.doc.split("。")[0].replace("$factor", f"{JUMP_FACTOR:g}") + "。"
            for name, q in queries.registry().items() if name.startswith("checks.")}


def run(con: duckdb.DuckDBPyConnection, report_id: str | None = None) -> pl.DataFrame:
    """Every flag: rule, explanation, report_id, metric, detail; optionally for one report."""
    explained = rules()
    frames = []
    for rule, explanation in explained.items():
        query = queries.get(f"checks.{rule}")
        params = {"factor": JUMP_FACTOR} if "factor" in query.params else {}
        df = queries.run(con, f"checks.{rule}", **params)
        if df.height:
            frames.append(df.select(pl.lit(rule).alias("rule"), pl.lit(explanation).alias("explanation"),
                                    "report_id", "metric", "detail"))
    if not frames:
        return pl.DataFrame(schema={"rule": pl.String, "explanation": pl.String, "report_id": pl.String,
                                    "metric": pl.String, "detail": pl.String})
    out = pl.concat(frames)
    return out.filter(pl.col("report_id") == report_id) if report_id else out
