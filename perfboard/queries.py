"""The registry of named SQL: one statement per file under queries/, named by its path
(queries/overview/kpis.sql → "overview.kpis"), with $named parameters bound by DuckDB.
The leading comment lines of a file are its description. An unknown name is an error."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"(?<![\w$])\$([A-Za-z_]\w*)")
# DuckDB warns that an executed statement's Arrow table is a copy of its rows (run): cheaper than a second bind. Ignored
# once here, not per call: warnings.catch_warnings is not thread-safe, and the dashboard's sessions are threads.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    doc: str
    params: tuple[str, ...]


@lru_cache(maxsize=1)
def registry() -> dict[str, Query]:
    return {q.name: q for q in map(_read, sorted(QUERY_DIR.rglob("*.sql")))}


@lru_cache(maxsize=None)
def get(name: str) -> Query:
    # one file read by its name, not the whole registry: listing every file was 0.1-0.2 s
    # of a fresh process's first write (a correction from the CLI or a new server)
    path = QUERY_DIR.joinpath(*name.split(".")).with_suffix(".sql")
    if not name or not path.is_file() or QUERY_DIR not in path.resolve().parents:
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return _read(path)


def _read(path: Path) -> Query:
    name = ".".join(path.relative_to(QUERY_DIR).with_suffix("").parts)
    sql = path.read_text(encoding="utf-8").strip().rstrip(";")
    doc = " ".join(line[2:].strip() for line in sql.splitlines() if line.startswith("--"))
    params = tuple(dict.fromkeys(_PARAM.findall(_strip_comments(sql))))
    return Query(name, sql, doc, params)


def pyformat(name: str) -> str:
    """A named statement with its $params written %(param)s, for a PostgreSQL driver (psycopg)."""
    return _PARAM.sub(r"%(\1)s", get(name).sql)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    """Runs a named query with bound parameters and returns a polars DataFrame."""
    query = get(name)
    missing = [p for p in query.params if p not in params]
    if missing:
        raise TypeError(f"query {name} needs parameters {missing}")
    bound = {p: params[p] for p in query.params}
    # execute, not con.sql(...).pl(): a relation binds its statement once to learn its columns and again to run,
    # and binding the views is most of a small query's planning (every dashboard query at 30,000 reports: 597 ->
    # 523 ms in all, the same frames; measured 2026-12-02, not yet in BENCHMARKS.md)
    return pl.from_arrow(con.execute(query.sql, bound or None).to_arrow_table())


def execute(con: duckdb.DuckDBPyConnection, name: str, frames: dict[str, pl.DataFrame] | None = None,
            **params) -> list[tuple]:
    """For statements that write: runs a named statement with bound parameters. `frames`
    are DataFrames the statement reads by name (INSERT … SELECT * FROM new_facts), so many
    rows go in with one statement."""
    query = get(name)
    bound = {p: params[p] for p in query.params}
    for frame_name, frame in (frames or {}).items():
        con.register(frame_name, frame)
    try:
        return con.execute(query.sql, bound or None).fetchall()
    finally:
        for frame_name in frames or {}:
            con.unregister(frame_name)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
