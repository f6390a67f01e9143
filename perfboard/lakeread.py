"""The dashboard reading a DuckLake lake (docs/storage-design.md, step 2) instead of the DuckDB
file: with PERFBOARD_LAKE (the libpq connection string of the lake's PostgreSQL catalog) and
PERFBOARD_LAKE_DATA (the folder of its Parquet files) set, db.connect_read and db.version —
the one read path every page uses, through perfboard/ui/data.py — come here.

The lake's version is its latest snapshot id: a process-wide probe connection asks the
catalog for it, at most every PROBE_EVERY seconds (db.version is called by every query of a
page run). The read connection of one version attaches the lake read-only *at that snapshot*
(SNAPSHOT_VERSION) under the catalog name the pages' queries use (perfboard, db.cursor's
USE): every query of every session on it sees that one committed snapshot, never a write half
done, exactly as a file's read connection sees one published file. A commit of any writer on
any machine makes a new snapshot, so the next page run opens it and misses the old cache
entries: new reports show up without a restart. The views and macros the pages query are the
lake's own (created by `python -m perfboard.lake init` from schema/views.sql).

Runs in .venv-lake (DuckDB 1.5.5 and the pinned extension packages, `make lake-venv`), the
dashboard's packages included. Reads only: the dashboard's writes (上传与校对) go through
perfboard.writes and db.writing to perfboard.lake.writing, which calls forget() after each, so
the next page run of the writing process shows its write at once. A lake not initialised or a
catalog out of reach raises LakeUnavailable, which the dashboard shows as one Chinese line."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

CATALOG_ENV = "PERFBOARD_LAKE"
DATA_ENV = "PERFBOARD_LAKE_DATA"
EXTENSIONS = {"ducklake": "ducklake", "postgres_scanner": "postgres_scanner"}  # package suffix → binary name
# the extension binaries live in the venv that holds their packages, so each DuckDB version finds its own
EXT_DIR = Path(sys.prefix) / "duckdb-extensions"
PROBE_EVERY = 0.25  # seconds a looked-up snapshot id is reused: a new commit shows within this (+ one attach)
WHOLE_ZH = "数据湖暂不支持重新抽取或升级全部数据；新报告请在此上传，或用 python -m perfboard.lake ingest 写入。"
# the command that creates a lake, as the operator types it (the environment's names, never the connection
# string itself: it may hold a password, and the notice is shown to every viewer)
INIT_COMMAND = 'python -m perfboard.lake init --catalog "$PERFBOARD_LAKE" --data "$PERFBOARD_LAKE_DATA"'


class LakeUnavailable(RuntimeError):
    """The lake named cannot be read: its catalog holds no lake yet (`lake init` was not run) or
    cannot be reached (PostgreSQL down, a wrong connection string). One line each in English and
    Chinese (`zh` is what the dashboard shows), never a traceback."""

    def __init__(self, initialised: bool, detail: str = "", other_data: bool = False):
        self.initialised = initialised
        detail = redact(detail)  # DuckDB and libpq quote the connection string they failed with
        if other_data:  # the catalog is there, but it records another data folder than the one given
            en = f"the lake's catalog keeps its data elsewhere ({detail.splitlines()[0][:300]})"
            self.zh = "数据湖目录记录的数据文件夹与 PERFBOARD_LAKE_DATA（--data）不一致，请检查设置"
        elif not initialised:
            en = f"the lake has not been initialised; create it first with `{INIT_COMMAND}`"
            self.zh = f"数据湖尚未初始化，请先运行：{INIT_COMMAND}"
        else:
            first = (detail.splitlines() or [""])[0]
            # libpq's own reason (refused, password authentication failed …) follows the connection string
            # DuckDB quotes before it, which alone would fill the line
            reason = first.rsplit('": ', 1)[-1] if "Unable to connect to Postgres at" in first else first
            en = (f"cannot reach the lake's catalog ({reason[:200]}); check PERFBOARD_LAKE / --catalog and that "
                  "its PostgreSQL is running")
            self.zh = "无法连接数据湖的目录数据库（PostgreSQL），请检查 PERFBOARD_LAKE 的连接设置与数据库服务是否正常"
        super().__init__(f"{en} / {self.zh}")


# a libpq keyword's value: 'quoted' (with \' and \\ escapes) or up to the next space
_PASSWORD = re.compile(r"""(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)""", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every password=… of a connection string in it written password=***."""
    return _PASSWORD.sub(r"\1***", text)


def unavailable(err: Exception) -> LakeUnavailable:
    """What a failed attach or catalog read means: DuckLake says a catalog without a lake "does not
    exist" when it may not create one (READ_ONLY, CREATE_IF_NOT_EXISTS false), and that a data
    folder "does not match" the one the catalog records; any other error is the catalog out of reach."""
    missing = isinstance(err, duckdb.InvalidInputException) and "does not exist" in str(err)
    other_data = "does not match existing data path" in str(err)
    return LakeUnavailable(initialised=not missing, detail=str(err), other_data=other_data)


