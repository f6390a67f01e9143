"""Text-layer PDFs as published reports are laid out (issue 12): ruled tables read from the
page's own ruling, a label wrapped away from its value, page numbers. Through the CLI
(`perfboard extract FILE.pdf --json`) on PDFs drawn here with fpdf2, and the corpus
rendered as PDFs (perfboard.evalpdf) scored against the same reports as text."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from perfboard import evalpdf
from perfboard.readers import read_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
FONT = evalpdf.cjk_font()

pytestmark = pytest.mark.skipif(FONT is None, reason="no TrueType CJK font (fonts-wqy-zenhei)")

TITLE = "兰州市七里河区信访局2023年度部门整体支出绩效自评报告"
WIDTH = 170.0
# a sentence whose label ("自评得分为") must end a printed line and its value begin the next
SCORE_SENTENCE = "本部门2023年度整体支出绩效自评得分为93.5分，自评等级为优。"
FILLER = "名专家对照部门整体支出绩效评价指标体系逐项核查资料、现场抽查并听取服务对象意见后综合评议，"


def _pdf():
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self):
            self.set_y(-14)
            self.set_font("cjk", size=8)
            self.cell(0, 4, f"第 {self.page_no()} 页", align="C")
            self.set_font("cjk", size=10.5)

    pdf = Report(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_font("cjk", "", FONT)
    pdf.set_font("cjk", size=10.5)
    pdf.add_page()
    return pdf


def _para(pdf, text: str) -> None:
    from fpdf.enums import WrapMode
    pdf.multi_cell(WIDTH, 6, text, align="J", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _wrapped_at_label(pdf) -> str:
    """FILLER cut so that the printed line ends right after "自评得分为", + SCORE_SENTENCE."""
    from fpdf.enums import WrapMode
    for experts in (3, 12, 105, 1203):  # digits are narrower: they move the break by less than a character
        for n in range(len(FILLER), 0, -1):
            text = f"经区财政局邀请{experts}" + FILLER[:n] + SCORE_SENTENCE
            lines = pdf.multi_cell(WIDTH, 6, text, wrapmode=WrapMode.CHAR, dry_run=True, output="LINES")
            if any(ln.endswith("自评得分为") for ln in lines):
                return text
    raise AssertionError("no cut of the filler wraps the score sentence after its label")


def report_pdf(budget_on_page_two: bool = False) -> bytes:
    pdf = _pdf()
    _para(pdf, TITLE)
    _para(pdf, "一、部门基本情况")
    _para(pdf, "兰州市七里河区信访局负责全区群众来信来访的受理、交办和督办工作，内设综合科、接访科、督查科三个科室，"
               "全年在编人员二十一人。")
    if budget_on_page_two:
        pdf.add_page()
    _para(pdf, "二、预算执行情况")
    pdf.set_font("cjk", size=9)
    with pdf.table(col_widths=(50, 30, 30, 30, 30), text_align="LEFT", first_row_as_headings=False) as table:
        row = table.row()
        row.cell("单位：万元")
        row.cell("年度预算执行情况", colspan=4)  # merged across: the reader writes it once
        for row in (("年度资金", "年初预算数", "全年预算数", "全年执行数", "执行率"),
                    ("年度资金总额", "420.00", "455.80", "447.62", "98.21%"),
                    ("其中：当年财政拨款", "420.00", "455.80", "447.62", "98.21%")):
            table.row(row)
    pdf.ln(3)
    pdf.set_font("cjk", size=10.5)
    _para(pdf, "三、绩效指标完成情况")
    pdf.set_font("cjk", size=9)
    with pdf.table(col_widths=(26, 30, 44, 24, 24, 11, 11), text_align="LEFT", first_row_as_headings=False) as table:
        table.row(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"))
        row = table.row()
        row.cell("产出指标", rowspan=2)  # merged down: the reader repeats it in the row below
        for cell in ("数量指标", "受理群众信访事项", "≥2500件", "2718件", "20", "20"):
            row.cell(cell)
        row = table.row()
        for cell in ("质量指标", "信访事项按期办结率", "≥95%", "97.3%", "20", "20"):
            row.cell(cell)
        table.row(("满意度指标", "服务对象满意度指标", "信访群众满意率", "≥90%", "94.6%", "10", "10"))
    pdf.ln(3)
    pdf.set_font("cjk", size=10.5)
    _para(pdf, "四、自评结论")
    _para(pdf, _wrapped_at_label(pdf))
    return bytes(pdf.output())


def extract(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "perfboard", "extract", str(path), "--json"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(run.stdout)[0]


def plain_lines(data: bytes) -> list[str]:
    """What pdfplumber's plain extract_text prints: the page as it is set."""
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages).splitlines()


