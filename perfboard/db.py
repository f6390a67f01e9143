"""Where the database lives and how it is opened.

DuckDB allows one writing process or many read-only ones, never both. So nobody writes
to a served file: a writer takes a lock, copies the file to a temporary one beside it,
writes there, and atomically renames the copy over the original. Readers open the files
read-only and notice a new version by their inode and modification time. A writer killed
halfway leaves only a stray temporary file; the served files are the last complete ones.

Two files, so that a write copies what it changes, not everything stored (issue 15):
the **bulk file** (`evaluations.duckdb`: every report, number, original) and, beside it,
the **changes file** (`evaluations.duckdb.changes`): the reports written since the bulk
file was last written whole — with their whole departments, taken over from the bulk file
before a write touches them (`bring`) — and the whole of the small tables (corrections,
aliases, unreadable uploads). A correction, an upload or an ingest publish copies only the
changes file; readers attach both and see one database (schema/changes_views.sql: a
report's rows come from the changes file once it holds it). A changes file carries the id
of the bulk file it belongs to and counts only beside it. When the changes file has grown
to an eighth of the bulk file (32 MiB at least), or the bulk file is small (under 16 MiB,
`PERFBOARD_CHANGES_FROM`), or a write needs the whole (`reextract`, `upgrade`), a writer
copies the bulk file, merges the changes into it, publishes it under a new id and then
removes the changes file: in between, a reader sees the new bulk file alone, which holds
everything. A merge runs under a DuckDB memory bound (`merge_bound`); one that does not fit it
changes nothing, and the write that made it due stays published.

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
import logging
import os
import shutil
import uuid
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
DEFAULT_DB = ROOT / "data" / "evaluations.duckdb"
DASHBOARD_TABLE_SQL = ROOT / "queries" / "db" / "refresh_dashboard_metrics.sql"
DASHBOARD_UNITS_SQL = ROOT / "queries" / "db" / "insert_metrics.sql"  # the same rows, for touched units
REPORTS_TABLE_SQL = ROOT / "queries" / "db" / "refresh_dashboard_reports.sql"  # dashboard_reports, likewise
REPORTS_UNITS_SQL = ROOT / "queries" / "db" / "insert_dashboard_reports.sql"
METRIC_CATALOGUE = SCHEMA_DIR / "metrics.csv"  # the one list of metrics, loaded into metric_catalogue
CHANGES_VIEWS = SCHEMA_DIR / "changes_views.sql"  # a reader's union of the bulk file and its changes file
CHANGES_FROM = 16 << 20   # bytes of bulk file from which writes go to the changes file (below: copying it is cheap)
MERGE_AT = 32 << 20       # a changes file is merged into the bulk file from max(this, an eighth of the bulk file)
MERGE_AFTER = 1000        # reports an ingest stores from which it ends with a merge (load.ingest_paths, merge_now)
_CHANGES_WRITERS: set[int] = set()  # id() of the connections writing a changes file now


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("PERFBOARD_DB") or DEFAULT_DB)


def changes_path(path: str | os.PathLike | None = None) -> Path:
    """The changes file beside a bulk file (see the module's docstring)."""
    path = db_path(path)
    return path.with_name(path.name + ".changes")


def version(path: str | os.PathLike | None = None) -> tuple[int, ...]:
    """Changes whenever a writer publishes the bulk file or its changes file; zeros when there is none.
    Reading a lake (PERFBOARD_LAKE, perfboard/lakeread.py): its latest snapshot id."""
    if (lake := _lake()) is not None:
        from perfboard import lakeread
        return lakeread.version(lake)
    path = db_path(path)
    return (*_stat(path), *_stat(changes_path(path)))


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns)


def _lake():
    """The DuckLake lake the dashboard reads instead of the file (perfboard/lakeread.py), or None."""
    if not os.environ.get("PERFBOARD_LAKE"):
        return None
    from perfboard import lakeread
    return lakeread.configured()


def readable(path: str | os.PathLike | None = None) -> bool:
    """Whether there is something to read: the lake when one is named, else the file at `path`."""
    return _lake() is not None or db_path(path).exists()


def changes_from() -> int:
    return int(os.environ.get("PERFBOARD_CHANGES_FROM") or CHANGES_FROM)


def merge_after() -> int:
    return int(os.environ.get("PERFBOARD_MERGE_AFTER") or MERGE_AFTER)


