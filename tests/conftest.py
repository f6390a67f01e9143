"""Shared fixtures: the project root, the seed database (built once per test session from
the bundled reports), the dashboard through AppTest, and a real `streamlit run` server."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `pytest` (unlike `python -m pytest`) does not put the project root on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPORTS = ROOT / "data" / "reports"
ENTRY = ROOT / "app" / "streamlit_app.py"  # the file Streamlit runs: `streamlit run app/streamlit_app.py`
ROUTER = ROOT / "dashboard.py"  # the one router it calls: page list, frame, filters
# On CI a missing Chromium or CJK font fails the suites that need it instead of skipping them
ON_CI = os.environ.get("CI", "").lower() == "true"
# no database of a test is merged behind its back by the idle merge an AppTest run starts in this process
# (perfboard/maintenance.py), nor by a test's server; tests/test_maintain.py turns it on where it tests it
os.environ["PERFBOARD_MAINTAIN_IDLE"] = "0"


def perfboard_cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m perfboard ARGS…` in its own process; it must succeed (its stderr's tail otherwise)."""
    out = subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return out


def read_db(db_file, sql: str, params=()) -> list[tuple]:
    """The rows of `sql` as a dashboard reads the database: both files, through db.connect_read."""
    from perfboard import db
    con = db.connect_read(db_file)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def require(condition: bool, reason: str) -> None:
    """Module-level guard for a system dependency: skips here, fails under CI=true."""
    if condition:
        return
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: a missing dependency fails instead of skipping)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


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


@pytest.fixture
def dashboard(seed_db):
    """Opens the dashboard as a browser would, through app/streamlit_app.py and dashboard.py and its
    st.navigation: `dashboard("budget", province="广东省")` runs the router with that query
    string and switches to pages/budget.py; `secrets` are the app's st.secrets. Every test
    that runs the app runs it this one way."""
    from streamlit.testing.v1 import AppTest

    def open_page(page: str = "overview", *, secrets: dict | None = None, timeout: int = 120,
                  **query) -> AppTest:
        at = AppTest.from_file(str(ENTRY), default_timeout=timeout)
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        at.query_params.update(query)
        at.run()
        if page != "overview":
            at.switch_page(f"../pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return open_page


LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]


@contextlib.contextmanager
def streamlit_server(db_file: Path, log_name: str, password: str | None = None, work: Path | None = None,
                     prefix: tuple[str, ...] = (), env: dict[str, str] | None = None, python: str = sys.executable):
    """`streamlit run app/streamlit_app.py` on a free loopback port with PERFBOARD_DB=db_file (and an
    analyst whose password is `password`, from a secrets file in `work`); yields its URL. `prefix`
    runs it under another command (the load test: `taskset -c 0`), `env` adds variables, `python` is the
    interpreter of the venv it runs in (tests/test_lake_postgres.py: .venv-lake's)."""
    import socket
    import subprocess
    import time
    import urllib.request

    from perfboard import auth

    command = [python, "-m", "streamlit", "run", str(ENTRY.relative_to(ROOT)), "--server.address", "127.0.0.1",
               "--server.headless", "true"]
    if password:
        secrets = work / "secrets.toml"
        secrets.write_text(f'[auth.users]\nanalyst = "{auth.hash_password(password)}"\n', encoding="utf-8")
        command += ["--secrets.files", str(secrets)]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    log = open(artifacts / log_name, "wb")
    process = subprocess.Popen([*prefix, *command, "--server.port", str(port)], cwd=ROOT,
                               env=dict(os.environ, PERFBOARD_DB=str(db_file), **(env or {})), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; see tests/artifacts/{log_name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"streamlit did not answer on {url} within 60 s") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
