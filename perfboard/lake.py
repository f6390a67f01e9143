"""DuckLake storage: step 2 of docs/storage-design.md, the way past one machine. The catalog is
a PostgreSQL database, the data Parquet files in a folder; any number of processes on any
machine that reaches both can ingest or read at once. It runs under DuckDB 1.5.5 with the
pinned extension packages (requirements-lake.txt, `make lake-venv` → .venv-lake): the
project's own venv stays on DuckDB 2.0, for which there are no DuckLake packages yet.

What is built here, and run by tests/test_lake_postgres.py against a private Debian
PostgreSQL cluster:
  init       the lake's tables (schema/lake_tables.sql), the metric catalogue, the
             project's views and macros (schema/views.sql) and an empty dashboard_metrics
  ingest     files through the project's own reader and extractor (a pool, 1,000 files at a time,
             outside any lock: extraction is the expensive part), then per chunk one
             transaction under a PostgreSQL advisory lock (one writer at a time per lake,
             from any machine): skip the bytes stored already (load.known_shas, read inside
             the locked transaction, so two ingests of overlapping files store each once),
             insert reports, facts, indicators and bytes, keep dashboard_metrics for the
             touched units (db.update_metrics), commit. A killed writer's transaction
             never commits and PostgreSQL drops its lock with its connection (the test
             kills one mid-ingest).
  dashboard  a reader: page runs of the dashboard's own queries (queries/overview, data,
             filters), each page run one read transaction, so it sees one whole snapshot
  check      counts for "every report exactly once" and the stored numbers as JSON
  upgrade    a lake made by an older perfboard brought to this one's schema, in one transaction
             under the writer's lock: tables it lacks created (lake_tables.sql creates only what is
             missing), the metric catalogue, views and macros replaced, the kept dashboard tables
             rebuilt. A column added to a table the lake already has is not handled here.
  maintain   DuckLake's own upkeep under the writer's lock (flush inlined rows, expire snapshots older
             than --keep, merge small files, rewrite mostly-deleted ones, remove unused files and
             the orphans of killed writers); rows and what readers see do not change
  backup     a consistent copy at one snapshot: pg_dump of the catalog and the data files, under
             the writer's lock, with a manifest (snapshot, counts)
  restore    a backup into a new, empty catalog database and a new data folder, checked against
             its manifest

The Streamlit dashboard reads such a lake through perfboard/lakeread.py (PERFBOARD_LAKE and
PERFBOARD_LAKE_DATA; db.connect_read and db.version go there), and its 上传与校对 screen writes it
through perfboard.writes → db.writing → `writing` here: an upload, a correction, its undo, a
review decision or an alias is one transaction under the same advisory lock as an ingest, with
the touched units' rows of dashboard_metrics recomputed in it. A lake not initialised, or a
catalog out of reach, is one line (lakeread.LakeUnavailable), never a traceback.

Measured by `python -m perfboard.bench --only lake` (BENCHMARKS.md). Not built: the
per-dashboard replica (its prototype, on the storage harness's own lake writer, was measured and
removed), re-extraction on a lake, a column added to an existing table of a lake, object storage. docs/storage-design.md
says what each needs."""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl

from perfboard import db, load, queries
from perfboard import lakeread
from perfboard.lakeread import LakeUnavailable, Target, open_instance

CHUNK = load.CHUNK  # reports per write transaction, as the DuckDB file's ingest
WRITER_LOCK = 0x7065726662  # the advisory lock key of the lake's one writer ("perfb")
# `lake maintain`'s steps (queries/lake/maintain/), in the order DuckLake's CHECKPOINT runs them
MAINTENANCE = ("lake.maintain.flush_inlined_data", "lake.maintain.expire_snapshots",
               "lake.maintain.merge_adjacent_files", "lake.maintain.rewrite_data_files",
               "lake.maintain.cleanup_old_files", "lake.maintain.delete_orphaned_files")