def schema_version() -> str:
    digest = hashlib.sha256()
    # not CHANGES_VIEWS: readers build the union per connection, nothing of it is stored
    for file in (SCHEMA_DIR / "tables.sql", METRIC_CATALOGUE, SCHEMA_DIR / "views.sql", DASHBOARD_TABLE_SQL,
                 DASHBOARD_UNITS_SQL, REPORTS_TABLE_SQL, REPORTS_UNITS_SQL):
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
    """A read-only connection to the database now at `path` (its bulk file and, when there
    is one that belongs to it, its changes file, as one database); it never writes, creates
    or upgrades anything. Use `cursor()` for cursors. FileNotFoundError when there is no
    file, OutdatedDatabase when an older perfboard wrote it (`perfboard upgrade` fixes that).

    Not duckdb.connect(path): DuckDB keeps one database instance per path and process, so
    while an older connection is alive, connecting to the same path again returns the file
    a writer has since renamed over. An in-memory instance that ATTACHes the file read-only
    opens what is at the path now.

    The changes file is attached first: a bulk file published after it holds everything it
    holds (a merge publishes the bulk file before it removes the changes file), so any bulk
    file met next is one it belongs to, or a newer one that holds it."""
    from perfboard import queries
    if (lake := _lake()) is not None:  # PERFBOARD_LAKE: the lake's latest snapshot instead of the file
        from perfboard import lakeread
        return lakeread.connect_read(lake)
    path = db_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path} / 没有数据库：{path}")
    changes = changes_path(path)
    for _ in range(20):
        seen = _stat(changes)
        if seen == (0, 0):
            return _read_bulk(path)
        con = duckdb.connect(":memory:")
        try:
            try:
                queries.execute(con, "db.changes.attach_changes", path=str(changes))
            except duckdb.IOException:  # removed by a merge since the stat: look again
                con.close()
                continue
            queries.execute(con, "db.changes.attach_base", path=str(path))
            if _stat(changes) != seen:  # replaced while attaching: the pair may not belong together
                con.close()
                continue
            own = queries.execute(con, "db.changes.base_id_of_base")
            if not own or own != queries.execute(con, "db.changes.base_id_of_changes"):
                con.close()  # a changes file left by a merge or restore cut short: the bulk file holds it
                return _read_bulk(path)
            current = [(schema_version(),)]
            if (queries.execute(con, "db.changes.schema_version_of_base") != current
                    or queries.execute(con, "db.changes.schema_version_of_changes") != current):
                con.close()
                raise OutdatedDatabase(path)
            queries.execute(con, "db.changes.attach_union")
            queries.execute(con, "db.changes.reader_optimizers")
            queries.execute(con, "db.use_database")
            con.execute(CHANGES_VIEWS.read_text(encoding="utf-8"))
            con.execute((SCHEMA_DIR / "views.sql").read_text(encoding="utf-8"))
            return con
        except BaseException:
            con.close()
            raise
    return _read_bulk(path)  # a writer publishing faster than we can attach: the bulk file is whole