def test_ruled_tables_and_a_wrapped_label_through_the_cli(tmp_path):
    data = report_pdf()
    # the PDF is laid out as a published one: the label ends a line, its value starts the
    # next, and a table row's cells are only spaced apart
    lines = plain_lines(data)
    assert any(ln.endswith("自评得分为") for ln in lines)
    assert any(ln.startswith("93.5分") for ln in lines)
    assert "年度资金总额 420.00 455.80 447.62 98.21%" in lines
    path = tmp_path / "qilihe.pdf"
    path.write_bytes(data)
    got = extract(path)
    assert got["department"] == "兰州市七里河区信访局" and got["evaluated_year"] == 2023
    assert got["budget"] == {"initial_wan": 420.0, "adjusted_wan": 455.8, "actual_wan": 447.62,
                             "execution_rate_pct": 98.21}
    assert got["score"] == {"total": 93.5, "grade": "优"}
    rows = {i["level3"]: i for i in got["indicators"]}
    assert rows["受理群众信访事项"]["target"] == "≥2500件" and rows["受理群众信访事项"]["actual"] == "2718件"
    # the row under the merged 产出指标 cell has its level 1 too
    assert rows["信访事项按期办结率"]["level1"] == "产出指标"
    assert rows["信访事项按期办结率"]["actual"] == "97.3%"
    assert rows["信访群众满意率"]["actual"] == "94.6%"
    assert [s["satisfaction_pct"] for s in got["satisfaction"]] == [94.6]


def test_table_rows_page_map_and_page_numbers(tmp_path):
    path = tmp_path / "two-pages.pdf"
    path.write_bytes(report_pdf(budget_on_page_two=True))
    doc = read_path(path)
    lines = doc.text.splitlines()
    assert "年度资金总额 | 420.00 | 455.80 | 447.62 | 98.21%" in lines
    assert "单位:万元 | 年度预算执行情况" in lines
    assert "产出指标 | 质量指标 | 信访事项按期办结率 | ≥95% | 97.3% | 20 | 20" in lines
    assert any("自评得分为93.5分" in ln for ln in lines)
    assert not [ln for ln in lines if re.fullmatch(r"第 ?\d+ ?页", ln.strip())]  # footers dropped
    assert doc.page_of(doc.text.index(TITLE)) == 1
    assert doc.page_of(doc.text.index("年度资金总额 |")) == 2
    assert doc.page_of(doc.text.index("93.5分")) == 2