KEEP_SECONDS = 7 * 24 * 3600  # snapshots and unused files kept a week: readers pinned to a snapshot keep working
# what the dashboard's 总览 and 数据与来源 pages ask with no filter (the whole lake), as they pass it
NO_FILTER = dict(province=None, city=None, departments=None, year_from=None, year_to=None, kind=None)
PAGE = {
    "overview.yearly_trend": NO_FILTER,
    "overview.cards": dict(NO_FILTER, limit=12),
    "overview.changes": dict(NO_FILTER, limit=10),
    "data.reports": dict(NO_FILTER, limit=2000),
    "data.numbers_with_sources": dict(NO_FILTER, metrics=None, search=None, limit=2000),
    "filters.options": {},
}


class Lake:
    """One lake: `catalog` a libpq connection string of its PostgreSQL catalog database, `data`
    the folder of its Parquet files (shared by every machine that writes or reads it)."""

    def __init__(self, catalog: str, data: str | Path):
        self.catalog = catalog
        self.data = Path(data)

    def connect(self, create: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection with the lake attached read-write as `lake` (its default catalog). Only
        `init` (`create`) may find no lake there; for everything else that is LakeUnavailable,
        as is a catalog out of reach: one line, not a traceback."""
        try:
            con = open_instance(Target(self.catalog, str(self.data)))
        except duckdb.Error as err:
            raise lakeread.unavailable(err) from err
        try:
            queries.execute(con, "lake.attach" if create else "lake.attach_existing")
            queries.execute(con, "lake.use")
            if not create and not queries.execute(con, "lake.exists"):
                raise LakeUnavailable(initialised=False)
        except duckdb.Error as err:
            con.close()
            raise lakeread.unavailable(err) from err
        except BaseException:
            con.close()
            raise
        return con

    @contextlib.contextmanager
    def locked(self):
        """The lake's one writer: a session advisory lock in the catalog database, from any machine.
        PostgreSQL drops it with the connection of a writer that dies."""
        import psycopg
        try:
            lock = psycopg.connect(self.catalog, autocommit=True)
        except psycopg.Error as err:
            raise LakeUnavailable(initialised=True, detail=str(err)) from err
        with lock:
            lock.execute(queries.pyformat("lake.pg_writer_lock"), {"key": WRITER_LOCK})
            try:
                yield
            finally:
                lock.execute(queries.pyformat("lake.pg_writer_unlock"), {"key": WRITER_LOCK})

    @contextlib.contextmanager
    def writing(self, con: duckdb.DuckDBPyConnection, author: str):
        """One write transaction under the lake's writer lock, held from before the transaction
        starts (so it reads what the last writer committed) until its commit returned. Rolled
        back on any error."""
        with self.locked():
            con.begin()
            try:
                queries.execute(con, "lake.commit_message", author=author, message="perfboard write")
                yield con
                con.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    con.rollback()
                raise

    def init(self) -> bool:
        """Creates the lake's tables, catalogue, views and dashboard table; False when it existed."""
        self.data.mkdir(parents=True, exist_ok=True)
        con = self.connect(create=True)
        try:
            with self.writing(con, "init"):
                if queries.execute(con, "lake.exists"):
                    return False
                _apply_schema(con)
            return True
        finally:
            con.close()

    def upgrade(self) -> None:
        """The schema of this perfboard on a lake an older one made (see the module's docstring):
        what `init` creates, run again in one write, so readers see the old schema or the new one."""
        con = self.connect()
        try:
            with self.writing(con, "upgrade"):
                _apply_schema(con)
        finally:
            con.close()

    def ingest(self, paths: list[str], author: str, chunk: int = CHUNK,
               every: int = load.PUBLISH_EVERY) -> list[load.Outcome]:
        """Stores the files of `paths`; one outcome per file, as `perfboard ingest` gives them. Files
        are read and extracted `every` at a time, the next slice in the pool's workers while this one
        is written (as load.ingest_paths does), and the workers keep the extractions: holding every
        file's prepared rows at once took the writer to ~1 GiB at 30,000 reports (BENCHMARKS.md)."""
        files = load.iter_files(paths)
        slices = [files[start:start + every] for start in range(0, len(files), every)]
        outcomes: list[load.Outcome] = []
        con = self.connect()
        try:
            queries.execute(con, "db.touched_reports")
            with load._extractors(len(files)) as pool:
                pending = load._submit(pool, slices[0], keep_extractions=False) if slices else None
                for k in range(len(slices)):
                    items, prepared = pending
                    pending = load._submit(pool, slices[k + 1], keep_extractions=False) if k + 1 < len(slices) else None
                    outcomes += self._store(con, list(prepared), author, chunk)
                    del items, prepared
        finally:
            con.close()
        return outcomes

    def _store(self, con, prepared: list, author: str, chunk: int) -> list[load.Outcome]:
        """One slice's prepared files, a transaction per `chunk` under the writer lock."""
        outcomes: list[load.Outcome | None] = [o if isinstance(o, load.Outcome) else None for o in prepared]
        todo = [(k, p) for k, p in enumerate(prepared) if isinstance(p, load.Prepared)]
        for start in range(0, len(todo), chunk):
            with self.writing(con, author):
                new = self._new(con, todo[start:start + chunk], outcomes)
                if new:
                    _insert(con, new)
            for k, p in todo[start:start + chunk]:
                outcomes[k] = outcomes[k] or load._stored(p)
        return outcomes

    def maintain(self, keep_seconds: float = KEEP_SECONDS) -> dict:
        """DuckLake's own upkeep, in the order its CHECKPOINT runs it, under the writer's lock (no
        ingest or dashboard write in between): inlined rows flushed to Parquet, snapshots older
        than `keep_seconds` expired, small files merged, mostly-deleted files rewritten, files
        unused for `keep_seconds` and orphans of killed writers removed. Each step commits on its
        own and changes no row: readers see the same data throughout, from new snapshots. What it
        did and the data files before and after."""
        con = self.connect()
        try:
            done = {"before": queries.run(con, "lake.maintain.files").row(0, named=True),
                    "disk_files_before": _disk_files(self.data)}
            started = time.monotonic()
            with self.locked():
                for name in MAINTENANCE:
                    params = {"keep_seconds": keep_seconds} if "keep_seconds" in queries.get(name).params else {}
                    [(done[name.rsplit(".", 1)[1]],)] = queries.execute(con, name, **params)
            done["seconds"] = round(time.monotonic() - started, 3)
            done["after"] = queries.run(con, "lake.maintain.files").row(0, named=True)
            done["disk_files_after"] = _disk_files(self.data)
        finally:
            con.close()
        return done

    @staticmethod
    def _new(con, chunk, outcomes) -> list[load.Prepared]:
        """The chunk's files whose bytes the lake does not hold yet, with their primary flag
        decided against what is stored (as load._ingest_batch does)."""
        known = dict(queries.execute(con, "load.known_shas"))
        primaries = set(queries.execute(con, "load.primaries"))
        new = []
        for k, p in chunk:
            if p.sha256 in known:
                outcomes[k] = load.Outcome(p.name, "duplicate", known[p.sha256])
                continue
            known[p.sha256] = p.report["report_id"]
            for report in p.reports:
                identity = (report["department_key"], report["year"], report["report_kind"],
                            report["project_name"] or "")
                report["is_primary"] = identity not in primaries
                primaries.add(identity)
            new.append(p)
        return new


class LakeBackupError(RuntimeError):
    """A backup or restore that cannot be done as asked: one line, English and Chinese."""

    def __init__(self, en: str, zh: str):
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


BACKUP_MANIFEST = "manifest.json"
BACKUP_CATALOG = "catalog.dump"   # pg_dump --format custom of the catalog database
BACKUP_DATA = "data"              # the lake's data folder as it was


def pg_tool(name: str) -> str:
    """PostgreSQL's own client (pg_dump, pg_restore): PERFBOARD_PG_BIN's, else PATH's (Debian's wrapper picks
    the version), else the newest in /usr/lib/postgresql/*/bin."""
    folder = os.environ.get("PERFBOARD_PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found:
        found = next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if not found or not Path(found).exists():
        raise LakeBackupError(f"{name} is not installed (apt-get install postgresql-client)",
                              f"未安装 {name}（请安装 postgresql-client）")
    return found


def _run_tool(tool: str, catalog: str, args: list[str], what_zh: str) -> None:
    """PostgreSQL's `tool` on the catalog database: a password in the connection string goes to it in
    its environment (PGPASSWORD), not on its command line, which every user of the machine can list."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    try:
        parts = conninfo_to_dict(catalog)
    except Exception as err:  # psycopg.ProgrammingError: not a connection string at all
        raise LakeUnavailable(initialised=True, detail=str(err)) from err
    password = parts.pop("password", None)
    env = dict(os.environ, PGPASSWORD=str(password)) if password is not None else None
    done = subprocess.run([tool, "--dbname", make_conninfo(**parts), *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        detail = lakeread.redact((done.stderr.strip().splitlines() or ["failed"])[-1][:300])
        raise LakeBackupError(f"{Path(tool).name} failed: {detail}", f"{what_zh}失败：{detail}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(lake: Lake, target: Path) -> dict:
    """A consistent copy of the lake at one snapshot, in the empty (or new) folder `target`: the catalog
    database (pg_dump, inlined rows and every snapshot kept included) and the data folder's files,
    both taken under the writer's lock, so no write commits and no maintenance removes a file in
    between (readers go on). Data files are never changed once written, so the copy of the folder
    holds every file the dumped catalog names. The manifest records the snapshot and the counts
    `restore` checks."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise LakeBackupError(f"{target} is not an empty folder; a lake backup needs one of its own",
                              f"{target} 不是空文件夹，数据湖备份需要一个新的空文件夹")
    dump = pg_tool("pg_dump")
    con = lake.connect()
    try:
        with lake.locked():
            target.mkdir(parents=True, exist_ok=True)
            [(snapshot,)] = queries.execute(con, "lake.snapshot")
            counts = queries.run(con, "lake.counts").row(0, named=True)
            _run_tool(dump, lake.catalog, ["--format", "custom", "--file", str(target / BACKUP_CATALOG)], "导出数据湖目录")
            if lake.data.exists():
                shutil.copytree(lake.data, target / BACKUP_DATA)
            else:  # nothing written to files yet (every row inlined in the catalog)
                (target / BACKUP_DATA).mkdir()
    finally:
        con.close()
    manifest = {"format": "perfboard-lake-backup-1", "snapshot": snapshot, "counts": counts,
                "catalog_sha256": _sha256(target / BACKUP_CATALOG), "data_files": _disk_files(target / BACKUP_DATA),
                "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tmp = target / f".{BACKUP_MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target / BACKUP_MANIFEST)  # last: a folder without its manifest is no backup
    return manifest


def restore(source: Path, catalog: str, data: Path) -> dict:
    """The lake of backup folder `source` into the catalog database `catalog`, which must hold no lake
    (a new, empty database), and the new or empty data folder `data`. The dumped catalog records the
    old data folder; its paths are relative to it (DuckLake's default, checked), so the restored
    catalog is pointed at `data` before anyone opens it. Checked after: the lake opens at the backup's
    snapshot and holds the counts the manifest records."""
    import psycopg
    source, data = Path(source), Path(data)
    try:
        manifest = json.loads((source / BACKUP_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LakeBackupError(f"{source} holds no lake backup ({BACKUP_MANIFEST} unreadable)",
                              f"{source} 中没有数据湖备份（清单无法读取）") from err
    dump = source / BACKUP_CATALOG
    if (not dump.is_file() or dump.is_symlink() or not (source / BACKUP_DATA).is_dir()
            or _sha256(dump) != manifest.get("catalog_sha256")):
        raise LakeBackupError(f"{source}'s backup is incomplete or altered (catalog dump or data folder)",
                              f"{source} 中的备份不完整或已被改动")
    if data.exists() and any(data.iterdir()):
        raise LakeBackupError(f"{data} is not empty; restore into a new data folder",
                              f"{data} 不是空文件夹，请恢复到新的数据文件夹")
    try:
        with psycopg.connect(catalog, autocommit=True) as pg:
            held = pg.execute(queries.pyformat("lake.pg_has_lake")).fetchall()
    except psycopg.Error as err:
        raise LakeUnavailable(initialised=True, detail=str(err)) from err
    if held != [(False,)]:
        raise LakeBackupError("the catalog database holds a lake already; restore into a new, empty database",
                              "目标目录数据库中已有数据湖，请恢复到新建的空数据库")
    _run_tool(pg_tool("pg_restore"), catalog, ["--no-owner", "--exit-on-error", str(dump)], "恢复数据湖目录")
    shutil.copytree(source / BACKUP_DATA, data, dirs_exist_ok=True)
    with psycopg.connect(catalog, autocommit=True) as pg:
        [(absolute,)] = pg.execute(queries.pyformat("lake.pg_absolute_paths")).fetchall()
        if absolute:
            raise LakeBackupError(f"the lake names {absolute} files by absolute path; restore its data folder at "
                                  "the same place", "数据湖中有以绝对路径记录的文件，请将数据文件夹恢复到原位置")
        pg.execute(queries.pyformat("lake.pg_set_data_path"), {"data_path": str(data.resolve()).rstrip("/") + "/"})
    con = Lake(catalog, data).connect()
    try:
        [(snapshot,)] = queries.execute(con, "lake.snapshot")
        counts = queries.run(con, "lake.counts").row(0, named=True)
        drift = db.metrics_drift(con)
    finally:
        con.close()
    if snapshot != manifest["snapshot"] or counts != manifest["counts"]:
        raise LakeBackupError(f"the restored lake is at snapshot {snapshot} with {counts}, the backup recorded "
                              f"{manifest['snapshot']} with {manifest['counts']}", "恢复后的数据湖与备份记录不符")
    return {"snapshot": snapshot, "counts": counts, "drift": list(drift)}


class _DashboardWriter:
    """A dashboard process's writing connection to its lake (perfboard.writes, through db.writing):
    kept across writes, since opening one costs 0.5–1.8 s; one write at a time per process (a
    thread lock: Streamlit runs sessions in threads), one per lake (the advisory lock)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.target: Target | None = None

    def drop(self) -> None:
        if self.con is not None:
            with contextlib.suppress(Exception):
                self.con.close()
        self.con = None


_WRITER = _DashboardWriter()


@contextlib.contextmanager
def writing(target: Target):
    """db.writing on a lake: the process's writing connection, under the lake's writer lock (the
    one `lake ingest` takes). The caller (perfboard.writes) makes its write and the upkeep of
    dashboard_metrics for the units it touched one transaction on it: a reader on any machine
    sees all of it, from the next snapshot, or none. A connection an error may have left unusable
    (the catalog restarted) is dropped; the next write opens a new one."""
    with _WRITER.lock:
        if _WRITER.target != target or _WRITER.con is None:
            _WRITER.drop()
            con = Lake(target.catalog, target.data).connect()
            queries.execute(con, "db.touched_reports")
            _WRITER.con, _WRITER.target = con, target
        try:
            with Lake(target.catalog, target.data).locked():
                yield _WRITER.con
        except duckdb.Error:
            _WRITER.drop()
            raise
        finally:
            lakeread.forget()  # this process's next page run asks for the snapshot its write made


def store_prepared(con, items: list[tuple[str, bytes | Exception]], prepared: list) -> list[load.Outcome]:
    """An upload on the lake (perfboard.writes.store_uploads, inside its transaction): the files
    `prepared` (load._prepare_all of `items`) whose bytes the lake does not hold go in with their
    dashboard rows, as `lake ingest` stores them; an unreadable one is kept with its bytes and
    reason in pending_files (once per content). One outcome per item."""
    outcomes: list[load.Outcome | None] = [o if isinstance(o, load.Outcome) else None for o in prepared]
    todo = [(k, p) for k, p in enumerate(prepared) if isinstance(p, load.Prepared)]
    new = Lake._new(con, todo, outcomes)
    if new:
        _insert(con, new)
    for k, p in todo:
        outcomes[k] = outcomes[k] or load._stored(p)
    for (name, data), outcome in zip(items, outcomes):
        if isinstance(data, bytes) and outcome.status == "failed" and outcome.zh:
            queries.execute(con, "lake.review.insert_pending", sha256=hashlib.sha256(data).hexdigest(),
                            source_file=name, bytes=data, reason_code="unreadable", reason_zh=outcome.zh,
                            reason_en=outcome.en)
    return outcomes


def _disk_files(data: Path) -> int:
    """Parquet files in the lake's data folder, used or not (what maintenance removes shows here)."""
    return sum(1 for _ in data.rglob("*.parquet"))


def _insert(con, prepared: list[load.Prepared]) -> None:
    raw = pl.DataFrame([p.raw for p in prepared], schema=load.RAW_SCHEMA)
    reports = pl.DataFrame([r for p in prepared for r in p.reports], schema=load.REPORT_SCHEMA)
    facts = pl.DataFrame([f for p in prepared for f in p.facts], schema=load.FACT_SCHEMA)
    indicators = pl.DataFrame([i for p in prepared for i in p.indicators], schema=load.INDICATOR_SCHEMA)
    queries.execute(con, "lake.insert_raw_files", frames={"new_raw_files": raw})
    queries.execute(con, "load.insert_reports", frames={"new_reports": reports})
    if facts.height:
        queries.execute(con, "load.insert_facts", frames={"new_facts": facts})
    if indicators.height:
        queries.execute(con, "load.insert_indicators", frames={"new_indicators": indicators})
    db.update_metrics(con, reports["report_id"].to_list())


class Dashboard:
    """A dashboard process's reads: each page run is one read transaction, so every query of
    the page sees the same committed snapshot, never a write half done."""

    def __init__(self, lake: Lake):
        self.con = lake.connect()

    def page(self) -> dict:
        self.con.begin()
        try:
            snapshot = queries.execute(self.con, "lake.snapshot")[0][0]
            results = {name: queries.run(self.con, name, **params) for name, params in PAGE.items()}
            whole = queries.run(self.con, "lake.whole").row(0, named=True)
        finally:
            self.con.rollback()
        numbers = results["data.numbers_with_sources"]
        return {"snapshot": snapshot, "at": time.time(), "rows": {n: r.height for n, r in results.items()},
                "report_ids": sorted(results["data.reports"]["report_id"].to_list()),
                "cards": results["overview.cards"].height, "whole": whole,
                # what 数据与来源 marks 已更正: an analyst's correction, shown by this process
                "corrected": numbers.filter(pl.col("corrected")).select("report_id", "metric", "value").rows()}


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The lake's tables (only those missing), the metric catalogue, the project's views and macros, and the
    kept dashboard tables rebuilt: a new lake's schema (`init`) and an older lake's upgrade (`upgrade`)."""
    con.execute((db.SCHEMA_DIR / "lake_tables.sql").read_text(encoding="utf-8"))
    queries.execute(con, "db.load_metric_catalogue", path=str(db.METRIC_CATALOGUE))
    con.execute((db.SCHEMA_DIR / "views.sql").read_text(encoding="utf-8"))
    db.rebuild_metrics(con, whole=True)  # DuckDB 1.5 in one transaction of the lake: the one-statement rebuild


def check(lake: Lake) -> dict:
    """What the lake holds: counts (every report once, every content once), whether the kept
    dashboard table equals a full rebuild, who committed each snapshot and, for comparing with
    a DuckDB file of the same reports, the dashboard's numbers and the tables' columns."""
    con = lake.connect()
    try:
        counts = queries.run(con, "lake.counts").row(0, named=True)
        whole = queries.run(con, "lake.whole").row(0, named=True)
        numbers = queries.run(con, "lake.dashboard_numbers").rows()
        authors = [a for (a,) in queries.execute(con, "lake.snapshot_authors")]
        columns = queries.run(con, "lake.columns", database="lake").rows()
        drift = db.metrics_drift(con)
    finally:
        con.close()
    return {"counts": counts, "whole": whole, "numbers": numbers, "authors": authors, "drift": list(drift),
            "columns": columns}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m perfboard.lake", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["init", "ingest", "dashboard", "check", "maintain", "upgrade", "backup", "restore"])
    ap.add_argument("paths", nargs="*", help="ingest: report files or folders; backup: the new folder to write; "
                                             "restore: the backup folder (into --catalog, a new empty database, "
                                             "and --data, a new folder)")
    ap.add_argument("--catalog", required=True, help="libpq connection string of the PostgreSQL catalog database, "
                                                     "e.g. 'dbname=lake host=/run/postgresql port=5432'")
    ap.add_argument("--data", required=True, help="folder of the lake's Parquet files")
    ap.add_argument("--author", default="ingest", help="ingest: the name each of its commits carries")
    ap.add_argument("--chunk", type=int, default=CHUNK, help="ingest: reports per transaction")
    ap.add_argument("--until", type=int, default=0,
                    help="dashboard: page runs (one JSON line each) until data.reports shows this many reports")
    ap.add_argument("--seconds", type=float, default=0, help="dashboard: and go on for at least this many seconds")
    ap.add_argument("--timeout", type=float, default=300, help="dashboard: give up after this many seconds")
    ap.add_argument("--keep", type=float, default=KEEP_SECONDS,
                    help="maintain: seconds of snapshots and unused data files to keep (default a week); readers "
                         "pinned to an older snapshot must reopen")
    args = ap.parse_args(argv)
    try:
        return _command(args)
    except (LakeUnavailable, LakeBackupError) as err:  # one line, English / Chinese, not a traceback
        print(err, file=sys.stderr)
        return 2


def _command(args) -> int:
    lake = Lake(args.catalog, args.data)
    if args.command == "init":
        print("created" if lake.init() else "exists")
    elif args.command == "ingest":
        outcomes = lake.ingest(args.paths, args.author, args.chunk)
        for o in outcomes:
            print(o.line(), flush=True)
        return 0 if all(o.ok for o in outcomes) else 1
    elif args.command == "dashboard":
        reader = Dashboard(lake)
        started = time.monotonic()
        deadline = started + max(args.timeout, args.seconds)
        while True:
            page = reader.page()
            print(json.dumps(page, ensure_ascii=False, default=str), flush=True)
            if len(page["report_ids"]) >= args.until and time.monotonic() >= started + args.seconds:
                return 0
            if time.monotonic() > deadline:
                print(f"timeout: {len(page['report_ids'])} of {args.until} reports shown / 超时", file=sys.stderr)
                return 1
            time.sleep(0.05)
    elif args.command in ("backup", "restore"):
        if len(args.paths) != 1:
            raise LakeBackupError(f"{args.command} takes one folder", "请给出一个文件夹")
        done = (backup(lake, Path(args.paths[0])) if args.command == "backup"
                else restore(Path(args.paths[0]), args.catalog, Path(args.data)))
        print(json.dumps(done, ensure_ascii=False, default=str))
    elif args.command == "maintain":
        print(json.dumps(lake.maintain(args.keep), ensure_ascii=False, default=str))
    elif args.command == "upgrade":
        lake.upgrade()
        print("upgraded")
    else:
        print(json.dumps(check(lake), ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
