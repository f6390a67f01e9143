"""XLSX → one "page" per worksheet, one line per row, non-empty cells joined by " | ".
Values are rendered as Excel would show them where that matters to a reader: a
percentage stays a percentage, a float loses the binary noise Excel never displays."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.zipguard import check_zip

MAX_SHEETS = 2000
MAX_CELLS = 5_000_000  # non-empty cells over the workbook; beyond that it is a data dump, not a report
# Cells visited, empty ones included: openpyxl pads every row to its last cell, so one cell
# in column XFD on each of a million rows would mean 16 billion visits.
MAX_SCANNED = 50_000_000


def read_xlsx(data: bytes, name: str) -> Document:
    check_zip(data, "XLSX")
    notes: list[str] = []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError for missing parts, XML errors...
        raise errors.corrupt("XLSX") from exc
    try:
        pages: list[str] = []
        budget = {"cells": MAX_CELLS, "scanned": MAX_SCANNED}
        for ws in wb.worksheets[:MAX_SHEETS]:
            pages.append("\n".join(_sheet_lines(ws, budget)))
            if min(budget.values()) <= 0:
                notes.append(f"workbook too large: stopped in sheet '{ws.title}'")
                break
    except Exception as exc:
        raise errors.corrupt("XLSX") from exc
    finally:
        wb.close()
    if len(wb.worksheets) > MAX_SHEETS:
        notes.append(f"only the first {MAX_SHEETS} of {len(wb.worksheets)} sheets were read")
    if not pages:
        raise errors.no_text()
    doc = Document.from_pages(name, pages, fmt="xlsx", paged=True)
    doc.notes.extend(notes)
    return doc


def _sheet_lines(ws, budget: dict[str, int]) -> list[str]:
    # The <dimension> tag is written by the producing program and may claim A1:XFD1048576;
    # trusting it would make openpyxl pad a million empty rows.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    lines = []
    for row in ws.iter_rows():
        cells = [text for cell in row
                 if cell.value is not None and (text := render(cell.value, cell.number_format))]
        if cells:
            lines.append(" | ".join(cells))
        budget["cells"] -= len(cells)
        budget["scanned"] -= len(row) + 1
        if min(budget.values()) <= 0:
            break
    return lines


_PERCENT_DECIMALS = re.compile(r"0(?:\.(0+))?%")


def render(value, number_format: str | None = None) -> str:
    """A cell value as text ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        fmt = _strip_literals(number_format or "")
        if "%" in fmt:
            m = _PERCENT_DECIMALS.search(fmt)
            decimals = len(m.group(1) or "") if m else 2
            return _number(value * 100, decimals) + "%"
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return " ".join(str(value).split())  # line breaks inside a cell would split the row


def _number(value: int | float, decimals: int | None = None) -> str:
    if decimals is not None:
        return f"{float(value):.{decimals}f}"
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    # Excel shows at most 15 significant digits; rounding there drops the noise of binary
    # floats (0.1 + 0.2) without changing any value a person typed.
    text = format(Decimal(format(value, ".15g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _strip_literals(fmt: str) -> str:
    # "0.00%" but not the "%" inside a quoted literal or escaped with a backslash.
    return re.sub(r'"[^"]*"|\\.', "", fmt)
