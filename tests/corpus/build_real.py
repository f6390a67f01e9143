"""Build tests/corpus/real/ from the authored sources in tests/corpus/real_src/.

Every report of the real-layout corpus is written by hand in real_src/NNN.src; this
script only renders it in the format its first line names, so that the same words reach
the extractor as a text file, a ruled-table PDF, a Word table or a spreadsheet:

    #format: txt | txt-gbk | pdf | docx | xlsx

Source markup (kept small on purpose; the words and the tables are the content):
    # 标题                 a title line (bold, centred in PDF/DOCX)
    [table 3,2,2,1]        a ruled table; numbers are relative column widths
    a | b | c{2}           one row, cells split on " | "; "{n}" after a cell spans n columns;
                           a literal "\\n" is a line break inside a cell
    [/table]
    [sheet 名称]           (xlsx) start a new worksheet
    [page]                 (pdf/docx) page break
Any other line is a paragraph (an empty line is a blank line / spacing).

The output is deterministic: fixed creation dates in PDF metadata and fixed timestamps
inside the DOCX/XLSX zip containers, so rebuilding gives byte-identical files and a diff
shows only real content changes. Generated files are committed; `make eval` needs no build.

    .venv/bin/python tests/corpus/build_real.py          # rebuild every report
    .venv/bin/python tests/corpus/build_real.py 213 225  # only these
"""
from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "real_src"
OUT = HERE / "real"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei: TrueType outlines pdfminer decodes (Noto CJK it cannot, so pdfplumber would see no text)
FIXED = dt.datetime(2024, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)
SPAN = re.compile(r"\{(\d+)\}$")


def parse(text: str) -> tuple[str, list[tuple]]:
    """Source → (format, blocks); a block is ("title", s) | ("para", s) | ("table", widths,
    rows) | ("sheet", name) | ("page",). A row is a list of (text, colspan)."""
    lines = text.splitlines()
    head = lines[0].strip()
    if not head.startswith("#format:"):
        raise SystemExit("first line must be '#format: …'")
    fmt = head.split(":", 1)[1].strip()
    blocks: list[tuple] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("[table"):
            widths = [float(w) for w in line[6:].strip(" ]").split(",") if w.strip()]
            rows = []
            i += 1
            while not lines[i].startswith("[/table]"):
                cells = []
                for cell in lines[i].split(" | "):
                    cell = cell.strip().replace("\\n", "\n")  # "\n" in a cell: a line break inside it
                    m = SPAN.search(cell)
                    cells.append((SPAN.sub("", cell), int(m.group(1)) if m else 1))
                rows.append(cells)
                i += 1
            blocks.append(("table", widths, rows))
        elif line.startswith("[sheet"):
            blocks.append(("sheet", line[6:].strip(" ]")))
        elif line.strip() == "[page]":
            blocks.append(("page",))
        elif line.startswith("# "):
            blocks.append(("title", line[2:].strip()))
        else:
            blocks.append(("para", line))
        i += 1
    return fmt, blocks


def as_text(blocks) -> str:
    """Plain rendering (txt formats): a table row becomes cells joined by ' | '."""
    out = []
    for b in blocks:
        if b[0] in ("title", "para"):
            out.append(b[1])
        elif b[0] == "table":
            out += [" | ".join(c for c, _ in row) for row in b[2]]
    return "\n".join(out) + "\n"


