"""A consistent copy of everything: the database and the original report files.

The database files (the bulk file and its changes file, perfboard.db) are only ever
replaced whole by a writer holding the write lock, so copies taken under that lock are
consistent; the backup is one file, the changes merged into the bulk file's copy. The original bytes are in the database too;
they are also written out as plain files so a backup is useful without perfboard.

A new backup is written beside the previous one in the same folder (a database file of
its own name, originals in a hidden folder) and the manifest, renamed into place last,
switches to it: a backup that fails halfway (a full disk) leaves the previous one whole
and removes what it wrote. Restore trusts nothing in the manifest: the database it names
must be a regular file inside the backup folder, match its checksum, and open as a
perfboard database read to the end; the counts reported are the database's own. The
live database is replaced only once the checked copy is complete beside it."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import uuid
from pathlib import Path

import duckdb

from perfboard import db, queries

MANIFEST = "manifest.json"
DB_NAME = "evaluations.duckdb"        # the name older backups used
ORIGINALS = "originals"
_HEADERS = 3 * 4096                   # a DuckDB file: a main and two database headers, then blocks
_OURS = re.compile(r"evaluations(-\d{8}T\d{6}-\d+)?\.duckdb(\.wal)?|\.(originals|manifest|changes)-.*")


class BackupError(RuntimeError):
    def __init__(self, en: str, zh: str):
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


def backup(target: str | os.PathLike, db_file=None) -> dict:
    source = db.db_path(db_file)
    if not source.exists():
        raise BackupError(f"no database at {source}", "数据库不存在")
    target = Path(target)
    created = not target.exists()
    stamp = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}"
    name = f"evaluations-{stamp}.duckdb"
    new_originals, new_manifest = target / f".originals-{stamp}", target / f".manifest-{stamp}"
    changes_copy = target / f".changes-{stamp}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        previous = _previous_database(target)
        with db.write_lock(source):
            shutil.copyfile(source, target / name)
            if db.changes_path(source).exists():
                shutil.copyfile(db.changes_path(source), changes_copy)
        if changes_copy.exists():  # one file to restore: the changes merged into the copy
            con = duckdb.connect(str(target / name))
            try:
                db.bulk_memory(con, source, merge=True)  # as a writer's merge: bounded (860 MiB unbounded at 300,000 reports)
                db.merge_changes(con, changes_copy)
                queries.execute(con, "db.checkpoint")
            finally:
                con.close()
            changes_copy.unlink()
        con = duckdb.connect(str(target / name), read_only=True)
        try:
            files = queries.execute(con, "backup.raw_files")
            counts = dict(zip(("reports", "facts", "indicators"), queries.execute(con, "load.counts")[0]))
        finally:
            con.close()
        new_originals.mkdir()
        for sha, file_name, data in files:
            (new_originals / f"{sha[:16]}_{_safe(file_name)}").write_bytes(data)
        manifest = {"created_at": dt.datetime.now().isoformat(timespec="seconds"), "database": name,
                    "sha256": _sha(target / name), "originals": len(files), **counts}
        new_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync(target / name)
        _fsync(new_manifest)
        os.replace(new_manifest, target / MANIFEST)  # the switch: from here on this backup is the one
        _fsync(target)
    except BaseException as err:
        for leftover in (target / name, new_manifest, changes_copy, target / f"{name}.wal"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        shutil.rmtree(new_originals, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        if isinstance(err, (OSError, duckdb.IOException)):
            raise BackupError(f"could not write the backup ({_why(err)}); the previous backup in {target} is "
                              "unchanged", "备份写入失败（磁盘空间不足或无法写入），原有备份未改变") from None
        if db.out_of_memory(err):  # as a writer's merge: DuckDB's fatal checkpoint error too
            raise BackupError(f"merging the changes file into the backup ran out of its {db.merge_bound()} "
                              f"memory bound; the previous backup in {target} is unchanged (PERFBOARD_MERGE_MEMORY "
                              "raises it)", "备份合并变更文件时内存不足，原有备份未改变（可用 PERFBOARD_MERGE_MEMORY 调高上限）"
                              ) from None
        raise
    # the old originals and database are garbage now; a crash here leaves only garbage
    old_originals = target / f".originals-old-{stamp}"
    with contextlib.suppress(FileNotFoundError):
        os.rename(target / ORIGINALS, old_originals)
    os.rename(new_originals, target / ORIGINALS)
    shutil.rmtree(old_originals, ignore_errors=True)
    for stray in target.iterdir():  # earlier databases, and what crashed backups left
        if _OURS.fullmatch(stray.name) and stray.name != name or stray == previous:
            if stray.is_dir() and not stray.is_symlink():
                shutil.rmtree(stray, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    stray.unlink()
    return manifest


def _previous_database(folder: Path) -> Path | None:
    with contextlib.suppress(BackupError):
        manifest = _manifest(folder)
        return _inside(folder, manifest["database"])
    return None


def restore(source: str | os.PathLike, db_file=None) -> dict:
    source = Path(source)
    manifest = _manifest(source)
    copy = _inside(source, manifest["database"])
    if _sha(copy) != manifest["sha256"]:
        raise BackupError("the backup's database does not match its manifest", "备份数据库与清单不符，已放弃恢复")
    target = db.db_path(db_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with db.write_lock(target):
        tmp = target.with_name(f"{target.name}.restore-{os.getpid()}")
        try:
            shutil.copyfile(copy, tmp)
            found = _check(tmp)
            _new_identity(tmp)
            _fsync(tmp)
            os.replace(tmp, target)  # the live database stays until the checked copy is complete
            # the changes file belonged to the bulk file just replaced: its id no longer matches, so
            # readers already ignore it; removed, it is not merged into the restored one either
            with contextlib.suppress(FileNotFoundError):
                db.changes_path(target).unlink()
            _fsync(target.parent)
        except BaseException as err:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            if isinstance(err, (OSError, duckdb.IOException)):
                raise BackupError(f"could not write the restored database ({_why(err)}); the live database is "
                                  "unchanged", "恢复写入失败（磁盘空间不足或无法写入），现有数据库未改变") from None
            raise
    return {**manifest, **found}


def _new_identity(path: Path) -> None:
    """A restored bulk file gets an id of its own, so that no changes file written beside the
    database before (one of this very backup's bulk file, say) counts beside it."""
    con = duckdb.connect(str(path))
    try:
        db.index_bulk(con, uuid.uuid4().hex)  # and a row map made for that id (the backup's is its own file's)
        queries.execute(con, "db.checkpoint")
    except (duckdb.CatalogException, duckdb.BinderException):
        pass  # older than the meta table: no id, so no changes file counts beside it either
    finally:
        con.close()


def _manifest(folder: Path) -> dict:
    """The manifest, checked for shape; every problem is one line."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} is not a perfboard backup (no readable {MANIFEST})",
                          "不是有效的备份目录（清单文件缺失或无法读取）") from None
    if not (isinstance(manifest, dict) and isinstance(manifest.get("database"), str)
            and isinstance(manifest.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", manifest["sha256"])):
        raise BackupError(f"the backup's {MANIFEST} is malformed (needs \"database\" and a sha256)",
                          "备份清单格式不对（缺少数据库文件名或校验值），已放弃恢复")
    manifest.setdefault("created_at", "?")
    if not isinstance(manifest["created_at"], str):
        manifest["created_at"] = "?"
    return manifest


def _inside(folder: Path, name: str) -> Path:
    """The backup's database file: a regular file inside the backup folder, never through
    a link or a path that leaves it."""
    path = folder / name
    try:
        inside = path.resolve().parent == folder.resolve() and not Path(name).is_absolute()
        regular = inside and stat.S_ISREG(path.lstat().st_mode)
    except (OSError, ValueError):
        inside = regular = False
    if not inside or path.is_symlink():
        raise BackupError(f"the manifest names a database outside the backup folder ({name!r})",
                          "备份清单指向备份目录以外的文件，已放弃恢复")
    if not regular:
        raise BackupError(f"the backup's database {name!r} is missing or not a regular file",
                          "备份中的数据库文件缺失或不是普通文件，已放弃恢复")
    return path


def _check(path: Path) -> dict:
    """Counts of a perfboard database, read through; BackupError for anything else."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        con = None
    try:
        if con is None:
            raise duckdb.Error("cannot open")
        [(blocks, block_size)] = queries.execute(con, "backup.database_size")
        if path.stat().st_size < _HEADERS + blocks * block_size:
            raise duckdb.Error("truncated")  # the missing blocks may be ones no query below reads
        reports, facts, originals, indicators = queries.execute(con, "backup.check_database")[0]
    except (duckdb.Error, ValueError):
        raise BackupError("the backup's database is not a perfboard database (damaged, truncated or foreign)",
                          "备份中的数据库已损坏、不完整或不是本系统的数据库，已放弃恢复") from None
    finally:
        if con is not None:
            con.close()
    return {"reports": reports, "facts": facts, "originals": originals, "indicators": indicators}


def _why(err: BaseException) -> str:
    return getattr(err, "strerror", None) or str(err).splitlines()[0][:200]


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(name).name)[:120] or "file"


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
