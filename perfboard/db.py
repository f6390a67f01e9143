"""Where the database lives and how it is opened.

DuckDB allows one writing process or many read-only ones, never both. So nobody writes
to the served file: a writer takes a lock, copies the database to a temporary file
beside it, writes there, and atomically renames the copy over the original. Readers
open the file read-only and notice a new version by its inode and modification time.
A writer killed halfway leaves only a stray temporary file; the served database is the
last complete one.

`dashboard_metrics` is the dashboard's stored copy of v_dashboard_metrics (schema/views.sql).
A row depends only on the reports of its own unit (department key, kind, project), so each
write recomputes the rows of the units it touched, in the same transaction as the write
(`update_metrics`): its cost follows what it changes, not what the database holds. The full
rebuild (`rebuild_metrics`) runs when a database is created or its schema upgraded, and on
`perfboard upgrade --rebuild`; `metrics_drift` compares the stored table with it."""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
DEFAULT_DB = ROOT / "data" / "evaluations.duckdb"
DASHBOARD_TABLE_SQL = ROOT / "queries" / "db" / "refresh_dashboard_metrics.sql"
DASHBOARD_UNITS_SQL = ROOT / "queries" / "db" / "insert_metrics.sql"  # the same rows, for touched units
METRIC_CATALOGUE = SCHEMA_DIR / "metrics.csv"  # the one list of metrics, loaded into metric_catalogue


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("PERFBOARD_DB") or DEFAULT_DB)


def version(path: str | os.PathLike | None = None) -> tuple[int, int]:
    """Changes whenever a writer publishes a new database; (0, 0) when there is none."""
    try:
        st = db_path(path).stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns)


def schema_version() -> str:
    digest = hashlib.sha256()
    for file in (SCHEMA_DIR / "tables.sql", METRIC_CATALOGUE, SCHEMA_DIR / "views.sql", DASHBOARD_TABLE_SQL,
                 DASHBOARD_UNITS_SQL):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def apply_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Creates or upgrades tables, views and macros; True when this database had an older schema.
    A database already at this schema is left alone: re-running the DDL costs a commit per
    statement, which was most of a small write's time at 30,000 reports (0.5 s of 1.1 s)."""
    from perfboard import queries
    if _current(con):
        return False
    con.begin()
    try:
        con.execute((SCHEMA_DIR / "tables.sql").read_text(encoding="utf-8"))
        # before the views: v_metrics takes each metric's unit from the catalogue
        queries.execute(con, "db.load_metric_catalogue", path=str(METRIC_CATALOGUE))
        con.execute((SCHEMA_DIR / "views.sql").read_text(encoding="utf-8"))
        queries.execute(con, "db.set_schema_version", version=schema_version())
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True


class OutdatedDatabase(RuntimeError):
    """A reader met a database written by an older perfboard. Readers never upgrade (that
    would make the dashboard a writer); the CLI and the writers do."""

    def __init__(self, path: Path):
        self.path = path
        self.command = f"python -m perfboard upgrade --db {path}"
        self.zh = f"数据库 {path} 由旧版本 perfboard 写入，请先运行：{self.command}"
        super().__init__(f"{path} was written by an older perfboard; upgrade it with `{self.command}` / {self.zh}")


def connect_read(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at `path`; it never writes, creates or
    upgrades anything. Use `cursor()` for cursors. FileNotFoundError when there is no
    file, OutdatedDatabase when an older perfboard wrote it (`perfboard upgrade` fixes that).

    Not duckdb.connect(path): DuckDB keeps one database instance per path and process, so
    while an older connection is alive, connecting to the same path again returns the file
    a writer has since renamed over. An in-memory instance that ATTACHes the file read-only
    opens what is at the path now."""
    path = db_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path} / 没有数据库：{path}")
    con = _attach(path)
    if not _current(con):
        con.close()
        raise OutdatedDatabase(path)
    return con


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    from perfboard import queries
    try:
        return queries.run(con, "db.schema_version").rows() == [(schema_version(),)]
    except duckdb.CatalogException:  # older than the meta table
        return False


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    from perfboard import queries
    con = duckdb.connect(":memory:")
    queries.execute(con, "db.attach_read_only", path=str(path))
    queries.execute(con, "db.use_database")
    return con


def upgrade(path: str | os.PathLike | None = None, rebuild: bool = False) -> tuple[int, int, int] | None:
    """Brings a database to this version's schema (creating an empty one when there is
    none); publishes only if it was older. `perfboard upgrade`, and every writer. With
    `rebuild`, also rebuilds dashboard_metrics from every number and publishes, returning
    what the kept table differed by before (db.metrics_drift: rows only in the rebuild,
    rows only in the kept table, rows)."""
    drift = None
    with writing(path) as con:
        if not rebuild:
            raise Discard
        drift = metrics_drift(con)
        rebuild_metrics(con)
    return drift


def rebuild_metrics(con: duckdb.DuckDBPyConnection) -> None:
    """dashboard_metrics from every number: for a new or upgraded database, and the repair path."""
    from perfboard import queries
    queries.execute(con, "db.refresh_dashboard_metrics")


def touch(con: duckdb.DuckDBPyConnection, report_ids) -> None:
    """Marks the units of these reports, as they are now, for `update_metrics`. A write that can
    move a report to another unit (an alias, a re-extraction) touches it before and after."""
    from perfboard import queries
    ids = [r for r in report_ids if r is not None]
    if ids:
        queries.execute(con, "db.touch_units", report_ids=ids)


def update_metrics(con: duckdb.DuckDBPyConnection, report_ids=()) -> None:
    """Recomputes dashboard_metrics's rows of every touched unit (and of the units of
    `report_ids`, as they are now). Call it inside the write's transaction, after the write."""
    from perfboard import queries
    touch(con, report_ids)
    queries.execute(con, "db.delete_metrics")
    queries.execute(con, "db.insert_metrics")
    queries.execute(con, "db.clear_touched")


