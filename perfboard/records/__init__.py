"""Structured records: figures typed into the template (a spreadsheet, a CSV or JSON) instead
of a report. One row is one report, in the shape of the extraction contract, flattened
under Chinese column headers. Rows are validated as an extracted report is (types, rates
and scores 0–100, a plausible year, the department and year present); a bad cell refuses
its row with one line naming row and column, the good rows are stored, each with the
provenance "录入表 row N".

Row numbers are those a person sees: in a spreadsheet or CSV the header is row 1 and the
first record row 2; in JSON (a list of objects keyed by the headers) row N is the N-th object.

Parts: columns (the template's columns), parse (file → raw rows, by file type), validate
(cells → values or problems), convert (values → Document + Extraction), template (the
empty template). Whether a file is records at all is decided in perfboard.intake."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfboard.readers import errors
from perfboard.records.columns import BY_KEY, COLUMNS, MAX_ROWS, SHEET, SUFFIXES, Column, key, matches
from perfboard.records.convert import Row, to_row
from perfboard.records.parse import not_template, rows, xlsx_header
from perfboard.records.template import template_bytes
from perfboard.records.validate import Problem, blank, convert, validate

__all__ = ["COLUMNS", "SHEET", "SUFFIXES", "Column", "Problem", "Records", "Row", "convert", "is_records",
           "not_template", "read_records", "template_bytes", "validate"]


@dataclass
class Records:
    name: str
    fmt: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # refused rows, and notes on the file

    @property
    def refused(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


def is_records(data: bytes, name: str) -> bool:
    """Whether a file is meant as records: CSV and JSON always are (no other CSV is read);
    an XLSX when the first row of its first sheet is the template's header."""
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return True
    if suffix == ".xlsx":
        try:
            header = xlsx_header(data)
        except Exception:
            return False  # the report reader says what is wrong with it
        return header is not None and matches(header, 0.8)
    return False


def read_records(data: bytes, name: str) -> Records:
    """Parses and validates a records file; raises ReadError when it is not one at all
    (unreadable, or a header that is not the template's)."""
    if not data:
        raise errors.empty()
    fmt, header, numbered = rows(data, name)
    if not matches(header):
        raise not_template()
    out = Records(name, fmt)
    columns: list[Column | None] = []
    seen: set[str] = set()
    for h in header:
        col = BY_KEY.get(key(h)) if h is not None and str(h).strip() else None
        if col is not None and col.field in seen:
            out.problems.append(Problem(None, None, f"column {col.header} appears twice; the first is read",
                                        f"“{col.header}”列重复，只读取第一列"))
            col = None
        elif col is None and h is not None and str(h).strip():
            out.problems.append(Problem(None, None, f"column '{h}' is not in the template and was ignored",
                                        f"“{h}”列不在模板中，已忽略"))
        if col is not None:
            seen.add(col.field)
        columns.append(col)
    for number, cells in numbered:
        if number - 1 > MAX_ROWS:
            out.problems.append(Problem(None, None, f"only the first {MAX_ROWS} rows were read",
                                        f"只读取了前 {MAX_ROWS} 行"))
            break
        if all(blank(c) for c in cells):
            continue
        values, problems = validate(number, {col: cell for col, cell in zip(columns, cells) if col is not None})
        if problems:
            out.problems += problems
            continue
        out.rows.append(to_row(name, fmt, number, values))
    return out
