"""Data behind charts and tables as files Excel opens correctly."""
from __future__ import annotations

import io
import re

import polars as pl

BOM = b"\xef\xbb\xbf"


# A text cell a spreadsheet would run as a formula (OWASP "CSV injection"): a department
# or subject typed into a records file as =HYPERLINK(…) must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = r"^[+-]?[0-9][0-9,]*(\.[0-9]+)?%?$"  # "+41.47%" carries no formula; it stays as it is


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM: without it Excel shows Chinese as mojibake. Text cells that would
    start a formula get OWASP's leading apostrophe."""
    return BOM + defuse(df).write_csv().encode("utf-8")


def defuse(df: pl.DataFrame) -> pl.DataFrame:
    """`df` with every text cell that starts like a formula prefixed by "'"."""
    texts = [name for name, dtype in df.schema.items() if dtype == pl.String]
    if not texts:
        return df
    return df.with_columns(_defused(c).alias(c) for c in texts)


def _defused(column: str) -> pl.Expr:
    col = pl.col(column)
    risky = pl.any_horizontal([col.str.starts_with(p) for p in _FORMULA_START]) & ~col.str.contains(_PLAIN_NUMBER)
    return pl.when(risky).then(pl.lit("'") + col).otherwise(col)


def xlsx_bytes(sheets: dict[str, pl.DataFrame], filters: dict[str, object] | None = None) -> bytes:
    """One sheet per table, preceded by a 筛选条件 sheet listing the filters that produced them."""
    buf = io.BytesIO()
    import xlsxwriter
    # every text cell is written as a string: xlsxwriter would otherwise turn "=…" into a
    # live formula and "http…" into a link
    with xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False}) as wb:
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
