"""Readers: each format read back from a file made here, and every bad input turned into a
ReadError with a code and a Chinese reason, never a traceback."""
from __future__ import annotations

import functools
import io
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfboard.readers import MAX_BYTES, ReadError, read_bytes, read_path

AGENCY = "广州市天河区信访局"


# ---------------------------------------------------------------- fixtures (built, not stored)

@functools.cache
def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("2023年度部门整体支出绩效自评报告", level=1)
    d.add_paragraph(f"{AGENCY}是区政府工作部门。")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "部门年度预算收入"
    table.cell(0, 1).text = "727.41"
    table.cell(0, 2).text = "万元"
    merged = table.cell(1, 0).merge(table.cell(1, 1))  # horizontal merge: one cell, said once
    merged.text = "预算执行率"
    table.cell(1, 2).text = "94.01%"
    table.cell(2, 0).text = "产出指标"
    table.cell(2, 1).text = "100"
    table.cell(2, 2).text = "100"  # equal neighbours that are not merged stay
    d.add_paragraph("二、绩效目标完成情况")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@functools.cache
def make_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["预算完成率", 0.9401])
    ws["B1"].number_format = "0.00%"
    ws.append(["部门年度预算收入", 727.41, None, "万元"])
    ws.append(["合计", 0.1 + 0.2, 3.0, 12])
    ws.append([])  # blank rows are dropped
    ws.append(["多行\n单元格"])
    ws2 = wb.create_sheet("第二页")
    ws2["A1"] = AGENCY
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@functools.cache
def cjk_font() -> str | None:
    """A font file with Chinese glyphs, if the machine has one (fonts-noto-cjk on Debian)."""
    paths: list[str] = []
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        paths = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    paths.append("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    for path in paths:
        if Path(path).suffix.lower() in (".ttf", ".otf", ".ttc") and Path(path).exists():
            return path
    return None


def _fpdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    return pdf


@functools.cache
def make_pdf() -> bytes:
    """Two pages: ASCII with a table on page 1, Chinese (if a CJK font exists) on page 2."""
    pdf = _fpdf()
    pdf.add_page()
    pdf.cell(text="Budget 727.41", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(60, 30)) as table:
        for row in (("Annual budget income", "727.41"), ("Execution rate", "94.01%")):
            table.row(row)
    pdf.add_page()
    font = cjk_font()
    if font:
        pdf.add_font("cjk", "", font)
        pdf.set_font("cjk", size=12)
        pdf.cell(text=f"{AGENCY} 预算执行率 94.01%")
    else:
        pdf.cell(text="Page two 94.01%")
    return bytes(pdf.output())


def make_encrypted_pdf() -> bytes:
    pdf = _fpdf()
    pdf.add_page()
    pdf.cell(text="secret 727.41")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    pdf = _fpdf()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a page with ink but no text layer
    return bytes(pdf.output())


def hand_made_pdf(content: bytes, *objects: bytes) -> bytes:
    """A one-page PDF whose page draws `content` with font /F1 = object 5; `objects` are 5, 6, ..."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            *objects]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_width_bomb_pdf() -> bytes:
    """One wrong digit in a CID font's /W range: pdfminer fills a dict with 2e9 widths."""
    return hand_made_pdf(
        b"BT /F1 12 Tf 72 720 Td <0001> Tj ET",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /W [0 2000000000 500]"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")


def write_zip_bomb(path: Path, member: str = "word/document.xml", size_mb: int = 300) -> None:
    """A zip whose one member inflates to `size_mb` of zeros, written in chunks (~300 KB file)."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(member, "w", force_zip64=True) as out:
            for _ in range(size_mb):
                out.write(chunk)


def _random_bytes(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


def _line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


# ---------------------------------------------------------------- DOCX

def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    doc = read_path(path)
    assert doc.fmt == "docx"
    assert doc.page_of(0) is None  # DOCX has no reliable page breaks
    text = doc.text
    order = ["2023年度部门整体支出绩效自评报告", AGENCY, "部门年度预算收入", "预算执行率", "二、绩效目标完成情况"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert _line_with(text, "部门年度预算收入") == "部门年度预算收入 | 727.41 | 万元"
    assert _line_with(text, "预算执行率") == "预算执行率 | 94.01%"
    assert _line_with(text, "产出指标") == "产出指标 | 100 | 100"


def test_docx_vertical_merge_repeats_label():
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "产出指标"
    t.cell(0, 1).text = "数量指标"
    t.cell(1, 1).text = "质量指标"
    buf = io.BytesIO()
    d.save(buf)
    lines = read_bytes(buf.getvalue(), "t.docx").text.splitlines()
    assert "产出指标 | 数量指标" in lines
    assert "产出指标 | 质量指标" in lines


def test_docx_tracked_changes_and_legacy_merge():
    import docx
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    p = d.add_paragraph("预算")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>执行率</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>作废</w:delText></w:r></w:del>'))
    t = d.add_table(rows=1, cols=3)
    t.cell(0, 0).text = "预算执行率"
    t.cell(0, 2).text = "94.01%"
    for cell, val in ((t.cell(0, 0), "restart"), (t.cell(0, 1), "continue")):
        merge = OxmlElement("w:hMerge")
        merge.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", val)
        cell._tc.get_or_add_tcPr().append(merge)
    buf = io.BytesIO()
    d.save(buf)
    lines = read_bytes(buf.getvalue(), "t.docx").text.splitlines()
    assert lines == ["预算执行率", "预算执行率 | 94.01%"]


# ---------------------------------------------------------------- XLSX

def test_xlsx_sheets_rows_and_numbers(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(make_xlsx())
    doc = read_path(path)
    assert doc.fmt == "xlsx"
    lines = doc.text.splitlines()
    assert "预算完成率 | 94.01%" in lines
    assert "部门年度预算收入 | 727.41 | 万元" in lines  # the empty cell leaves no " |  | "
    assert "合计 | 0.3 | 3 | 12" in lines  # no binary noise, no ".0"
    assert "多行 单元格" in lines
    first_sheet = doc.text[: doc.page_starts[1] - 1]
    assert "" not in first_sheet.splitlines()  # blank rows are dropped
    assert doc.page_of(doc.text.index("预算完成率")) == 1
    assert doc.page_of(doc.text.index(AGENCY)) == 2


def test_xlsx_render_rules():
    from perfboard.readers.xlsx import render

    assert render(727.41) == "727.41"
    assert render(0.1 + 0.2) == "0.3"
    assert render(1e16) == "10000000000000000"
    assert render(0.9401, "0.00%") == "94.01%"
    assert render(0.5, "0%") == "50%"
    assert render(0.5, '"%"0.00') == "0.5"  # a quoted % is a literal, not a percentage
    assert render(None) == ""


# ---------------------------------------------------------------- PDF

def test_pdf_pages_and_table_rows(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf())
    doc = read_path(path)
    assert doc.fmt == "pdf"
    assert doc.page_of(doc.text.index("Budget 727.41")) == 1
    assert "Annual budget income | 727.41" in doc.text.splitlines()  # a ruled row: one line, cells by " | "
    assert doc.page_of(doc.text.index("94.01%", doc.text.index("Execution rate") + 20)) == 2
    if cjk_font():
        assert doc.page_of(doc.text.index(AGENCY)) == 2
    else:
        assert "Page two" in doc.text


def test_pdf_fake_bold_is_not_doubled():
    pdf = _fpdf()
    pdf.add_page()
    for dx in (0, 0.05):  # Word/WPS "bold" for fonts without a bold face: the glyphs drawn twice
        pdf.text(20 + dx, 20, "Total 727.41")
    doc = read_bytes(bytes(pdf.output()), "bold.pdf")
    assert doc.text == "Total 727.41"


def test_pdf_page_cap(monkeypatch):
    from perfboard.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    pdf = _fpdf()
    for i in range(3):
        pdf.add_page()
        pdf.cell(text=f"page {i + 1}")
    doc = read_bytes(bytes(pdf.output()), "long.pdf")
    assert "page 2" in doc.text and "page 3" not in doc.text
    assert any("2 of 3" in note for note in doc.notes)


def test_hand_made_pdf_is_read():
    pdf = hand_made_pdf(b"BT /F1 12 Tf 72 720 Td (Budget 727.41) Tj ET",
                        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    assert read_bytes(pdf, "a.pdf").text == "Budget 727.41"


def test_pdf_memory_bomb_costs_one_file_not_the_process(monkeypatch):
    from perfboard.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MEMORY_LIMIT", 1024**3)  # fail sooner than the default
    with pytest.raises(ReadError) as info:
        read_bytes(make_width_bomb_pdf(), "bomb.pdf")
    assert info.value.code == "too_complex"
    assert info.value.zh


def test_pdf_time_limit(monkeypatch):
    from perfboard.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "TIME_LIMIT", 0.01)
    with pytest.raises(ReadError) as info:
        read_bytes(make_pdf(), "slow.pdf")
    assert info.value.code == "too_complex"


def test_unmapped_glyphs_are_not_text():
    from perfboard.readers.pdf import _readable

    assert _readable("预算执行率 94.01%")
    assert _readable("预算(cid:12)执行率 94.01%")  # one unmapped symbol among text
    assert not _readable("(cid:1234)(cid:567)(cid:89) (cid:1)")
    assert not _readable("  \n ")


# ---------------------------------------------------------------- plain text

def test_gbk_text_is_decoded():
    raw = f"{AGENCY}：部门年度预算收入７２７.４１万元".encode("gbk")
    doc = read_bytes(raw, "report.txt")
    assert AGENCY in doc.text
    assert "727.41万元" in doc.text  # full-width digits normalised
    assert doc.encoding == "gb18030"


def test_utf8_bom_is_decoded():
    doc = read_bytes("\ufeff预算完成率94.01%".encode("utf-8"), "report.txt")
    assert doc.text == "预算完成率94.01%"
    assert doc.encoding == "utf-8"


# ---------------------------------------------------------------- bad input

BAD_INPUTS = {
    "empty": (lambda: b"", "a.txt", "empty"),
    "random_txt": (lambda: _random_bytes(4096), "a.txt", "binary"),
    "random_pdf": (lambda: _random_bytes(4096, 1), "a.pdf", "corrupt"),
    "truncated_pdf": (lambda: make_pdf()[:400], "a.pdf", "corrupt"),
    "truncated_docx": (lambda: make_docx()[:200], "a.docx", "corrupt"),
    "truncated_xlsx": (lambda: make_xlsx()[:200], "a.xlsx", "corrupt"),
    "pdf_as_docx": (lambda: make_pdf(), "a.docx", "corrupt"),
    "xlsx_as_docx": (lambda: make_xlsx(), "a.docx", "corrupt"),
    "encrypted_pdf": (make_encrypted_pdf, "a.pdf", "encrypted"),
    "encrypted_office": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
                         + "EncryptedPackage".encode("utf-16-le"), "a.docx", "encrypted"),
    "scanned_pdf": (make_scanned_pdf, "a.pdf", "no_text"),
    "unknown_suffix": (lambda: b"MZ\x90\x00", "setup.exe", "unknown_type"),
    "no_suffix": (lambda: b"hello", "README", "unknown_type"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_raises_read_error(case):
    make, name, code = BAD_INPUTS[case]
    with pytest.raises(ReadError) as info:
        read_bytes(make(), name)
    assert info.value.code == code
    assert info.value.zh and info.value.en
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("suffix,member", [(".docx", "word/document.xml"), (".xlsx", "xl/worksheets/sheet1.xml")])
def test_zip_bomb(tmp_path, suffix, member):
    path = tmp_path / f"bomb{suffix}"
    write_zip_bomb(path, member)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.code == "zip_bomb"
    assert info.value.zh


def test_many_small_members_add_up_to_a_bomb(tmp_path):
    # each member under the per-member ratio check, together over the total limit
    path = tmp_path / "many.xlsx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(25):
            with zf.open(f"xl/media/{i}.bin", "w") as out:
                for _ in range(9):
                    out.write(chunk)
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.code == "zip_bomb"


def test_too_large_refused_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: no disk or memory used
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.code == "too_large"
    assert info.value.zh
    with pytest.raises(ReadError) as info:
        read_bytes(b"x" * (MAX_BYTES + 1), "a.txt")
    assert info.value.code == "too_large"


# ---------------------------------------------------------------- fuzz

SUFFIXES = [".txt", ".pdf", ".docx", ".xlsx"]
PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


def _read_or_read_error(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except ReadError as exc:
        assert exc.code and exc.zh
    else:
        assert doc.text.strip()


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_fuzz_random_bytes(prefix, body, suffix):
    _read_or_read_error(prefix + body, "fuzz" + suffix)


_VALID = {".pdf": make_pdf, ".docx": make_docx, ".xlsx": make_xlsx}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from(sorted(_VALID)), data=st.data())
def test_fuzz_damaged_real_files(suffix, data):
    """Real files truncated or with bytes overwritten: damage found deep inside a parser."""
    blob = bytearray(_VALID[suffix]())
    cut = data.draw(st.integers(min_value=1, max_value=len(blob)), label="cut")
    blob = blob[:cut]
    for _ in range(data.draw(st.integers(min_value=0, max_value=8), label="flips")):
        pos = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
        blob[pos] = data.draw(st.integers(min_value=0, max_value=255))
    _read_or_read_error(bytes(blob), "damaged" + suffix)
