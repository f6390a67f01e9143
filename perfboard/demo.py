"""The fictional demo database behind `make demo`: the bundled reports have no department
with two years, so trends and changes look empty to a newcomer. This one is a synthetic
corpus (perfboard.synth: 示例省/示例市…, invented figures) ingested like any other, and
marked in its `meta` table so the dashboard says 示例数据，虚构 on every page and a brief
made from it says so too. It is never the real database: a file that exists and is not a
demo database is refused, so is the default database path."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from perfboard import db, queries  # the dashboard imports this module: the writer's modules load in build()

MARK = "示例数据，虚构"


class NotADemo(ValueError):
    """The path names a real database (or the default one): it is never overwritten."""

    def __init__(self, path: Path, reason_en: str, reason_zh: str):
        super().__init__(f"{path}: {reason_en}")
        self.zh = f"{path}：{reason_zh}"


def note(path: str | os.PathLike) -> str | None:
    """The demo note of the database at `path`, or None for a real database (or none)."""
    path = Path(path)
    if not path.exists():
        return None
    con = db.connect_read(path)
    try:
        found = queries.execute(con, "db.demo")
    finally:
        con.close()
    return found[0][0] if found else None


def banner(stored: str) -> str:
    """The dashboard's line for a demo database (`stored`: its meta note, our own text)."""
    return f"**{MARK}**：{stored}，单位与数字均不代表真实单位。"


def build(path: str | os.PathLike, departments: int, years: int, first_year: int = 2020, seed: int = 7,
          corpus: str | os.PathLike | None = None) -> int:
    """Writes a fresh demo database at `path` (replacing an older demo one in one rename);
    returns the number of reports stored. The synthetic reports go to `corpus` when given,
    else to a temporary folder that is removed afterwards."""
    from perfboard import load, synth
    path = Path(path).resolve()
    if path == db.DEFAULT_DB.resolve():
        raise NotADemo(path, "the default database holds the real reports; name another file",
                       "默认数据库存放真实报告，请另指定文件")
    if path.exists() and note(path) is None:
        raise NotADemo(path, "an existing database that is not a demo one; it is left as it is",
                       "该文件是已有的真实数据库（非示例库），未作改动")
    staging = path.with_name(path.name + ".building")
    _remove(staging)
    with tempfile.TemporaryDirectory(prefix="perfboard-demo-") as tmp:
        folder = Path(corpus) if corpus else Path(tmp)
        synth.write_corpus(departments, years, folder, first_year, seed)
        outcomes = load.ingest_paths([folder], staging, keep_extractions=False)
    stored = sum(o.status == "stored" for o in outcomes)
    last = first_year + years - 1
    with db.writing(staging) as con:
        queries.execute(con, "db.mark_demo",
                        note=f"{departments} 个虚构单位 × {years} 年（{first_year}–{last} 年）的 {stored} 份示例报告")
    with db.write_lock(path):          # after the lock: no writer is halfway through the old file
        os.replace(staging, path)
    _remove(staging)
    return stored


def _remove(staging: Path) -> None:
    for stray in (staging, staging.with_name(staging.name + ".wal"), staging.with_name(staging.name + ".lock")):
        with contextlib.suppress(FileNotFoundError):
            stray.unlink()
