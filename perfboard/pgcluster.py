"""A private cluster of Debian's PostgreSQL, as the DuckLake lake's catalog where no server is given:
the lake's tests (tests/lakefixtures.py) and the lake's benchmark (perfboard/bench.py, section
"lake") start one the same way. initdb in a temporary folder, a free port, a socket in that folder
only (no TCP), trust; as the `postgres` user when run as root, since initdb refuses root. Debian
keeps the server's programs out of PATH, in /usr/lib/postgresql/VERSION/bin.

Only subprocesses: it runs in either venv (the project's on DuckDB 2.0, .venv-lake on 1.5.5)."""
from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_DATABASES = itertools.count(1)
AS_ROOT = os.geteuid() == 0


def pg_bin() -> Path | None:
    """The folder of initdb, pg_ctl and createdb: the newest Debian one, else PATH's; None when absent."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str | None:
    """Why no private cluster can be started here (one line), or None."""
    folder = pg_bin()
    if folder is None or not (folder / "pg_ctl").exists():
        return "PostgreSQL is not installed (make sysdeps)"
    if AS_ROOT:
        import pwd
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run the cluster as (apt-get install postgresql)"
    return None


def as_cluster_user(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else list(command)


@contextlib.contextmanager
def cluster(prefix: str = "perfboard-pg-"):
    """A running private cluster for the with-block: (socket folder, port); stopped and removed after."""
    folder = pg_bin()
    home = Path(tempfile.mkdtemp(prefix=prefix))
    if AS_ROOT:
        shutil.chown(home, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = home / "cluster"
    run = dict(check=True, capture_output=True, timeout=120)
    try:
        subprocess.run(as_cluster_user(str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                       "-E", "UTF8", "--locale", "C"), **run)
        subprocess.run(as_cluster_user(str(folder / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-o",
                                       f"-p {port} -k {home} -c listen_addresses=''", "start"), **run)
        yield home, port
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(as_cluster_user(str(folder / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
                           capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def new_database(where: tuple[Path, int], prefix: str = "lake") -> str:
    """A new empty database in the cluster `where` ((socket folder, port)); its libpq connection string."""
    home, port = where
    name = f"{prefix}{next(_DATABASES)}"
    subprocess.run(as_cluster_user(str(pg_bin() / "createdb"), "-h", str(home), "-p", str(port), "-U", "postgres",
                                   name), check=True, capture_output=True, timeout=120)
    return f"dbname={name} host={home} port={port} user=postgres"