def to_pdf(blocks) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_creator("perfboard tests/corpus/build_real.py")
    pdf.set_producer("fpdf2")
    pdf.add_font("cjk", "", FONT)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for b in blocks:
        if b[0] == "title":
            pdf.set_font("cjk", size=14)
            pdf.multi_cell(0, 9, b[1], align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        elif b[0] == "para":
            pdf.set_font("cjk", size=10)
            if b[1].strip():
                pdf.multi_cell(0, 6, b[1], new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
            else:
                pdf.ln(3)
        elif b[0] == "page":
            pdf.add_page()
        elif b[0] == "table":
            _, widths, rows = b
            pdf.set_font("cjk", size=8)
            with pdf.table(col_widths=widths or None, first_row_as_headings=False, line_height=5,
                           text_align="CENTER", wrapmode=WrapMode.CHAR, padding=1) as table:
                for cells in rows:
                    row = table.row()
                    for text, span in cells:
                        row.cell(text, colspan=span)
            pdf.ln(2)
    return bytes(pdf.output())


def to_docx(blocks) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.core_properties.created = FIXED.replace(tzinfo=None)
    d.core_properties.modified = FIXED.replace(tzinfo=None)
    d.core_properties.author = "perfboard"
    d.core_properties.last_modified_by = "perfboard"
    for b in blocks:
        if b[0] == "title":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(b[1]).bold = True
        elif b[0] == "para":
            d.add_paragraph(b[1])
        elif b[0] == "page":
            d.add_page_break()
        elif b[0] == "table":
            _, widths, rows = b
            ncols = max(sum(s for _, s in row) for row in rows)
            t = d.add_table(rows=len(rows), cols=ncols)
            t.style = "Table Grid"
            for r, cells in enumerate(rows):
                c = 0
                for text, span in cells:
                    cell = t.cell(r, c)
                    if span > 1:
                        cell = cell.merge(t.cell(r, c + span - 1))
                    cell.text = text
                    c += span
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def to_xlsx(blocks) -> bytes:
    import openpyxl
    from openpyxl.styles import Border, Side

    wb = openpyxl.Workbook()
    wb.properties.created = FIXED.replace(tzinfo=None)
    wb.properties.modified = FIXED.replace(tzinfo=None)
    wb.properties.creator = "perfboard"
    ws = wb.active
    first = True
    thin = Side(style="thin")
    row = 1
    for b in blocks:
        if b[0] == "sheet":
            if first:
                ws.title = b[1]
            else:
                ws = wb.create_sheet(b[1])
                row = 1
            first = False
            continue
        first = False
        if b[0] in ("title", "para"):
            if b[1].strip():
                ws.cell(row=row, column=1, value=b[1])
            row += 1
        elif b[0] == "table":
            for cells in b[2]:
                c = 1
                for text, span in cells:
                    cell = ws.cell(row=row, column=c, value=_cell_value(text))
                    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                    if span > 1:
                        ws.merge_cells(start_row=row, start_column=c, end_row=row, end_column=c + span - 1)
                    c += span
                row += 1
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _cell_value(text: str):
    """A spreadsheet holds numbers as numbers (what an exported 自评表 does): plain decimals
    become floats/ints, everything else (150万, 98%, ≥95%) stays text."""
    if re.fullmatch(r"-?\d+", text) and len(text) < 12 and not (len(text) > 1 and text.startswith("0")):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text if text else None


def _fixed_zip(data: bytes) -> bytes:
    """Same members, same order, fixed timestamps: the libraries stamp the current time."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            body = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                          rb"<dcterms:\1\2>2024-01-01T00:00:00Z<", body)
            z = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            z.compress_type = zipfile.ZIP_DEFLATED
            z.external_attr = 0o644 << 16
            dst.writestr(z, body)
    return out.getvalue()


def build(src: Path) -> Path:
    fmt, blocks = parse(src.read_text(encoding="utf-8"))
    stem = src.stem
    if fmt == "txt":
        path, data = OUT / f"{stem}.txt", as_text(blocks).encode("utf-8")
    elif fmt == "txt-gbk":
        path, data = OUT / f"{stem}.txt", as_text(blocks).encode("gbk")
    elif fmt == "pdf":
        path, data = OUT / f"{stem}.pdf", to_pdf(blocks)
    elif fmt == "docx":
        path, data = OUT / f"{stem}.docx", to_docx(blocks)
    elif fmt == "xlsx":
        path, data = OUT / f"{stem}.xlsx", to_xlsx(blocks)
    else:
        raise SystemExit(f"{src.name}: unknown format {fmt}")
    for old in OUT.glob(f"{stem}.*"):  # a report changed format: drop the old rendering
        if old.suffix != ".json" and old != path:
            old.unlink()
    path.write_bytes(data)
    return path


def main(argv: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    sources = sorted(SRC.glob("*.src"))
    if argv:
        sources = [s for s in sources if s.stem in argv]
    for src in sources:
        print(build(src).relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
