"""Every write the dashboard makes, in one module: store uploaded files (unreadable ones
kept with their bytes in 待处理), correct a value (or add a missed one), undo it, accept or
reject a report, choose the primary of two reports for one department-year, name
departments by other names. The 上传与校对 screen (perfboard/ui/review.py) calls these and
nothing else that writes; pages and read modules never do.
Each action is one write through db.writing(): all of it lands or none of it, and it copies
only the small changes file, not the bulk of the database (db's docstring). Each is one
transaction that also recomputes dashboard_metrics for the units it touched
(db.update_metrics): a correction, undo, status or primary change its report's unit (for
the primary, the whole department-year is in it); an alias the units of the reports whose
department it names, under their old key and their new one.
On a DuckLake lake (PERFBOARD_LAKE, perfboard/lake.py) db.writing() gives the lake's writing
connection under its writer lock instead, and each action is the same one transaction there:
the lake's own statements (queries/lake/review/) where DuckLake lacks RETURNING, ON CONFLICT
or sequences; an upload is extracted before the lock is taken and stored as `lake ingest`
stores files."""
from __future__ import annotations

import contextlib
import functools

from perfboard import db, lakeread, load, queries

STATUSES = ("extracted", "accepted", "rejected")


class ReviewError(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


class WriteFailed(ReviewError):
    """A full disk or a folder that cannot be written: db.writing() discarded its private
    copy, so the database is as it was. The screen shows `zh`, one line, not a traceback."""


def _one_line_on_write_failure(write):
    @functools.wraps(write)
    def wrapped(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        except lakeread.LakeUnavailable as err:  # the lake's catalog went away: nothing was written
            raise WriteFailed(str(err).split(" / ")[0], err.zh) from err
        except Exception as err:
            if not db.is_write_failure(err):
                raise
            detail = getattr(err, "strerror", None) or (str(err).splitlines() or [type(err).__name__])[0][:200]
            raise WriteFailed(f"could not write ({detail}); the database is unchanged",
                              "写入失败（磁盘空间不足或无法写入），数据库未改变，请联系管理员后重试") from err
    return wrapped


@_one_line_on_write_failure
def store_uploads(items: list[tuple[str, bytes]], db_file=None) -> list[load.Outcome]:
    """Stores uploaded (name, bytes) pairs as `ingest` does; a file that cannot be read is
    kept with its bytes and its reason in pending_files."""
    if db.on_lake():
        from perfboard import lake
        prepared = load._prepare_all(items)  # reading and extracting: before the lake's writer lock
        with db.writing(db_file) as con, _transaction(con):
            return lake.store_prepared(con, items, prepared)
    return load.ingest_items(items, db_file, keep_failed=True)


@_one_line_on_write_failure
def correct(report_id: str, metric: str, new_value: float | None, reason: str, author: str,
            subject: str | None = None, old_value: float | None = None, snippet: str | None = None,
            db_file=None) -> int:
    if not reason or not reason.strip():
        raise ReviewError("a correction needs a reason", "修改须填写理由")
    if not author:
        raise ReviewError("a correction needs an author", "修改须有操作人")
    if new_value is not None and metric.endswith("_pct") and not 0 <= new_value <= 1000:
        raise ReviewError("a rate must be a percentage", "比率须为百分数")
    row = dict(report_id=report_id, metric=metric, subject=subject, old_value=old_value, new_value=new_value,
               source_snippet=snippet, reason=reason.strip(), author=author)
    with db.writing(db_file) as con, _transaction(con):
        if db.on_lake():
            rows = queries.execute(con, "lake.review.next_correction_id")
            queries.execute(con, "lake.review.insert_correction", correction_id=rows[0][0], **row)
        else:
            rows = queries.execute(con, "review.insert_correction", **row)
        db.update_metrics(con, [report_id])
    return rows[0][0]


@_one_line_on_write_failure
def undo(correction_id: int, db_file=None) -> bool:
    with db.writing(db_file) as con, _transaction(con):
        if db.on_lake():
            undone = queries.execute(con, "lake.review.undoable", correction_id=correction_id)
            queries.execute(con, "lake.review.undo_correction", correction_id=correction_id)
        else:
            undone = queries.execute(con, "review.undo_correction", correction_id=correction_id)
        db.update_metrics(con, [report_id for _, report_id in undone])
    return bool(undone)


@_one_line_on_write_failure
def set_status(report_id: str, status: str, db_file=None) -> None:
    if status not in STATUSES:
        raise ReviewError(f"unknown status {status}", f"未知状态 {status}")
    with db.writing(db_file) as con, _transaction(con):
        db.bring(con, [report_id])  # its row is about to change: it must be in the file written
        if db.on_lake():  # its twin without the RETURNING / ON CONFLICT DuckLake lacks
            queries.execute(con, "lake.review.set_review_status", report_id=report_id, status=status)
        else:
            queries.execute(con, "review.set_review_status", report_id=report_id, status=status)
        db.update_metrics(con, [report_id])


@_one_line_on_write_failure
def make_primary(report_id: str, db_file=None) -> None:
    with db.writing(db_file) as con, _transaction(con):
        db.bring(con, [report_id])  # with its department: every report make_primary may change
        if db.on_lake():  # its twin without the RETURNING / ON CONFLICT DuckLake lacks
            queries.execute(con, "lake.review.make_primary", report_id=report_id)
        else:
            queries.execute(con, "review.make_primary", report_id=report_id)
        db.update_metrics(con, [report_id])


@_one_line_on_write_failure
def set_alias(alias: str, department_key: str, author: str, db_file=None) -> None:
    alias, department_key = alias.strip(), department_key.strip()
    if not alias or not department_key:
        raise ReviewError("alias and department key are both needed", "别名和单位标识都不能为空")
    with db.writing(db_file) as con, _transaction(con):
        named = _alias_reports(con, alias)
        db.touch(con, named)  # their units under the key they had
        if db.on_lake():  # its twin without the RETURNING / ON CONFLICT DuckLake lacks
            queries.execute(con, "lake.review.upsert_alias", alias=alias, department_key=department_key, author=author)
        else:
            queries.execute(con, "review.upsert_alias", alias=alias, department_key=department_key, author=author)
        db.update_metrics(con, named)  # and under the alias's key


@_one_line_on_write_failure
def remove_alias(alias: str, db_file=None) -> None:
    with db.writing(db_file) as con, _transaction(con):
        named = _alias_reports(con, alias)
        db.touch(con, named)
        if db.on_lake():  # its twin without the RETURNING / ON CONFLICT DuckLake lacks
            queries.execute(con, "lake.review.delete_alias", alias=alias)
        else:
            queries.execute(con, "review.delete_alias", alias=alias)
        db.update_metrics(con, named)


def _alias_reports(con, alias: str) -> list[str]:
    named = queries.execute(con, "db.alias_reports", alias=alias)
    if db.in_changes(con):  # and those still only in the bulk file
        named += queries.execute(con, "db.changes.alias_reports", alias=alias)
    return sorted({report_id for (report_id,) in named})


@contextlib.contextmanager
def _transaction(con):
    """The write and its upkeep of dashboard_metrics commit together or not at all."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()
