"""What every DuckLake test shares (tests/test_lake_*.py): one private cluster of Debian's PostgreSQL
for the whole test session (initdb in a temporary folder, a free port, socket only, trust; as the
`postgres` user when the tests run as root, since initdb refuses root), and per test module a fresh
database in it as the lake's catalog, so the modules' lakes never meet. Starting the cluster once
saves its start and stop per module. The lake's commands run in .venv-lake (DuckDB 1.5.5 and the
DuckLake extension packages, `make lake-venv`). A test module imports the fixtures it uses."""
from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, require

LAKE_PY = ROOT / ".venv-lake" / "bin" / "python"
require(LAKE_PY.exists(), ".venv-lake is missing (make lake-venv)")
require(any((ROOT / ".venv-lake").glob("lib/python*/site-packages/streamlit")),
        ".venv-lake has no Streamlit (make lake-venv: requirements-lake.txt)")


def _pg_bin() -> Path | None:
    """Debian keeps the server's programs out of PATH, in /usr/lib/postgresql/VERSION/bin."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


PG_BIN = _pg_bin()
require(PG_BIN is not None and (PG_BIN / "pg_ctl").exists(), "PostgreSQL is not installed (make sysdeps)")
AS_ROOT = os.geteuid() == 0
if AS_ROOT:
    import pwd
    try:
        pwd.getpwnam("postgres")
        HAS_POSTGRES_USER = True
    except KeyError:
        HAS_POSTGRES_USER = False
    require(HAS_POSTGRES_USER, "running as root without a postgres user to run the cluster as (apt-get install postgresql)")
_DATABASES = itertools.count(1)


def as_cluster_user(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else list(command)


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's private PostgreSQL cluster: (socket folder, port)."""
    home = Path(tempfile.mkdtemp(prefix="perfboard-pg-"))
    if AS_ROOT:
        shutil.chown(home, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = home / "cluster"
    run = dict(check=True, capture_output=True, timeout=120)
    subprocess.run(as_cluster_user(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                   "-E", "UTF8", "--locale", "C"), **run)
    subprocess.run(as_cluster_user(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-o",
                                   f"-p {port} -k {home} -c listen_addresses=''", "start"), **run)
    try:
        yield home, port
    finally:
        subprocess.run(as_cluster_user(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
                       capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def new_database(pg_cluster) -> str:
    """A new empty database in the cluster; its libpq connection string."""
    home, port = pg_cluster
    name = f"lake{next(_DATABASES)}"
    subprocess.run(as_cluster_user(str(PG_BIN / "createdb"), "-h", str(home), "-p", str(port), "-U", "postgres",
                                   name), check=True, capture_output=True, timeout=120)
    return f"dbname={name} host={home} port={port} user=postgres"


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
