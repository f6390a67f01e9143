"""Records files → (header, numbered rows of raw cells), one function per file type. Row
numbers are those a person sees: in a spreadsheet or CSV the header is row 1 and the first
record row 2; in JSON (a list of objects keyed by the headers) row N is the N-th object."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from perfboard.readers import errors
from perfboard.readers.errors import ReadError
from perfboard.records.columns import COLUMNS, MAX_ROWS, SHEET

def not_template() -> ReadError:
    return ReadError("not_records",
                     "the header is not the records template's (columns 单位名称, 被评价年度, …; "
                     "get it with `python -m perfboard template --out FILE`)",
                     "表头与录入模板不符（需含“单位名称”“被评价年度”等列；可用 python -m perfboard template 下载模板）")


def rows(data: bytes, name: str) -> tuple[str, list, list[tuple[int, list]]]:
    """(format, header, rows) of a records file, by its suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return ("csv", *_csv_rows(data))
    if suffix == ".json":
        return ("json", *_json_rows(data))
    if suffix == ".xlsx":
        return ("xlsx", *_xlsx_rows(data))
    raise errors.unknown_type(suffix)


def _csv_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise errors.undecodable()
    if "\x00" in text:
        raise errors.binary_text()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not lines:
        raise not_template()
    return lines[0], [(k, line) for k, line in enumerate(lines[1:], 2)]


def _json_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReadError("corrupt", f"the JSON file cannot be parsed ({exc})", "JSON 文件无法解析") from exc
    if isinstance(obj, dict) and isinstance(obj.get("records"), list):
        obj = obj["records"]
    if not isinstance(obj, list) or not all(isinstance(o, dict) for o in obj):
        raise ReadError("not_records", "records JSON must be a list of objects keyed by the template's headers",
                        "录入 JSON 须为以模板列名为键的对象列表")
    header: list[str] = []
    for o in obj:
        header += [k for k in o if k not in header]
    return header, [(k, [o.get(h) for h in header]) for k, o in enumerate(obj, 1)]


def _open_xlsx(data: bytes):
    import openpyxl

    from perfboard.readers.zipguard import check_zip

    check_zip(data, "XLSX")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise errors.corrupt("XLSX") from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    return wb, ws


def xlsx_header(data: bytes) -> list | None:
    wb, ws = _open_xlsx(data)
    try:
        for row in ws.iter_rows(max_row=1, values_only=True):
            return list(row)
        return None
    finally:
        wb.close()


def _xlsx_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    wb, ws = _open_xlsx(data)
    try:
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        header: list = []
        rows: list[tuple[int, list]] = []
        for k, row in enumerate(ws.iter_rows(max_col=len(COLUMNS) * 2 + 10), 1):
            if k == 1:
                header = [c.value for c in row]
                continue
            rows.append((k, [_cell(c) for c in row]))
            if k > MAX_ROWS + 2:
                break
    except ReadError:
        raise
    except Exception as exc:
        raise errors.corrupt("XLSX") from exc
    finally:
        wb.close()
    return header, rows


def _cell(cell):
    """A spreadsheet value as typed: a cell formatted as a percentage holds 0.9401 for 94.01%."""
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in re.sub(r'"[^"]*"', "", fmt):
        return f"{round(value * 100, 10):g}%"
    return value