def metrics_drift(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(rows only in a full rebuild, rows only in the stored dashboard_metrics, stored rows):
    (0, 0, n) when the incrementally kept table equals a full rebuild. Works on a read
    connection too (the rebuild goes into a temporary table)."""
    from perfboard import queries
    queries.execute(con, "db.rebuilt_metrics")
    try:
        return tuple(queries.execute(con, "db.diff_incremental")[0])
    finally:
        queries.execute(con, "db.drop_rebuilt_metrics")


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a read connection, looking at the attached database (cursors start in
    the in-memory catalog)."""
    from perfboard import queries
    cur = con.cursor()
    queries.execute(cur, "db.use_database")
    return cur


@contextlib.contextmanager
def write_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish(con: duckdb.DuckDBPyConnection, tmp: Path, path: Path) -> None:
    from perfboard import queries
    if queries.execute(con, "db.touched_count") != [(0,)]:  # a writer touched and did not update
        update_metrics(con)
    con.execute("CHECKPOINT")
    con.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def is_write_failure(err: BaseException) -> bool:
    """A full disk or a folder that cannot be written, however it surfaces: OSError from a
    copy or rename, IOException from DuckDB, or the FatalException DuckDB raises when its
    checkpoint cannot write. writing() has then discarded its private copy."""
    if isinstance(err, (OSError, duckdb.IOException)):
        return True
    return isinstance(err, duckdb.FatalException) and "Could not write" in str(err)


class Discard(Exception):
    """Raised inside `writing()` when nothing was changed: the served file stays as it was."""


@contextlib.contextmanager
def writing(path: str | os.PathLike | None = None):
    """Yields a connection to a private copy of the database; publishes it on success,
    discards it on any exception. Writers queue on a file lock. A writer keeps
    dashboard_metrics up to date for what it changes (`update_metrics`)."""
    from perfboard import queries
    path = db_path(path)
    with write_lock(path):
        _remove_stale_copies(path)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        _remove(tmp)
        try:
            # a copy that fails (a full disk) is removed at once: left behind, it would
            # keep the disk full until the next writer
            if path.exists():
                copy_file(path, tmp)
            con = duckdb.connect(str(tmp))
        except BaseException:
            _remove(tmp)
            raise
        upgraded = False
        try:
            upgraded = apply_schema(con)
            queries.execute(con, "db.touched_reports")
            if upgraded:  # a new table, or rows an older version computed otherwise
                rebuild_metrics(con)
            yield con
            _publish(con, tmp, path)
        except Discard:
            if upgraded:  # nothing else changed, but the schema did: publish that
                _publish(con, tmp, path)
            else:
                con.close()
                _remove(tmp)
        except BaseException:
            con.close()
            _remove(tmp)
            raise


def copy_file(source: Path, target: Path) -> None:
    """The private copy a write starts from. os.copy_file_range lets the kernel copy without
    the bytes passing through this process, and Linux shares the blocks instead (a reflink)
    where the filesystem can (XFS, Btrfs; not measured here). On ext4 it copies in the
    kernel: 0.10-0.20 s for 113 MiB here, the same as shutil's sendfile."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        left = os.fstat(src.fileno()).st_size
        try:
            while left > 0:
                done = os.copy_file_range(src.fileno(), dst.fileno(), left)
                if done == 0:
                    break
                left -= done
        except OSError:  # not supported between these files (another filesystem, an old kernel)
            src.seek(0)
            dst.seek(0)
            dst.truncate()
            shutil.copyfileobj(src, dst, 1 << 20)


def _remove_stale_copies(path: Path) -> None:
    """Copies left by writers that died (kill -9) are garbage: the lock is ours, so no
    live writer owns them."""
    for stray in path.parent.glob(f"{path.name}.tmp-*"):
        if not stray.name.endswith(".wal"):
            _remove(stray)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