@dataclass(frozen=True)
class Target:
    catalog: str  # libpq connection string of the PostgreSQL catalog database
    data: str     # folder of the lake's Parquet files


def configured() -> Target | None:
    """The lake named by PERFBOARD_LAKE and PERFBOARD_LAKE_DATA; None when PERFBOARD_LAKE is unset."""
    catalog = os.environ.get(CATALOG_ENV)
    if not catalog:
        return None
    data = os.environ.get(DATA_ENV)
    if not data:
        raise RuntimeError(f"{CATALOG_ENV} is set but {DATA_ENV} (the lake's data folder) is not / "
                           f"已设置 {CATALOG_ENV}，但未设置 {DATA_ENV}（数据湖的数据文件夹）")
    return Target(catalog, data)


def install_extensions(target_root: Path = EXT_DIR) -> Path:
    """Lays the binaries of the installed duckdb-extension-* packages out where DuckDB looks
    for them (EXT_DIR/v1.5.5/linux_amd64/NAME.duckdb_extension): nothing is downloaded."""
    target = target_root / f"v{duckdb.__version__}" / "linux_amd64"
    target.mkdir(parents=True, exist_ok=True)
    for package, name in EXTENSIONS.items():
        spec = importlib.util.find_spec(f"duckdb_extension_{package}")
        if spec is None:
            raise SystemExit(f"duckdb-extension-{package.replace('_', '-')} is not installed: "
                             "run `make lake-venv` / 未安装 DuckLake 扩展")
        found = sorted(Path(spec.submodule_search_locations[0]).glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
        if not found:
            raise SystemExit(f"duckdb-extension-{package} has no binary for DuckDB {duckdb.__version__} "
                             "(pin both to one version) / 扩展版本与 DuckDB 不符")
        if not (target / f"{name}.duckdb_extension").exists():
            shutil.copy(found[0], target / f"{name}.duckdb_extension")
    return target_root


def open_instance(target: Target) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the ducklake extension loaded and the lake described (the secret
    lake.attach and lake.attach_read name), nothing attached yet."""
    from perfboard import queries
    con = duckdb.connect(config={"extension_directory": str(install_extensions()),
                                 "autoinstall_known_extensions": False, "autoload_known_extensions": True})
    try:
        queries.execute(con, "lake.load_extension")
        queries.execute(con, "lake.secret", catalog=f"postgres:{target.catalog}", data_path=target.data.rstrip("/") + "/")
    except BaseException:
        con.close()
        raise
    return con


class _Probe:
    """One connection per process and lake that only asks for the latest snapshot id."""

    def __init__(self):
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.target: Target | None = None
        self.seen: tuple[float, int] | None = None  # (monotonic time, snapshot id)

    def latest(self, target: Target) -> int:
        from perfboard import queries
        with self.lock:
            now = time.monotonic()
            if self.target == target and self.seen is not None and now - self.seen[0] < PROBE_EVERY:
                return self.seen[1]
            if self.target != target or self.con is None:
                if self.con is not None:
                    self.con.close()
                self.con, self.target, self.seen = None, target, None
                try:
                    con = open_instance(target)
                except duckdb.Error as err:
                    raise unavailable(err) from err
                try:
                    queries.execute(con, "lake.attach_probe")
                    tables = queries.execute(con, "lake.probe_ready")
                except duckdb.Error as err:
                    con.close()
                    raise unavailable(err) from err
                if tables != [(1,)]:  # a DuckLake, but `lake init` has not made the dashboard's tables in it
                    con.close()
                    raise LakeUnavailable(initialised=False)
                self.con = con
            try:
                [(snapshot,)] = queries.execute(self.con, "lake.latest_snapshot")
            except duckdb.Error as err:  # the catalog went away (a restart): the next call opens a new probe
                self.con.close()
                self.con = None
                raise unavailable(err) from err
            self.seen = (now, snapshot)
            return snapshot

    def forget(self) -> None:
        """After this process's own write: the next version() asks the catalog again, so the page
        run that follows the write shows it."""
        with self.lock:
            self.seen = None


_PROBE = _Probe()


def forget() -> None:
    """A write of this process committed: the next version() looks the snapshot up again."""
    _PROBE.forget()


def version(target: Target) -> tuple[int]:
    """The lake's version for the dashboard's caches: its latest snapshot id (looked up at most
    every PROBE_EVERY seconds)."""
    return (_PROBE.latest(target),)


def connect_read(target: Target) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the lake's latest snapshot, pinned to it, under the catalog
    name perfboard (db.cursor makes it the default): the pages' queries, views and macros
    unchanged. Never writes, creates or upgrades anything. The snapshot is the one version()
    gave its caller moments ago (the probe's), so a connection cached under a version reads it."""
    from perfboard import queries
    snapshot = _PROBE.latest(target)
    con = open_instance(target)
    try:
        queries.execute(con, "lake.attach_read", snapshot=snapshot)
        queries.execute(con, "db.use_database")
    except duckdb.Error as err:
        con.close()
        raise unavailable(err) from err
    except BaseException:
        con.close()
        raise
    return con