def _read_bulk(path: Path) -> duckdb.DuckDBPyConnection:
    con = _attach(path)
    if not _current(con):
        con.close()
        raise OutdatedDatabase(path)
    return con


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    from perfboard import queries
    try:  # fetched as tuples, not a polars frame: that would import pyarrow, 0.5 s of a fresh writer's first write
        return queries.execute(con, "db.schema_version") == [(schema_version(),)]
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
    `rebuild`, also rebuilds dashboard_metrics and dashboard_reports from every number and
    report and publishes, returning what the kept tables differed by before (rows only in the
    rebuild, rows only in the kept tables, kept rows of dashboard_metrics), compared batch by
    batch as it rebuilds (`rebuild_metrics`)."""
    drift = None
    with writing(path, whole=True) as con:
        if not rebuild:
            raise Discard
        drift = rebuild_metrics(con, compare=True)
    return drift


REBUILD_REPORTS = 10000  # reports a batch of the full rebuild holds (at least one whole department): at 30,000
# reports 15,000 fit the writer's 128 MB, 20,000 did not (BENCHMARKS.md)


def rebuild_reports() -> int:
    """Reports a batch of the full rebuild holds: PERFBOARD_REBUILD_REPORTS when set, else REBUILD_REPORTS."""
    return max(1, int(os.environ.get("PERFBOARD_REBUILD_REPORTS") or REBUILD_REPORTS))


class RebuildOutOfMemory(RuntimeError):
    """The full rebuild of the kept tables ran out of its DuckDB bound (the writer's, or
    PERFBOARD_REBUILD_MEMORY): the write is discarded with its private copy, so nothing
    published changed."""

    def __init__(self, per_batch: int, err: BaseException):
        set_bound = os.environ.get("PERFBOARD_REBUILD_MEMORY")
        bound = f"its {set_bound}" if set_bound else "the writer's"
        self.zh = (f"重建看板数据表时内存不足（上限 {set_bound or '写入进程的'}，每批 {per_batch} 份报告），数据库未改变；"
                   "可用 PERFBOARD_REBUILD_REPORTS 调小每批报告数后运行 python -m perfboard upgrade --rebuild")
        super().__init__(f"rebuilding dashboard_metrics and dashboard_reports ran out of {bound} memory bound "
                         f"in a batch of {per_batch} reports ({str(err).splitlines()[0][:120]}); the database is "
                         f"unchanged; lower PERFBOARD_REBUILD_REPORTS and run `python -m perfboard upgrade --rebuild`"
                         f" / {self.zh}")


def rebuild_metrics(con: duckdb.DuckDBPyConnection, compare: bool = False,
                    whole: bool = False) -> tuple[int, int, int] | None:
    """dashboard_metrics and dashboard_reports from every number and report: for a new or upgraded
    database, and the repair path. Under the writer's DuckDB bound, a batch of whole departments
    at a time (`rebuild_reports`): each batch's reports go into touched_reports and their rows are
    computed as every write computes a touched unit's (db.insert_dashboard_reports, db.insert_metrics);
    then both tables are written a year at a time in the whole rebuild's order. In one statement
    (`whole`: refresh_dashboard_metrics, at DuckDB's default bound) it needed 4.2 GiB at 300,000
    reports. The batches go to temporary tables (no room taken in the file: the rebuilt tables are
    written there once, in order). With `compare`, the kept tables are compared with the rebuilt
    ones by a hash of each row (db.rebuild.diff_kept): returns db.metrics_drift's three figures.
    Raises RebuildOutOfMemory when a batch does not fit the bound (PERFBOARD_REBUILD_MEMORY sets
    another); the caller's private copy is then discarded."""
    from perfboard import queries
    if whole:  # a lake (DuckDB 1.5, one transaction, no private copy): the one-statement rebuild
        queries.execute(con, "db.writer_memory_reset")
        queries.execute(con, "db.refresh_dashboard_metrics")
        queries.execute(con, "db.refresh_dashboard_reports")
        with contextlib.suppress(duckdb.OutOfMemoryException):  # more in use than that: it keeps DuckDB's default
            queries.execute(con, "db.writer_memory")
        return None
    per_batch = rebuild_reports()
    if bound := os.environ.get("PERFBOARD_REBUILD_MEMORY"):  # another bound for it (a DuckDB size, e.g. '96MB')
        with contextlib.suppress(duckdb.OutOfMemoryException):  # more in use already: it keeps the writer's
            queries.execute(con, "db.bulk_memory", limit=bound)
    try:
        drift = _rebuild_batched(con, per_batch, compare)
    except duckdb.OutOfMemoryException as err:
        raise RebuildOutOfMemory(per_batch, err) from err
    if bound:
        with contextlib.suppress(duckdb.OutOfMemoryException):
            queries.execute(con, "db.writer_memory")
    return drift


def _rebuild_batched(con: duckdb.DuckDBPyConnection, per_batch: int, compare: bool) -> tuple[int, int, int] | None:
    from perfboard import queries
    queries.execute(con, "db.touched_reports")
    queries.execute(con, "db.clear_touched")  # a full rebuild recomputes whatever a write touched
    queries.execute(con, "db.rebuild.temp_reports")  # the writes' statements fill these (see temp_metrics.sql)
    queries.execute(con, "db.rebuild.temp_metrics")
    for first, last in _rebuild_batches(queries.execute(con, "db.rebuild.departments"), per_batch):
        queries.execute(con, "db.rebuild.touch_batch", first=first, last=last)
        queries.execute(con, "db.insert_dashboard_reports")  # first: insert_metrics copies its flags
        queries.execute(con, "db.insert_metrics")
        queries.execute(con, "db.clear_touched")
    # one transaction: with a commit per year, DuckDB's checkpoints rewrote the growing last row group
    # and left the file 12 MiB larger at 30,000 reports; in one it is written once, into the free blocks
    con.begin()
    try:
        _in_rebuild_order(con)
        drift = None
        if compare:
            [(only_rebuilt, only_kept, rows)] = queries.execute(con, "db.rebuild.diff_kept")
            drift = (int(only_rebuilt), int(only_kept), rows)
        queries.execute(con, "db.rebuild.drop_kept_metrics")
        queries.execute(con, "db.rebuild.ordered_metrics_in_place")
        queries.execute(con, "db.rebuild.drop_kept_reports")
        queries.execute(con, "db.rebuild.ordered_reports_in_place")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return drift


def _rebuild_batches(departments, per_batch: int) -> list[tuple[str | None, str | None]]:
    """(first, last) department keys of each batch: consecutive departments up to `per_batch` reports
    (a larger department alone), the reports without a key (None, None) first."""
    batches: list[tuple[str | None, str | None]] = []
    first = last = None
    held = 0
    for key, reports in departments:
        if key is None:
            batches.append((None, None))
            continue
        if first is not None and held + reports > per_batch:
            batches.append((first, last))
            first, held = None, 0
        if first is None:
            first = key
        last, held = key, held + reports
    if first is not None:
        batches.append((first, last))
    return batches


def _in_rebuild_order(con: duckdb.DuckDBPyConnection) -> None:
    """The temporary tables of the batches written into the database's (ordered_*) a year at a
    time in the whole rebuild's physical order (year, then department), so the dashboard's scans
    of a year read few row groups; then dropped."""
    from perfboard import queries
    queries.execute(con, "db.rebuild.start_ordered_metrics")
    for (year,) in queries.execute(con, "db.rebuild.metric_years"):
        queries.execute(con, "db.rebuild.order_metrics", year=year)
    queries.execute(con, "db.rebuild.drop_temp_metrics")
    queries.execute(con, "db.rebuild.start_ordered_reports")
    for (year,) in queries.execute(con, "db.rebuild.report_years"):
        queries.execute(con, "db.rebuild.order_reports", year=year)
    queries.execute(con, "db.rebuild.drop_temp_reports")


def touch(con: duckdb.DuckDBPyConnection, report_ids) -> None:
    """Marks the units of these reports, as they are now, for `update_metrics`. A write that can
    move a report to another unit (an alias, a re-extraction) touches it before and after.
    Writing a changes file, it first takes over their departments' reports (`bring`)."""
    from perfboard import queries
    ids = [r for r in report_ids if r is not None]
    if ids:
        bring(con, ids)
        queries.execute(con, "db.touch_units", report_ids=ids)


def in_changes(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this writer writes the changes file (the bulk file attached read-only as `base`)."""
    return id(con) in _CHANGES_WRITERS


def bring(con: duckdb.DuckDBPyConnection, report_ids) -> int:
    """Writing a changes file: copies these reports and every report of their departments from
    the bulk file into it (reports, facts, indicators), unless it holds them already, and marks
    them for `update_metrics` (their dashboard_metrics and dashboard_reports rows are recomputed there, not copied:
    copying read the bulk file's whole table); call it before a write changes their rows. From
    then on readers take those reports from the changes file. Writing the whole file: nothing
    to do. Returns how many."""
    from perfboard import queries
    ids = [r for r in report_ids if r is not None]
    if not ids or not in_changes(con):
        return 0
    queries.execute(con, "db.changes.bring_select", report_ids=ids)
    [(n,)] = queries.execute(con, "db.changes.bring_count")
    if n:
        queries.execute(con, "db.changes.bring_reports")
        queries.execute(con, "db.changes.bring_facts")
        queries.execute(con, "db.changes.bring_indicators")
        queries.execute(con, "db.changes.bring_touch")  # recomputed before the write publishes (_publish)
        queries.execute(con, "db.changes.bring_clear")
    return n


def update_metrics(con: duckdb.DuckDBPyConnection, report_ids=()) -> None:
    """Recomputes dashboard_metrics's and dashboard_reports's rows of every touched unit (and of
    the units of `report_ids`, as they are now). Call it inside the write's transaction, after the write."""
    from perfboard import queries
    touch(con, report_ids)
    queries.execute(con, "db.delete_dashboard_reports")
    queries.execute(con, "db.insert_dashboard_reports")  # first: insert_metrics copies its flags
    queries.execute(con, "db.delete_metrics")
    queries.execute(con, "db.insert_metrics")
    queries.execute(con, "db.clear_touched")


def metrics_drift(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(rows only in a full rebuild, rows only in the stored tables, stored rows of dashboard_metrics):
    (0, 0, n) when the incrementally kept dashboard_metrics and dashboard_reports equal a full rebuild.
    The reference check, from the views themselves (v_dashboard_metrics, v_dashboard_reports) into
    temporary tables, on any connection, at DuckDB's default bound: the tests' and the lake's check of
    what the writes keep, including insert_metrics.sql's own logic. Not the writer's: `perfboard upgrade
    --rebuild` compares batch by batch as it rebuilds (`rebuild_metrics` with compare), in its bound;
    this one needed 4.2 GiB at 300,000 reports."""
    from perfboard import queries
    queries.execute(con, "db.writer_memory_reset")  # a full rebuild, into a temporary table
    queries.execute(con, "db.rebuilt_metrics")
    queries.execute(con, "db.rebuilt_reports")
    try:
        only_rebuilt, only_stored, rows = queries.execute(con, "db.diff_incremental")[0]
        [(reports_rebuilt, reports_stored)] = queries.execute(con, "db.diff_reports")
        return only_rebuilt + reports_rebuilt, only_stored + reports_stored, rows
    finally:
        queries.execute(con, "db.drop_rebuilt_metrics")
        queries.execute(con, "db.drop_rebuilt_reports")


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


def _publish(con: duckdb.DuckDBPyConnection, tmp: Path, path: Path, base_id: str | None = None) -> None:
    from perfboard import queries
    if queries.execute(con, "db.touched_count") != [(0,)]:  # a writer touched and did not update
        _update_in_transaction(con)
    if base_id is not None:  # a new bulk file: changes files of the one before no longer count
        index_bulk(con, base_id)
    queries.execute(con, "db.checkpoint")
    con.close()
    _install(tmp, path)


def index_bulk(con: duckdb.DuckDBPyConnection, base_id: str) -> None:
    """A bulk file about to be published gets its id and its row map (bulk_rows, made for that id:
    queries/db/changes/index_bulk.sql), through which a changes file's writer reads only the bulk
    file's rows of what it writes. Checkpointed first: a checkpoint may move rows that earlier
    deletes left (DuckDB compacts such row groups), and the published file keeps the ids it has then."""
    from perfboard import queries
    queries.execute(con, "db.checkpoint")
    queries.execute(con, "db.changes.index_bulk")
    queries.execute(con, "db.changes.index_bulk_of", base_id=base_id)
    queries.execute(con, "db.changes.set_base_id", base_id=base_id)


def _install(copy: Path, path: Path) -> None:
    """A written copy made the served file: on disk, then renamed over it, the rename on disk too."""
    with open(copy, "rb") as f:
        os.fsync(f.fileno())
    os.replace(copy, path)
    _fsync_dir(path.parent)


def _update_in_transaction(con: duckdb.DuckDBPyConnection) -> None:
    """update_metrics for a publish whose writes touched and left the upkeep to it (an ingest's publish),
    in one transaction of its own: one commit for its four statements, not one each."""
    con.begin()
    try:
        update_metrics(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def is_write_failure(err: BaseException) -> bool:
    """A full disk or a folder that cannot be written, however it surfaces: OSError from a
    copy or rename, IOException from DuckDB, or the FatalException DuckDB raises when its
    checkpoint cannot write. writing() has then discarded its private copy."""
    if isinstance(err, (OSError, duckdb.IOException)):
        return True
    return isinstance(err, duckdb.FatalException) and "Could not write" in str(err)


class LakeReadOnly(RuntimeError):
    """A write of the whole database (re-extraction, an upgrade) while PERFBOARD_LAKE is set:
    not built on a lake; its small writes (writes.py) and `python -m perfboard.lake ingest` are."""

    def __init__(self, zh: str):
        self.zh = zh
        super().__init__("re-extraction and upgrades are not built for a DuckLake lake (PERFBOARD_LAKE); "
                         f"new reports go in with `python -m perfboard.lake ingest` / {zh}")


def on_lake() -> bool:
    """Whether this process's writes go to a DuckLake lake (PERFBOARD_LAKE) instead of the file: its
    statements are then the lake's (queries/lake/review/: DuckLake has no RETURNING, ON CONFLICT or
    sequences)."""
    return _lake() is not None


class Discard(Exception):
    """Raised inside `writing()` when nothing was changed: the served file stays as it was."""


@contextlib.contextmanager
def writing(path: str | os.PathLike | None = None, whole: bool = False):
    """Yields a connection to a private copy of the changes file (the bulk file attached
    read-only as `base`) or, with `whole`, below PERFBOARD_CHANGES_FROM bytes of bulk file,
    for a database without a changes file's prerequisites (a bulk file of an older schema or
    without an id), of the bulk file with the changes merged in; publishes it on success,
    discards it on any exception. Writers queue on a file lock. On a lake (PERFBOARD_LAKE):
    the process's writing connection under the lake's writer lock, no copy (lake.writing). A writer keeps
    dashboard_metrics up to date for what it changes (`update_metrics`); writing a changes
    file, it calls `bring` (through `touch`) before it changes a stored report's rows."""
    if (lake := _lake()) is not None:  # the lake is what is served: the write goes there (perfboard/lake.py)
        from perfboard import lake as lake_store, lakeread
        if whole:  # re-extraction and upgrades rewrite everything: not built on a lake
            raise LakeReadOnly(lakeread.WHOLE_ZH)
        with contextlib.suppress(Discard), lake_store.writing(lake) as con:
            yield con
        return
    path = db_path(path)
    with write_lock(path):
        _remove_stale_copies(path)
        opened = None if whole else _open_changes(path)
        if opened is None:
            with _writing_whole(path) as con:
                yield con
            return
        con, tmp = opened
        try:
            yield con
            _publish(con, tmp, changes_path(path))
        except Discard:
            con.close()
            _remove(tmp)
        except BaseException:
            con.close()
            _remove(tmp)
            raise
        finally:
            _CHANGES_WRITERS.discard(id(con))
        _merge_if_due(path)


def _merge_if_due(path: Path) -> None:
    """Merges the changes file into the bulk file when it has grown enough (_merge_due). Call it holding
    the write lock, after a publish."""
    if _merge_due(path):
        try:
            with _writing_whole(path, bulk=True):
                pass
        except (MergeOutOfMemory, RebuildOutOfMemory) as err:  # this write is published; the next one tries again
            log.warning("%s", err)


def merge_now(path: str | os.PathLike | None = None, idle: float = 0.0) -> bool:
    """Merges the changes file into the bulk file now, unless nothing is to merge or the changes file was
    written less than `idle` seconds ago (an analyst still at work: the merge would make her next write wait
    on the lock). Returns whether it merged. `perfboard maintain`, and an ingest that stored merge_after()
    reports or more: readers of the two files pay for their union in every query (the dashboard's queries at
    30,000 reports ~30 % more than on the merged file, BENCHMARKS.md 2026-12-03), and a merge costs ~2 s there
    (~16 s at 300,000). On a lake: nothing to do here (its maintenance is `python -m perfboard.lake maintain`).
    MergeOutOfMemory as a write's merge raises it: both files stay as they were."""
    import time
    if _lake() is not None:
        return False
    path = db_path(path)
    changes = changes_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path} / 没有数据库：{path}")
    with write_lock(path):
        try:
            written = changes.stat().st_mtime
        except FileNotFoundError:
            return False
        if time.time() - written < idle:
            return False
        _remove_stale_copies(path)
        with _writing_whole(path, bulk=True):
            pass
    return True


class WarmWriter:
    """The writes of one ingest, publish after publish, through one writing connection kept open
    between them (load.ingest_paths). Each `writing()` is a write as db.writing makes it: under the
    write lock, published whole or not at all, readers see it only once published. What it saves: a
    publish of 100 reports opened a fresh copy of the changes file every time (copy, connect, attach
    the bulk file, check both files' ids and schema, make the temporary tables), 45 of its ~320 writer
    CPU ms at 30,000 reports, and started from DuckDB's cold caches (measured 2026-12-02, not yet in BENCHMARKS.md).

    Between publishes the connection keeps writing its private copy: a publish checkpoints it, copies
    it (in the kernel, as a write's copy is made) and renames the copy over the changes file. It stays
    warm only while nobody else has written: when the changes file or the bulk file is no longer the
    one it published and attached (another writer's correction or upload, a merge, a restore), or its
    copy has gone (another writer clears copies it finds, db._remove_stale_copies), the next write
    starts from a fresh copy, as db.writing does. A write that fails or discards drops it too: its
    copy may hold half a write. On a lake, and while the database is written whole (a bulk file under
    PERFBOARD_CHANGES_FROM), each write is db.writing's."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = db_path(path)
        self.con: duckdb.DuckDBPyConnection | None = None
        self.tmp: Path | None = None
        self._seen: tuple[tuple[int, int], tuple[int, int], int] | None = None  # changes, bulk, copy's inode

    def __enter__(self) -> WarmWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.con is not None:
            _CHANGES_WRITERS.discard(id(self.con))
            self.con.close()
            self.con = None
        if self.tmp is not None:
            _remove(self.tmp)
            self.tmp = None
        self._seen = None

    @contextlib.contextmanager
    def writing(self):
        if _lake() is not None:
            with writing(self.path) as con:
                yield con
            return
        path = self.path
        with write_lock(path):
            if self.con is not None and not self._still_ours():
                self.close()
            _remove_stale_copies(path, keep=self.tmp)
            if self.con is None:
                opened = _open_changes(path, tag="-warm")
                if opened is None:  # written whole: as db.writing does
                    with _writing_whole(path) as con:
                        yield con
                    return
                self.con, self.tmp = opened
            try:
                yield self.con
                self._publish()
            except Discard:  # nothing to publish; the copy may hold a half write
                self.close()
            except BaseException:
                self.close()
                raise
            if _merge_due(path):  # the merge publishes a new bulk file: this connection's is then stale
                self.close()
                _merge_if_due(path)

    def _still_ours(self) -> bool:
        try:
            copy = os.stat(self.tmp).st_ino
        except FileNotFoundError:
            return False
        return self._seen == (_stat(changes_path(self.path)), _stat(self.path), copy)

    def _publish(self) -> None:
        from perfboard import queries
        con, changes = self.con, changes_path(self.path)
        if queries.execute(con, "db.touched_count") != [(0,)]:
            _update_in_transaction(con)
        queries.execute(con, "db.checkpoint")
        out = changes.with_name(f"{changes.name}.tmp-{os.getpid()}-published")
        try:
            copy_file(self.tmp, out)
            _install(out, changes)
        except BaseException:
            _remove(out)
            raise
        self._seen = (_stat(changes), _stat(self.path), os.stat(self.tmp).st_ino)


def _merge_due(path: Path) -> bool:
    try:
        size = changes_path(path).stat().st_size
    except FileNotFoundError:
        return False
    return size >= max(MERGE_AT, path.stat().st_size // 8)


def _open_changes(path: Path, tag: str = "") -> tuple[duckdb.DuckDBPyConnection, Path] | None:
    """A private copy of the changes file, opened with the bulk file attached as `base`; a new
    one when there is none that belongs to this bulk file. None when this write must be of
    the whole file (see writing()). `tag` sets its name apart from this process's other writers'
    (a WarmWriter's copy outlives its write)."""
    from perfboard import queries
    if not path.exists() or path.stat().st_size < changes_from():
        return None
    changes = changes_path(path)
    tmp = changes.with_name(f"{changes.name}.tmp-{os.getpid()}{tag}")
    _remove(tmp)
    con = None
    try:
        copied = changes.exists()
        if copied:
            copy_file(changes, tmp)
        con = _connect_writer(tmp, changes=True)
        queries.execute(con, "db.changes.attach_base", path=str(path))
        try:
            base_id = queries.execute(con, "db.changes.base_id_of_base")
            base_version = queries.execute(con, "db.changes.schema_version_of_base")
        except duckdb.CatalogException:  # older than the meta table
            base_id = base_version = None
        if not base_id or base_version != [(schema_version(),)] or not queries.execute(con, "db.changes.bulk_rows_current"):
            con.close()
            _remove(tmp)
            return None  # an older bulk file, or one without an id or row map: written whole once, then it has them
        fresh = not _has_meta(con) or queries.execute(con, "db.changes.base_id") != base_id
        if fresh and copied:  # one left behind by a merge or restore cut short: start from the bulk file
            # (with no changes file the copy is a new, empty file already: no second connection)
            con.close()
            _remove(tmp)
            con = _connect_writer(tmp, changes=True)
            queries.execute(con, "db.changes.attach_base", path=str(path))
        upgraded = apply_schema(con)
        queries.execute(con, "db.touched_reports")
        queries.execute(con, "db.changes.bring_table")
        if fresh:
            queries.execute(con, "db.changes.start_corrections")
            queries.execute(con, "db.changes.start_aliases")
            queries.execute(con, "db.changes.start_pending")
            queries.execute(con, "db.changes.start_meta")
            queries.execute(con, "db.changes.set_base_id", base_id=base_id[0][0])
        if upgraded:
            rebuild_metrics(con)  # of the reports it holds: whole departments, so whole units
    except BaseException:
        if con is not None:
            con.close()
        _remove(tmp)
        raise
    _CHANGES_WRITERS.add(id(con))
    return con, tmp


def _connect_writer(tmp: Path, changes: bool = False) -> duckdb.DuckDBPyConnection:
    """A writer's connection to its private copy, its DuckDB memory bounded (db.writer_memory); a copy of
    the changes file (`changes`) with smaller row groups (db.changes.attach_copy)."""
    from perfboard import queries
    if changes:
        con = duckdb.connect(":memory:")
        try:
            queries.execute(con, "db.changes.attach_copy", path=str(tmp))
            queries.execute(con, "db.changes.use_copy")
        except BaseException:
            con.close()
            raise
    else:
        con = duckdb.connect(str(tmp))
    queries.execute(con, "db.writer_memory")
    return con


BULK_MEMORY = "64MB"  # DuckDB's bound for a merge and for a bulk ingest's publish (db.bulk_memory)


def merge_bound() -> str:
    """The DuckDB memory bound of a merge (db.bulk_memory): PERFBOARD_MERGE_MEMORY when set (a
    DuckDB size, e.g. '96MB'), else 64 MB at every size. At 300,000 reports a merge of a 105 MiB
    changes file into the 958 MiB bulk file runs within it at 174 MiB of writer, one of 171 MiB
    at 179 MiB, and a bulk ingest that merges on the way at 279 MiB with its merges on one thread
    (BENCHMARKS.md 2026-12-03). 40 MB did not fit that ingest's merges."""
    return os.environ.get("PERFBOARD_MERGE_MEMORY") or BULK_MEMORY


def bulk_memory(con: duckdb.DuckDBPyConnection, path: Path, merge: bool = False) -> None:
    """A bulk ingest's publish (64 MB) or, with `merge`, a merge (`merge_bound`, on one thread) of the bulk
    file `path`: DuckDB's bound for them. Lowering the bound with more in use fails; the connection
    then keeps the bound it had (a writer's 128 MB at most)."""
    from perfboard import queries
    del path  # the same bound at every size measured (up to 300,000 reports, ~1 GiB of bulk file)
    limit = merge_bound() if merge else BULK_MEMORY
    with contextlib.suppress(duckdb.OutOfMemoryException):  # more in use already (after an upgrade)
        queries.execute(con, "db.bulk_memory", limit=limit)
    if merge:  # each thread's own buffers are outside the bound; one costs a merge no time (db.merge_one_thread)
        queries.execute(con, "db.merge_one_thread")


def out_of_memory(err: BaseException) -> bool:
    """Whether DuckDB ran out of its memory bound. A checkpoint DuckDB runs inside a statement (its WAL
    grown past the threshold) that cannot pin a block raises FatalException, not OutOfMemoryException,
    and invalidates the connection: a merge of the 300,000-report ingest under a 40 MB bound did (2026-12-03)."""
    if isinstance(err, duckdb.OutOfMemoryException):
        return True
    text = str(err).lower()
    return isinstance(err, duckdb.FatalException) and ("failed to pin block" in text or "out of memory" in text)


@contextlib.contextmanager
def _merge_memory(path: Path):
    """A merge's step: DuckDB out of its bound there (out_of_memory) is MergeOutOfMemory."""
    try:
        yield
    except (duckdb.OutOfMemoryException, duckdb.FatalException) as err:
        if not out_of_memory(err):
            raise
        raise MergeOutOfMemory(path, merge_bound(), err) from err


class MergeOutOfMemory(RuntimeError):
    """A merge ran out of its DuckDB bound (`merge_bound`): the bulk file and the changes file are
    as they were (the private copy is discarded), so nothing is lost and readers see every write;
    the next write tries the merge again."""

    def __init__(self, path: Path, bound: str, err: BaseException):
        self.path, self.bound = path, bound
        self.zh = (f"合并变更文件时内存不足（上限 {bound}），数据库未改变，已写入的内容都在；"
                   "可用 PERFBOARD_MERGE_MEMORY 调高上限后运行 python -m perfboard upgrade")
        super().__init__(f"merging the changes file of {path} ran out of its {bound} memory bound "
                         f"({str(err).splitlines()[0][:120]}); the database is unchanged and nothing is lost; "
                         f"raise PERFBOARD_MERGE_MEMORY and run `python -m perfboard upgrade` / {self.zh}")


def _has_meta(con: duckdb.DuckDBPyConnection) -> bool:
    from perfboard import queries
    try:
        queries.execute(con, "db.changes.base_id")
    except duckdb.CatalogException:
        return False
    return True


@contextlib.contextmanager
def _writing_whole(path: Path, bulk: bool = False):
    """The bulk file written whole: a private copy, the changes file merged into it, published
    under a new id; the changes file is removed once the new bulk file is in place. With
    `bulk` (a merge and nothing else) its checkpoint too runs under db.bulk_memory: that
    checkpoint was a 30,000-report ingest's peak (330 MiB). A merge that runs out of that bound
    raises MergeOutOfMemory with the private copy discarded: both files stay as they were."""
    from perfboard import queries
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        # a copy that fails (a full disk) is removed at once: left behind, it would
        # keep the disk full until the next writer
        if path.exists():
            copy_file(path, tmp)
        con = _connect_writer(tmp)
    except BaseException:
        _remove(tmp)
        raise
    upgraded = merged = False
    try:
        upgraded = apply_schema(con)
        bulk_memory(con, path, merge=True)
        with _merge_memory(path):
            merged = merge_changes(con, changes_path(path))
        if merged and not bulk:  # the merge checkpointed under its bound, not the write's (30,000 reports: 165 MiB, not 227)
            with _merge_memory(path):
                queries.execute(con, "db.checkpoint")
        if not bulk:  # raised back, never lowered with buffers in use (lowering can fail)
            queries.execute(con, "db.writer_memory")
        queries.execute(con, "db.touched_reports")
        if upgraded:  # a new table, or rows an older version computed otherwise
            rebuild_metrics(con)
        try:
            yield con
            publish = True
        except Discard:  # nothing else changed, but the schema or the files did: publish that
            publish = upgraded or merged
        if publish:
            # a merge's: the merged copy's checkpoint, under the merge's bound
            with _merge_memory(path) if bulk else contextlib.nullcontext():
                _publish(con, tmp, path, base_id=uuid.uuid4().hex)
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    if not publish:
        con.close()
        _remove(tmp)
        return
    _remove(changes_path(path))  # the new bulk file holds it (and its id no longer matches)
    _fsync_dir(path.parent)


def merge_changes(con: duckdb.DuckDBPyConnection, changes: Path) -> bool:
    """Merges a changes file into the bulk file `con` writes (a writer's private copy, or a
    backup's copy) when it belongs to it: its reports replace theirs, its small tables replace
    the bulk file's. True when something was merged."""
    from perfboard import queries
    if not changes.exists():
        return False
    queries.execute(con, "db.changes.attach_changes", path=str(changes))
    try:
        own = queries.execute(con, "db.changes.base_id")
        if not own or own != queries.execute(con, "db.changes.base_id_of_changes"):
            return False
        # a checkpoint after each delete: DuckDB holds deleted rows in memory until one, which ran a merge
        # at 300,000 reports out of 96 MB; after it the merge fits 64 MB (BENCHMARKS.md). The copy is private:
        # a merge cut short leaves it to be discarded, whatever it has checkpointed.
        queries.execute(con, "db.changes.merge_delete_reports")
        queries.execute(con, "db.checkpoint")
        queries.execute(con, "db.changes.merge_delete_facts")
        queries.execute(con, "db.checkpoint")
        queries.execute(con, "db.changes.merge_delete_indicators")
        queries.execute(con, "db.checkpoint")
        queries.execute(con, "db.changes.merge_delete_dashboard_metrics")
        queries.execute(con, "db.checkpoint")
        queries.execute(con, "db.changes.merge_insert_reports")
        queries.execute(con, "db.changes.merge_insert_facts")
        queries.execute(con, "db.changes.merge_insert_indicators")
        for (year,) in queries.execute(con, "db.changes.merge_metric_years"):
            queries.execute(con, "db.changes.merge_insert_dashboard_metrics", year=year)
        try:
            queries.execute(con, "db.changes.has_dashboard_reports")
        except duckdb.CatalogException:
            pass  # a changes file of an older perfboard, before dashboard_reports: the upgrade's rebuild makes it
        else:
            queries.execute(con, "db.changes.merge_delete_dashboard_reports")
            queries.execute(con, "db.changes.merge_insert_dashboard_reports")
        queries.execute(con, "db.changes.merge_raw_files")
        queries.execute(con, "db.changes.merge_clear_corrections")
        queries.execute(con, "db.changes.merge_copy_corrections")
        queries.execute(con, "db.changes.merge_clear_department_aliases")
        queries.execute(con, "db.changes.merge_copy_department_aliases")
        queries.execute(con, "db.changes.merge_clear_pending_files")
        queries.execute(con, "db.changes.merge_copy_pending_files")
        queries.execute(con, "db.changes.merge_meta")
        return True
    finally:
        # a fatal error above has invalidated the connection: detaching then fails too, and would hide it
        with contextlib.suppress(duckdb.FatalException):
            queries.execute(con, "db.changes.detach_changes")


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


def _remove_stale_copies(path: Path, keep: Path | None = None) -> None:
    """Copies left by writers that died (kill -9) are garbage: the lock is ours, so no live
    writer is writing them. A WarmWriter between its publishes keeps its copy (`keep`, its own); one
    of another process's goes, and that writer then starts its next write from a fresh copy."""
    for pattern in (f"{path.name}.tmp-*", f"{changes_path(path).name}.tmp-*"):
        for stray in path.parent.glob(pattern):
            if keep is not None and stray.name in (keep.name, keep.name + ".wal"):
                continue
            if stray.is_dir():  # DuckDB's spill folder of a killed writer's copy (COPY.tmp), beside it
                shutil.rmtree(stray, ignore_errors=True)
            elif not stray.name.endswith(".wal"):
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
