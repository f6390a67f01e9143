"""A DuckLake catalog reached as on another machine: PostgreSQL over TCP, a login role of its own,
its password asked for (scram-sha-256, never trust). The password reaches every process through
libpq's PGPASSFILE, or inside the connection string; either way it is never printed: a catalog
refusing the password is one line that names the failure and not the password, and `lake backup`
hands it to pg_dump in the environment, not on the command line.

Real processes: the session's private cluster (tests/lakefixtures.py, started with `tcp`),
`python -m perfboard.lake` and a `streamlit run` dashboard in .venv-lake, watched by a light client."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

from conftest import REPORTS, ROOT, streamlit_server
from lakefixtures import LAKE_PY, lake_command, pg_cluster  # noqa: F401
from perfboard import pgcluster

# a space, a quote and a CJK character: each needs quoting somewhere (SQL, a connection string, PGPASSFILE)
PASSWORD = "湖 s3cret'pw"
WRONG = "not-the-password-9731"


def run_lake(catalog: str, data: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(lake_command(catalog, data, *args), cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def passfile(folder: Path, port: int, role: str, password: str) -> Path:
    """libpq's password file (host:port:database:user:password; libpq ignores one others may read)."""
    path = folder / "pgpass"
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    path.write_text(f"127.0.0.1:{port}:*:{role}:{escaped}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def with_password(catalog: str, password: str) -> str:
    quoted = password.replace("\\", "\\\\").replace("'", "\\'")
    return f"{catalog} password='{quoted}'"


def test_a_lake_on_a_tcp_catalog_with_a_password_stores_shows_and_backs_up(pg_cluster, tmp_path):
    from test_lake_writes import overview, shown
    catalog = pgcluster.password_role(pg_cluster, "lake_writer", PASSWORD)
    assert "password" not in catalog and "host=127.0.0.1" in catalog
    _, port = pg_cluster
    data = tmp_path / "lake"
    env = {"PGPASSFILE": str(passfile(tmp_path, port, "lake_writer", PASSWORD))}

    # without its password the catalog refuses: one line, the reason named, exit 2, nothing created
    for given, extra in ((catalog, {"PGPASSFILE": str(tmp_path / "none")}),
                         (with_password(catalog, WRONG), {"PGPASSFILE": str(tmp_path / "none")})):
        done = run_lake(given, data, "init", env=extra)
        assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr[-2000:]
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("cannot reach the lake's catalog (") and line.endswith(
            " / 无法连接数据湖的目录数据库（PostgreSQL），请检查 PERFBOARD_LAKE 的连接设置与数据库服务是否正常")
        assert WRONG not in line and ("password" in line.lower()), line
    assert not data.exists() or not any(data.rglob("*.parquet"))

    # with it (from PGPASSFILE): init, ingest, and the lake holds each report once, its kept table whole
    assert run_lake(catalog, data, "init", env=env).stdout.strip() == "created"
    ingest = run_lake(catalog, data, "ingest", str(REPORTS), env=env)
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    checked = json.loads(run_lake(catalog, data, "check", env=env).stdout)
    assert checked["counts"]["reports"] == 5
    only_rebuilt, only_stored, rows = checked["drift"]
    assert (only_rebuilt, only_stored) == (0, 0) and rows > 0

    # a dashboard process on it (PERFBOARD_LAKE without the password, PGPASSFILE beside it) shows the reports
    with streamlit_server(tmp_path / "no.duckdb", "lake-tcp.log", python=str(LAKE_PY),
                          env={"PERFBOARD_LAKE": catalog, "PERFBOARD_LAKE_DATA": str(data), **env}) as url:
        run = overview(url)
        assert not run.exceptions and shown(run) == 5

    # the password in the connection string instead: a backup works, pg_dump takes it from its environment
    inline = with_password(catalog, PASSWORD)
    backup = run_lake(inline, data, "backup", str(tmp_path / "backup"), env={"PGPASSFILE": str(tmp_path / "none")})
    assert backup.returncode == 0, backup.stderr[-2000:]
    assert json.loads(backup.stdout)["counts"]["reports"] == 5
    assert PASSWORD not in backup.stdout + backup.stderr
