"""A report file's bytes → the rows perfboard.load stores (read, extracted, shaped), complete
before anything is written. This runs in the extraction workers: it imports neither DuckDB
nor polars (perfboard.load does), so a worker starts in ~0.15 CPU s instead of ~0.4: with a
pool started per ingest, that start-up was a tenth of an ingest of 500 reports' CPU."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from perfboard import EXTRACTOR_VERSION, departments, intake
from perfboard.document import Document
from perfboard.extract import Extraction
from perfboard.readers import ReadError
from perfboard.readers.capped import prepare_records as capped_records
from perfboard.readers.capped import read_and_extract

NUMERIC_PREFIXES = ("budget.", "score.total", "petitions.", "satisfaction.")


@dataclass
class Outcome:
    file: str
    status: str                 # stored | duplicate | failed | reextracted
    report_id: str | None = None
    en: str = ""
    zh: str = ""
    extraction: Extraction | None = None
    problems: list[str] = field(default_factory=list)  # a records file: its refused rows, one line each
    refused: int = 0                                   # a records file: how many rows were refused

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def line(self) -> str:
        return self._line() + "".join(f"\n  {p}" for p in self.problems)

    def _line(self) -> str:
        return {
            "stored": f"stored   {self.file}: {self.en} / 已入库",
            "reextracted": f"updated  {self.file}: {self.en} / 已重新抽取",
            "duplicate": f"skipped  {self.file}: already stored as {self.report_id} (same bytes) / 已存在（内容相同）",
            "failed": f"failed   {self.file}: {self.en} / 失败：{self.zh}",
        }[self.status]


@dataclass
class Prepared:
    """One file's rows, complete before anything is written."""
    name: str
    sha256: str
    report: dict
    raw: dict
    facts: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    extraction: Extraction | None = None
    more_reports: list[dict] = field(default_factory=list)  # a records file: the reports of its other rows
    problems: list[str] = field(default_factory=list)      # a records file: refused rows, one line each
    refused: int = 0
    summary: str = ""  # a report's outcome line (department, year, kind, facts), kept when `extraction` is not

    @property
    def reports(self) -> list[dict]:
        return [self.report, *self.more_reports]


def report_id_for(sha256: str) -> str:
    return "r" + sha256[:16]


def prepare_item(item: tuple[str, bytes | Exception], keep_extraction: bool = True) -> Prepared | Outcome:
    """A file's rows; without `keep_extraction` the Extraction stays here (an ingest that prints
    only each file's line): sent back from a worker, it doubled what the writer unpickles."""
    name, data = item
    if isinstance(data, ReadError):
        return Outcome(name, "failed", en=data.en, zh=data.zh)
    if isinstance(data, Exception):
        return Outcome(name, "failed", en=f"cannot read the file ({getattr(data, 'strerror', data)})",
                       zh="无法读取文件")
    sha = hashlib.sha256(data).hexdigest()
    if intake.is_records(data, name):
        try:
            prepared = capped_records(data, name, sha)  # a large one in a capped child process
        except ReadError as err:
            return Outcome(name, "failed", en=err.en, zh=err.zh)
        if isinstance(prepared, Prepared) and not keep_extraction:
            prepared.extraction = None
        return prepared
    try:
        doc, extraction = read_and_extract(data, name)  # a large file in a capped child process
    except ReadError as err:
        return Outcome(name, "failed", en=err.en, zh=err.zh)
    except Exception as err:  # an extractor bug must not lose the rest of a batch
        return Outcome(name, "failed", en=f"extraction failed ({type(err).__name__}: {err})",
                       zh="抽取出错（程序错误）")
    report_id = report_id_for(sha)
    report = {"report_id": report_id, "sha256": sha, "source_file": name, **report_fields(doc, extraction)}
    raw = {"sha256": sha, "source_file": name, "size_bytes": len(data), "bytes": data}
    facts, indicators = fact_rows(report_id, extraction)
    return Prepared(name, sha, report, raw, facts, indicators, extraction if keep_extraction else None,
                    summary=summary(extraction))


