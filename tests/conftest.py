"""Shared fixtures: the seed database, built once per test session from the bundled reports."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `pytest` (unlike `python -m pytest`) does not put the project root on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """data/reports ingested into a fresh DuckDB file; PERFBOARD_DB names it for the session."""
    from perfboard.load import ingest_paths

    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    outcomes = ingest_paths([str(REPORTS)], path)
    assert [o.status for o in outcomes] == ["stored"] * 5, [o.line() for o in outcomes]
    before = os.environ.get("PERFBOARD_DB")
    os.environ["PERFBOARD_DB"] = str(path)
    yield path
    if before is None:
        os.environ.pop("PERFBOARD_DB", None)
    else:
        os.environ["PERFBOARD_DB"] = before
