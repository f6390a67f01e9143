"""What every DuckLake test shares (tests/test_lake_*.py): one private cluster of Debian's PostgreSQL
for the whole test session (perfboard/pgcluster.py, which the lake's benchmark starts the same way:
initdb in a temporary folder, a free port, a socket with trust and 127.0.0.1 with passwords only; as the `postgres` user when the tests
run as root, since initdb refuses root), and per test module a fresh database in it as the lake's
catalog, so the modules' lakes never meet. Starting the cluster once saves its start and stop per
module. The lake's commands run in .venv-lake (DuckDB 1.5.5 and the DuckLake extension packages,
`make lake-venv`). A test module imports the fixtures it uses."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, require
from perfboard import pgcluster

LAKE_PY = ROOT / ".venv-lake" / "bin" / "python"
require(LAKE_PY.exists(), ".venv-lake is missing (make lake-venv)")
require(any((ROOT / ".venv-lake").glob("lib/python*/site-packages/streamlit")),
        ".venv-lake has no Streamlit (make lake-venv: requirements-lake.txt)")
require(pgcluster.missing() is None, pgcluster.missing() or "")


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's private PostgreSQL cluster: (socket folder, port)."""
    with pgcluster.cluster(tcp=True) as where:  # TCP with passwords for tests/test_lake_tcp.py
        yield where


def new_database(pg_cluster) -> str:
    """A new empty database in the cluster; its libpq connection string."""
    return pgcluster.new_database(pg_cluster)


@pytest.fixture(scope="module")
def catalog(pg_cluster):
    """The module's lake catalog: an empty database of its own in the session's cluster."""
    return new_database(pg_cluster)


@pytest.fixture(scope="module")
def lake_dir(tmp_path_factory) -> Path:
    """The folder of the lake's data files, one lake for the module's tests."""
    return tmp_path_factory.mktemp("lake") / "data"


def lake_command(catalog: str, data: Path, *args: str) -> list[str]:
    return [str(LAKE_PY), "-m", "perfboard.lake", *args, "--catalog", catalog, "--data", str(data)]


def lake_check(catalog: str, data: Path) -> dict:
    done = subprocess.run(lake_command(catalog, data, "check"), cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
