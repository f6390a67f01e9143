"""Issue 16, formula injection: a department, project or subject that starts with = + - @
(from a records file, say) must reach a spreadsheet as text, never as a live formula."""
from __future__ import annotations

import csv
import io

import openpyxl
import polars as pl

from perfboard.export import tables

HOSTILE = ['=HYPERLINK("http://x.example","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "＝1+1"]


def frame() -> pl.DataFrame:
    return pl.DataFrame({"单位": HOSTILE, "年度": [2023] * len(HOSTILE), "数值": [-5.5] * len(HOSTILE)})


def test_csv_cells_cannot_start_a_formula():
    text = tables.csv_bytes(frame()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["单位", "年度", "数值"]
    cells = [r[0] for r in rows[1:]]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert cells[0] == "'" + HOSTILE[0]  # the text is kept, behind OWASP's quote
    assert [r[2] for r in rows[1:]] == ["-5.5"] * len(HOSTILE)  # numbers stay numbers


def test_xlsx_text_cells_are_strings_not_formulas():
    data = tables.xlsx_bytes({"数字": frame()}, {"单位": ["=1+1"], "年度": None})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    formulas = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    sheet = wb["数字"]
    values = [sheet.cell(row=k + 2, column=1).value for k in range(len(HOSTILE))]
    # (openpyxl reads a carriage return back as Excel's escape _x000D_)
    assert [v.replace("_x000D_", "\r") for v in values] == HOSTILE
    assert sheet.cell(row=2, column=3).value == -5.5
    assert wb["筛选条件"].cell(row=2, column=2).value == "=1+1"
