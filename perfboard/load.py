"""Documents and extractions → DuckDB rows. One transaction per file: a file goes in
whole or not at all, and a file that fails leaves everything stored before untouched."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from perfboard import EXTRACTOR_VERSION, db, departments, queries
from perfboard.document import Document
from perfboard.extract import Extraction, extract
from perfboard.readers import MAX_BYTES, SUFFIXES, ReadError, read_bytes

NUMERIC_PREFIXES = ("budget.", "score.total", "petitions.", "satisfaction.")


@dataclass
class Outcome:
    file: str
    status: str                 # stored | duplicate | failed | reextracted
    report_id: str | None = None
    en: str = ""
    zh: str = ""
    extraction: Extraction | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def line(self) -> str:
        return {
            "stored": f"stored   {self.file}: {self.en} / 已入库：{self.zh}",
            "reextracted": f"updated  {self.file}: {self.en} / 已重新抽取：{self.zh}",
            "duplicate": f"skipped  {self.file}: already stored as {self.report_id} (same bytes) / 已存在（内容相同）",
            "failed": f"failed   {self.file}: {self.en} / 失败：{self.zh}",
        }[self.status]


def report_id_for(sha256: str) -> str:
    return "r" + sha256[:16]


def iter_files(paths: list[str | os.PathLike]) -> list[Path]:
    """Files as given, folders searched recursively for report files (truth .json skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


def ingest_paths(paths: list[str | os.PathLike], db_file=None) -> list[Outcome]:
    items = []
    for path in iter_files(paths):
        items.append((path.name, _read_limited(path)))
    return ingest_items(items, db_file)


def _read_limited(path: Path) -> bytes | ReadError | OSError:
    try:
        if path.stat().st_size > MAX_BYTES:
            from perfboard.readers import errors
            return errors.too_large(MAX_BYTES // (1024 * 1024))
        return path.read_bytes()
    except OSError as err:
        return err


def ingest_items(items: list[tuple[str, bytes | Exception]], db_file=None, keep_failed: bool = False,
                 author: str | None = None) -> list[Outcome]:
    """Stores each (name, bytes) in its own transaction; publishes the database once at the end."""
    outcomes = []
    with db.writing(db_file) as con:
        for name, data in items:
            outcomes.append(_ingest_one(con, name, data, keep_failed))
        if not any(o.status == "stored" for o in outcomes) and not (keep_failed and outcomes):
            raise db.Discard()
    return outcomes


def _ingest_one(con, name: str, data, keep_failed: bool) -> Outcome:
    if isinstance(data, OSError):
        return Outcome(name, "failed", en=f"cannot read the file ({data.strerror})", zh="无法读取文件")
    if isinstance(data, ReadError):
        return Outcome(name, "failed", en=data.en, zh=data.zh)
    sha = hashlib.sha256(data).hexdigest()
    existing = queries.run(con, "load.report_by_sha", sha256=sha)
    if existing.height:
        return Outcome(name, "duplicate", existing["report_id"][0])
    try:
        doc = read_bytes(data, name)
        extraction = extract(doc)
    except ReadError as err:
        if keep_failed:
            _keep_pending(con, sha, name, data, err)
        return Outcome(name, "failed", en=err.en, zh=err.zh)
    except Exception as err:  # an extractor bug must not lose the rest of a batch
        return Outcome(name, "failed", en=f"extraction failed ({type(err).__name__}: {err})",
                       zh="抽取出错（程序错误，已记录）")
    report_id = report_id_for(sha)
    con.begin()
    try:
        queries.execute(con, "load.insert_raw_file", sha256=sha, source_file=name, size_bytes=len(data), bytes=data)
        primary = not queries.run(con, "load.primary_for_department_year", **_identity(extraction))["n"][0]
        queries.execute(con, "load.insert_report", report_id=report_id, sha256=sha, source_file=name,
                        is_primary=primary, **_report_row(doc, extraction))
        _insert_facts(con, report_id, extraction)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return Outcome(name, "stored", report_id, en=_summary(extraction), zh=_summary(extraction),
                   extraction=extraction)


def _keep_pending(con, sha, name, data, err: ReadError) -> None:
    con.begin()
    queries.execute(con, "review.insert_pending", sha256=sha, source_file=name, bytes=data,
                    reason_code=err.code, reason_zh=err.zh, reason_en=err.en)
    con.commit()


def reextract(db_file=None, everything: bool = False) -> list[Outcome]:
    """Re-runs the reader and extractor on stored original bytes. Corrections, aliases,
    review status and primary flags live in their own rows and columns and are kept."""
    outcomes = []
    with db.writing(db_file) as con:
        stale = queries.run(con, "load.stale_reports", all=everything, extractor_version=EXTRACTOR_VERSION)
        for report_id, name, data in stale.iter_rows():
            try:
                doc = read_bytes(data, name)
                extraction = extract(doc)
            except ReadError as err:
                outcomes.append(Outcome(name, "failed", report_id, en=err.en, zh=err.zh))
                continue
            con.begin()
            try:
                queries.execute(con, "load.delete_facts", report_id=report_id)
                queries.execute(con, "load.delete_indicators", report_id=report_id)
                queries.execute(con, "load.update_report_extraction", report_id=report_id,
                                **_report_row(doc, extraction))
                _insert_facts(con, report_id, extraction)
                con.commit()
            except BaseException:
                con.rollback()
                raise
            outcomes.append(Outcome(name, "reextracted", report_id, en=_summary(extraction),
                                    zh=_summary(extraction)))
        if not any(o.status == "reextracted" for o in outcomes):
            raise db.Discard()
    return outcomes


def _identity(x: Extraction) -> dict:
    return dict(department_key=_key(x), year=x.value("evaluated_year"), report_kind=x.value("report_kind"),
                project_name=x.value("project_name"))


def _key(x: Extraction) -> str | None:
    return departments.department_key(x.value("department"), x.value("province"), x.value("city"),
                                      x.value("district"))


def _report_row(doc: Document, x: Extraction) -> dict:
    v = x.value
    return dict(file_format=doc.fmt, encoding=doc.encoding, text=doc.text, page_starts=doc.page_starts,
                department=v("department"), department_key=_key(x), province=v("province"), city=v("city"),
                district=v("district"), year=v("evaluated_year"), report_kind=v("report_kind"),
                project_name=v("project_name"), score_grade=v("score.grade"), problems=v("problems"),
                measures=v("measures"), extractor_version=EXTRACTOR_VERSION)


def _insert_facts(con: duckdb.DuckDBPyConnection, report_id: str, x: Extraction) -> None:
    subjects_seen: dict[str, int] = {}
    for entry in x.satisfaction:
        n = subjects_seen[entry.subject] = subjects_seen.get(entry.subject, 0) + 1
        subject = entry.subject if n == 1 else f"{entry.subject}({n})"
        for fact in (entry.satisfaction, entry.participation, entry.target):
            if fact:
                fact.subject = subject
    for fact in x.all_facts():
        numeric = fact.field.startswith(NUMERIC_PREFIXES)
        queries.execute(
            con, "load.insert_fact", report_id=report_id, metric=fact.field, subject=fact.subject,
            value=float(fact.value) if numeric else None, value_text=None if numeric else str(fact.value),
            derived=fact.derived, period_start=fact.period[0], period_end=fact.period[1],
            source_page=fact.page, source_offset=fact.start,
            source_length=(fact.end - fact.start) if fact.start is not None and fact.end is not None else None,
            source_snippet=fact.snippet, rule=fact.rule)
    for ord_, row in enumerate(x.indicators, 1):
        queries.execute(con, "load.insert_indicator", report_id=report_id, ord=ord_, level1=row.level1,
                        level2=row.level2, level3=row.level3, target=row.target, actual=row.actual,
                        source_page=row.page, source_snippet=row.snippet)


def _summary(x: Extraction) -> str:
    parts = [x.value("department") or "?", str(x.value("evaluated_year") or "?"),
             "项目" if x.value("report_kind") == "project" else "部门整体",
             f"{len(x.all_facts())} facts"]
    return " ".join(parts)
