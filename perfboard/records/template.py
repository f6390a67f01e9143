"""The one definition of the empty template: the CLI's `template` command and the upload
page offer `template_bytes("xlsx" | "csv")`."""
from __future__ import annotations

import csv
import io

from perfboard.records.columns import COLUMNS, SHEET, TYPE_NAMES


def template_bytes(fmt: str) -> bytes:
    """The empty template: "xlsx" (sheet 录入表 with the header, sheet 说明 with what each
    column takes) or "csv" (the header, UTF-8 with BOM so Excel reads the Chinese)."""
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow([c.header for c in COLUMNS])
        return buf.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"template format must be xlsx or csv, not {fmt!r}")
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    number = wb.add_format({"num_format": "0.00"})
    whole = wb.add_format({"num_format": "0"})
    ws = wb.add_worksheet(SHEET)
    for k, col in enumerate(COLUMNS):
        ws.write(0, k, col.header, required if col.required else head)
        cell = {"amount": number, "rate": number, "score": number, "count": whole, "year": whole}.get(col.kind, text)
        ws.set_column(k, k, max(10, len(col.header) * 2 + 2), cell)
    ws.freeze_panes(1, 1)
    notes = wb.add_worksheet("说明")
    notes.write_row(0, 0, ["列名", "类型", "必填", "说明"], head)
    for k, col in enumerate(COLUMNS, 1):
        notes.write_row(k, 0, [col.header, TYPE_NAMES[col.kind], "是" if col.required else "", col.note])
    notes.write(len(COLUMNS) + 2, 0, "每行一份报告；表头（第 1 行）请勿修改。错误按行号、列名报告，其余行照常入库。")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 2, 14)
    notes.set_column(3, 3, 60)
    wb.close()
    return buf.getvalue()
