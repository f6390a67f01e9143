"""A consistent copy of everything: the database and the original report files.

The database file is only ever replaced whole by a writer holding the write lock, so a
copy taken under that lock is consistent. The original bytes are in the database too;
they are also written out as plain files so a backup is useful without perfboard."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import duckdb

from perfboard import db, queries

MANIFEST = "manifest.json"
DB_NAME = "evaluations.duckdb"


class BackupError(RuntimeError):
    def __init__(self, en: str, zh: str):
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


def backup(target: str | os.PathLike, db_file=None) -> dict:
    source = db.db_path(db_file)
    if not source.exists():
        raise BackupError(f"no database at {source}", "数据库不存在")
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    with db.write_lock(source):
        shutil.copyfile(source, target / DB_NAME)
    originals = target / "originals"
    originals.mkdir(exist_ok=True)
    con = duckdb.connect(str(target / DB_NAME), read_only=True)
    try:
        files = queries.execute(con, "backup.raw_files")
        counts = dict(zip(("reports", "facts", "indicators"), queries.execute(con, "load.counts")[0]))
    finally:
        con.close()
    for sha, name, data in files:
        (originals / f"{sha[:16]}_{_safe(name)}").write_bytes(data)
    manifest = {"created_at": dt.datetime.now().isoformat(timespec="seconds"), "database": DB_NAME,
                "sha256": _sha(target / DB_NAME), "originals": len(files), **counts}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(source: str | os.PathLike, db_file=None) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} is not a perfboard backup (no readable {MANIFEST})",
                          "不是有效的备份目录") from None
    copy = source / manifest["database"]
    if not copy.exists() or _sha(copy) != manifest["sha256"]:
        raise BackupError("the backup's database does not match its manifest", "备份数据库与清单不符，已放弃恢复")
    target = db.db_path(db_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with db.write_lock(target):
        tmp = target.with_name(f"{target.name}.restore-{os.getpid()}")
        shutil.copyfile(copy, tmp)
        os.replace(tmp, target)
    return manifest


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(name).name)[:120] or "file"


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
