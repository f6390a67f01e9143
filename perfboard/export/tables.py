"""Data behind charts and tables as files Excel opens correctly."""
from __future__ import annotations

import io
import re

import polars as pl

BOM = b"\xef\xbb\xbf"


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM: without it Excel shows Chinese as mojibake."""
    return BOM + df.write_csv().encode("utf-8")


def xlsx_bytes(sheets: dict[str, pl.DataFrame], filters: dict[str, object] | None = None) -> bytes:
    """One sheet per table, preceded by a 筛选条件 sheet listing the filters that produced them."""
    buf = io.BytesIO()
    import xlsxwriter
    with xlsxwriter.Workbook(buf, {"in_memory": True}) as wb:
        if filters is not None:
            info = pl.DataFrame({"筛选条件": list(filters), "取值": [_show(v) for v in filters.values()]})
            info.write_excel(wb, worksheet="筛选条件", autofit=True)
        used = set()
        for name, df in sheets.items():
            sheet = _sheet_name(name, used)
            df.write_excel(wb, worksheet=sheet, autofit=True)
    return buf.getvalue()


def _show(value) -> str:
    if value is None or value == [] or value == "":
        return "全部"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    return str(value)


def _sheet_name(name: str, used: set) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "Sheet"
    sheet, n = base, 2
    while sheet in used:
        sheet, n = f"{base}{n}", n + 1
    used.add(sheet)
    return sheet
