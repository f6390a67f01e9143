"""Data access for the dashboard: one read-only DuckDB connection per process and database
version, one cursor per script run, and query results cached by query name, parameters
and database version. A writer publishes a new file by renaming it over the old one
(perfboard.db), which changes the version: the next script run opens the new file and
misses the old cache entries, so new reports show up without a restart. The dashboard
never opens the database for writing. With PERFBOARD_LAKE set, the version is a DuckLake
lake's snapshot id and the connection reads that snapshot (perfboard/lakeread.py): the same
caches, the same queries (the 上传与校对 screen's writes go to the lake, perfboard.writes)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import duckdb
import polars as pl
import streamlit as st

from perfboard import db, lakeread, queries

_CURSOR_KEY = "_perfboard_cursor"
T = TypeVar("T")
_lock = threading.Lock()


def database_path() -> str:
    return str(db.db_path())


def database_exists() -> bool:
    return db.readable()


def outdated() -> str | None:
    """Why the database cannot be read as it is (an older perfboard wrote it), in Chinese
    with the command that upgrades it; None when it can. The dashboard never upgrades it.
    On a lake (PERFBOARD_LAKE): that it has not been initialised, with the command that does
    it, or that its catalog cannot be reached (lakeread.LakeUnavailable)."""
    path = database_path()
    try:
        _connection(path, db.version(path))
    except (db.OutdatedDatabase, lakeread.LakeUnavailable) as err:
        return err.zh
    return None


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    """The process's read-only connection to one version of the database file (see
    db.connect_read for why it is not a plain connect)."""
    return db.connect_read(path)


def start_run() -> None:
    """Called once at the top of every script run: the previous run's cursor is closed."""
    old = st.session_state.pop(_CURSOR_KEY, None)
    if old is not None:
        _close(old[1])


def _cursor(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    """This run's cursor on the connection for (path, version), made on first use."""
    held = st.session_state.get(_CURSOR_KEY)
    if held is not None and held[0] == (path, version):
        return held[1]
    if held is not None:
        _close(held[1])
    with _lock:
        cur = db.cursor(_connection(path, version))
    st.session_state[_CURSOR_KEY] = ((path, version), cur)
    return cur


def _close(cur) -> None:
    try:
        cur.close()
    except duckdb.Error:
        pass


def run(name: str, **params) -> pl.DataFrame:
    """Runs the named query (queries/<area>/<name>.sql) with bound parameters; cached per
    database version. Lists are bound as DuckDB lists, None as NULL."""
    path = database_path()
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _run_cached(name, path, db.version(path), frozen)


@st.cache_data(max_entries=512, show_spinner=False)
def _run_cached(name: str, path: str, version: tuple[int, int], frozen: tuple) -> pl.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return queries.run(_cursor(path, version), name, **params)


def deferred(name: str, **params) -> Callable[[], pl.DataFrame]:
    """The named query as a function to call later, for a download button's data."""
    return deferred_with(lambda cur: queries.run(cur, name, **params))


def deferred_with(build: Callable[[duckdb.DuckDBPyConnection], T]) -> Callable[[], T]:
    """`build(cursor)` as a function to call later (a download button's file, the brief).
    Buttons are served outside any script run (no session state, so no run cursor): the
    call uses the connection to the database version of this run and a cursor of its own."""
    path = database_path()
    version = db.version(path)

    def fetch() -> T:
        with _lock:
            cur = db.cursor(_connection(path, version))
        try:
            return build(cur)
        finally:
            cur.close()
    return fetch


def checks(report_id: str | None = None) -> pl.DataFrame:
    """The validation flags (perfboard.checks), cached per database version."""
    path = database_path()
    return _checks_cached(path, db.version(path), report_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _checks_cached(path: str, version: tuple[int, int], report_id: str | None) -> pl.DataFrame:
    from perfboard import checks as rules
    return rules.run(_cursor(path, version), report_id)
