"""Downloads: CSV in UTF-8 with a byte-order mark (so Excel shows the Chinese) and XLSX
with one sheet per table. Pure: no Streamlit, no database."""
from __future__ import annotations

import io

import polars as pl
import xlsxwriter


def csv_bytes(df: pl.DataFrame) -> bytes:
    return ("\ufeff" + df.write_csv()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        for name, df in sheets.items():
            df.write_excel(workbook=workbook, worksheet=name[:31], autofit=True,
                           header_format={"bold": True, "bg_color": "#eef2ff"})
    return buffer.getvalue()