def prepare_records(name: str, data: bytes, sha: str) -> Prepared | Outcome:
    """A records file: one report per valid row, each with its own id, all sharing the
    file's bytes; refused rows are named in the outcome, one line each."""
    try:
        table = intake.read_records(data, name)
    except ReadError as err:
        return Outcome(name, "failed", en=err.en, zh=err.zh)
    except Exception as err:  # a bug must not lose the rest of a batch
        return Outcome(name, "failed", en=f"records could not be read ({type(err).__name__}: {err})",
                       zh="录入表读取出错（程序错误）")
    problems = [p.line() for p in table.problems]
    if not table.rows:
        return Outcome(name, "failed", en=f"no valid rows ({table.refused} refused)",
                       zh=f"没有有效的行（{table.refused} 行有误）", problems=problems, refused=table.refused)
    reports, facts, indicators = [], [], []
    for row in table.rows:
        report_id = report_id_for(hashlib.sha256(f"{sha}:row{row.number}".encode()).hexdigest())
        reports.append({"report_id": report_id, "sha256": sha, "source_file": name,
                        **report_fields(row.document, row.extraction)})
        f, i = fact_rows(report_id, row.extraction)
        facts += f
        indicators += i
    raw = {"sha256": sha, "source_file": name, "size_bytes": len(data), "bytes": data}
    first = table.rows[0].extraction
    return Prepared(name, sha, reports[0], raw, facts, indicators, first, more_reports=reports[1:],
                    problems=problems, refused=table.refused)


def department_key(x: Extraction) -> str | None:
    return departments.department_key(x.value("department"), x.value("province"), x.value("city"),
                                      x.value("district"))


def report_fields(doc: Document, x: Extraction) -> dict:
    v = x.value
    return dict(file_format=doc.fmt, encoding=doc.encoding, text=doc.text, page_starts=doc.page_starts,
                department=v("department"), department_key=department_key(x), province=v("province"), city=v("city"),
                district=v("district"), year=v("evaluated_year"), report_kind=v("report_kind"),
                project_name=v("project_name"), score_grade=v("score.grade"), problems=v("problems"),
                measures=v("measures"), document_type=v("document_type"), needs_review=x.needs_review,
                review_reasons=",".join(x.review_reasons) or None, extractor_version=EXTRACTOR_VERSION)


def fact_rows(report_id: str, x: Extraction) -> tuple[list[dict], list[dict]]:
    seen: dict[str, int] = {}
    for entry in x.satisfaction:  # two entries for one subject get distinct names
        n = seen[entry.subject] = seen.get(entry.subject, 0) + 1
        subject = entry.subject if n == 1 else f"{entry.subject}({n})"
        for fact in (entry.satisfaction, entry.participation, entry.target):
            if fact:
                fact.subject = subject
    facts = []
    for fact in x.all_facts():
        numeric = fact.field.startswith(NUMERIC_PREFIXES)
        facts.append(dict(
            report_id=report_id, metric=fact.field, subject=fact.subject,
            value=float(fact.value) if numeric else None, value_text=None if numeric else str(fact.value),
            derived=fact.derived, period_start=fact.period[0], period_end=fact.period[1],
            source_page=fact.page, source_offset=fact.start,
            source_length=(fact.end - fact.start) if fact.start is not None and fact.end is not None else None,
            source_snippet=fact.snippet, rule=fact.rule,
            ocr=fact.ocr_confidence is not None, ocr_confidence=fact.ocr_confidence,
            confidence=fact.confidence))
    indicators = [dict(report_id=report_id, ord=k, level1=r.level1, level2=r.level2, level3=r.level3,
                       target=r.target, actual=r.actual, source_page=r.page, source_snippet=r.snippet)
                  for k, r in enumerate(x.indicators, 1)]
    return facts, indicators


def summary(x: Extraction) -> str:
    kind = "项目" if x.value("report_kind") == "project" else "部门整体"
    return f"{x.value('department') or '?'} {x.value('evaluated_year') or '?'} {kind}, {len(x.all_facts())} facts"