def test_paragraph_over_a_page_break_is_one_line(tmp_path):
    pdf = _pdf()
    from fpdf.enums import WrapMode
    sentence = "全年共受理群众信访事项2718件，其中来信412件、来访603批次、网上信访1703件，同比上升4.2%"
    # short lines until one line is left on the page: the paragraph starts there, and goes on
    while pdf.get_y() + 12 <= pdf.page_break_trigger:
        pdf.cell(WIDTH, 6, "区信访局坚持和发展新时代枫桥经验", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(WIDTH, 6, "按信访形式统计，" + sentence + "。", align="J", wrapmode=WrapMode.CHAR,
                   new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    path = tmp_path / "break.pdf"
    path.write_bytes(data)
    doc = read_path(path)
    assert len(doc.page_starts) == 2
    assert any(unicodedata.normalize("NFKC", sentence) in ln for ln in doc.text.splitlines())
    assert doc.text.count("同比上升4.2%") == 1


@pytest.mark.skipif(not SCORER.exists(), reason="../shared not beside the repo")
def test_pdf_scores_within_002_of_text(tmp_path):
    """The issue's bar on a subset (the whole corpus is `make eval-pdf`, ~1 min on 2 cores):
    reports with every table shape the corpus has: a flattened cell-per-line 自评表 (004),
    a space-aligned form with wrapped cells (001), pipe indicator and budget tables (118,
    117), and a long seed with cells as blank-separated paragraphs over four pages (000)."""
    picks = {"dev": ("001", "004", "117", "118"), "seeds": ("000_6ba80dadf7886f78",)}
    text_dir, pdf_dir = tmp_path / "text", tmp_path / "pdf"
    for corpus, stems in picks.items():
        for stem in stems:
            for suffix in (".txt", ".json"):
                src = SHARED / "corpus" / corpus / (stem + suffix)
                (text_dir / corpus).mkdir(parents=True, exist_ok=True)
                (text_dir / corpus / src.name).write_bytes(src.read_bytes())
    scores = {}
    for corpus in picks:
        rendered = evalpdf.write_corpus(text_dir / corpus, pdf_dir)
        assert sorted(p.name for p in rendered.glob("*.pdf")) == sorted(f"{s}.pdf" for s in picks[corpus])
        scores[corpus] = (evalpdf.score(text_dir / corpus, SCORER)[0], evalpdf.score(rendered, SCORER)[0])
    for corpus, (as_text, as_pdf) in scores.items():
        assert as_text > 0.9, scores
        assert as_pdf >= as_text - 0.02, scores


def test_word_moved_down_whole_keeps_its_space(tmp_path):
    """Paragraphs set flush left and broken at spaces (a word processor's default for text
    with spaces): the line above ends short of the edge, and the word on the next line would
    not have fitted there; joined with the space it was broken at."""
    from fpdf.enums import WrapMode
    pdf = _pdf()
    tail = " 全年受理群众信访事项 2718件，同比上升4.2%。"
    for n in range(len(FILLER), 0, -1):
        text = "区信访局邀请" + FILLER[:n] + tail
        lines = pdf.multi_cell(WIDTH, 6, text, align="L", wrapmode=WrapMode.WORD, dry_run=True, output="LINES")
        short = WIDTH - pdf.get_string_width(lines[0].rstrip()) > 2 * pdf.get_string_width("信")
        if len(lines) == 2 and lines[0].rstrip().endswith("信访事项") and lines[1].startswith("2718件") and short:
            break
    else:
        raise AssertionError("no cut of the filler breaks the line before the count")
    pdf.multi_cell(WIDTH, 6, text, align="L", wrapmode=WrapMode.WORD, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(WIDTH, 6, "二、存在问题", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "ragged.pdf"
    path.write_bytes(bytes(pdf.output()))
    lines = read_path(path).text.splitlines()
    assert any(ln.endswith("全年受理群众信访事项 2718件,同比上升4.2%。") for ln in lines), lines
    assert "二、存在问题" in lines  # a heading after the paragraph's spacing stays a line of its own


def test_indented_paragraphs_are_joined(tmp_path):
    """Chinese paragraphs start two characters in; their lines go on at the margin. In a
    report of short paragraphs most lines are indented first lines."""
    from fpdf.enums import WrapMode
    pdf = _pdf()
    facts = ["全年共受理群众信访事项2718件，其中来信412件、来访603批次、网上信访1703件，同比上升4.2个百分点，"
             "按期办结率98.6%。",
             "全年预算执行数447.62万元，其中基本支出312.40万元、项目支出135.22万元，预算执行率98.21%，"
             "较上年提高1.3个百分点。",
             "组织开展信访群众满意度回访，共回访群众1200人次，群众满意率94.6%，较上年提高0.8个百分点，"
             "回访覆盖全部街道。"]
    short = ["一是加强信访干部业务培训。", "二是完善领导接访下访制度。", "三是推进信访信息系统应用。", "四是落实首问负责制。"]
    for text in facts + short:
        pdf.multi_cell(WIDTH, 6, "\u3000\u3000" + text, align="J", wrapmode=WrapMode.CHAR,
                       new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "indented.pdf"
    path.write_bytes(bytes(pdf.output()))
    printed = [ln for ln in plain_lines(path.read_bytes()) if not ln.startswith("第 ")]  # less the page number
    assert len(printed) == 2 * len(facts) + len(short)  # each fact wraps once
    lines = read_path(path).text.splitlines()
    for fact in facts:
        assert unicodedata.normalize("NFKC", fact) in lines
    assert lines[-4:] == short
