"""A private cluster of Debian's PostgreSQL, as the DuckLake lake's catalog where no server is given:
the lake's tests (tests/lakefixtures.py) and the lake's benchmark (perfboard/bench.py, section
"lake") start one the same way. initdb in a temporary folder, a free port, a socket in that folder
with trust (the superuser's way in); with `tcp`, also 127.0.0.1 on that port, where every role
must give its password (scram-sha-256), as a catalog on another machine would ask; as the
`postgres` user when run as root, since initdb refuses root. Debian keeps the server's programs
out of PATH, in /usr/lib/postgresql/VERSION/bin.

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
def cluster(prefix: str = "perfboard-pg-", tcp: bool = False):
    """A running private cluster for the with-block: (socket folder, port); stopped and removed after.
    `tcp`: it also listens on 127.0.0.1:port, password only (`password_role` makes a role for it)."""
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
        listen = "''"
        if tcp:  # the socket keeps trust; TCP from this machine takes a password, never trust
            hba = data / "pg_hba.conf"
            hba.write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8")
            listen = "127.0.0.1"
        subprocess.run(as_cluster_user(str(folder / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-o",
                                       f"-p {port} -k {home} -c listen_addresses={listen}", "start"), **run)
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



def password_role(where: tuple[Path, int], role: str, password: str, prefix: str = "lake") -> str:
    """A login role with `password` that owns a new empty database of the cluster `where` (started with
    `tcp`); the libpq connection string that reaches it over TCP, without the password (libpq takes
    it from PGPASSFILE or PGPASSWORD, so it never shows in a process list)."""
    home, port = where
    name = f"{prefix}{next(_DATABASES)}"
    psql = [str(pg_bin() / "psql"), "-h", str(home), "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
            "-v", f"role={role}", "-v", f"password={password}", "-d", "postgres"]
    # psql's :'var' quoting, so neither name nor password is pasted into SQL text here
    script = "CREATE ROLE :\"role\" LOGIN PASSWORD :'password';\n"
    subprocess.run(as_cluster_user(*psql), input=script, text=True, check=True, capture_output=True, timeout=120)
    subprocess.run(as_cluster_user(str(pg_bin() / "createdb"), "-h", str(home), "-p", str(port), "-U", "postgres",
                                   "-O", role, name), check=True, capture_output=True, timeout=120)
    return f"dbname={name} host=127.0.0.1 port={port} user={role}"
