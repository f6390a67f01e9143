"""Briefing exports: the PPTX/DOCX brief through the CLI, chart images with Chinese
glyphs, CSV with BOM and XLSX with a filter sheet."""
import io
import subprocess
import sys

import duckdb
import plotly.graph_objects as go
import polars as pl
import pytest

from conftest import ON_CI, ROOT
from perfboard import load
from perfboard.export import images, tables

# under CI=true these run without Chromium too, and fail: a missing browser is not a pass
needs_chromium = pytest.mark.skipif(images.browser_path() is None and not ON_CI, reason="no Chromium on this machine")


@pytest.fixture(scope="module")
def db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "seed.duckdb"
    load.ingest_paths([ROOT / "data" / "reports"], path)
    return path


def brief_cli(db_file, out, *filters):
    return subprocess.run([sys.executable, "-m", "perfboard", "brief", "--out", str(out), "--db", str(db_file),
                           *filters], cwd=ROOT, capture_output=True, text=True, timeout=300)


@needs_chromium
def test_pptx_deck_has_title_a_slide_per_chart_and_year_and_sources(db_file, tmp_path):
    from pptx import Presentation
    out = tmp_path / "brief.pptx"
    run = brief_cli(db_file, out)
    assert run.returncode == 0, run.stderr
    deck = Presentation(str(out))
    slides = list(deck.slides)
    # each metric's latest year, whole-department and project pages apart: budget 2023 (盐田;
    # 白云's project), petitions 2022, satisfaction 2022 (and 白云's project 2023), score 2023 (both)
    assert len(slides) == 1 + 7 + 1
    assert slides[0].shapes.title.text == "部门整体支出绩效简报（2022–2023 年）"
    assert "全部地区 ｜ 全部单位" in slides[0].placeholders[1].text
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 7
    text = {slide.shapes.title.text: " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            for slide in slides}
    assert list(text)[1:-1] == ["预算执行率 · 2023 年", "预算执行率（项目评价） · 2023 年", "信访总量 · 2022 年",
                                "群众满意率 · 2022 年", "群众满意率（项目评价） · 2023 年", "绩效自评得分 · 2023 年",
                                "绩效自评得分（项目评价） · 2023 年"]
    assert "深圳市盐田区信访局，为99.59%" in text["预算执行率 · 2023 年"]
    assert "无2022年同口径数据，不作趋势判断" in text["预算执行率 · 2023 年"]  # one year only: no trend invented
    assert "广州市白云区信访局，为98.88%（项目）" in text["预算执行率（项目评价） · 2023 年"]
    assert "16,992件" in text["信访总量 · 2022 年"] and "1–10月" in text["信访总量 · 2022 年"]
    assert "1,676件上升41.5%" in text["信访总量 · 2022 年"]
    # the public's satisfaction stands for each report, as on the dashboard's cards
    assert "广州市从化区信访局（群众），为98.77%" in text["群众满意率 · 2022 年"]
    assert "78.00%" not in text["群众满意率 · 2022 年"]    # 盘龙's 责任单位 figure is not its headline
    assert "昆明市盘龙区信访局 · 2022 年 · 部门整体支出绩效自评报告" in text["数据来源"]
    assert "广州市天河区信访局 · 2022 年 · 部门整体支出绩效自评表" in text["数据来源"]
    assert ".txt" not in text["数据来源"] and "94b8458f609bc2e0" not in text["数据来源"]


@needs_chromium
def test_docx_brief_same_content_filtered(db_file, tmp_path):
    import docx
    out = tmp_path / "brief.docx"
    run = brief_cli(db_file, out, "--city", "广州市")
    assert run.returncode == 0, run.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "范围：广州市 ｜ 全部单位" in text
    assert len(document.inline_shapes) == 7
    assert "广州市天河区信访局，为94.01%" in text
    assert "盐田" not in text and "盘龙" not in text


@needs_chromium
def test_a_year_filter_gets_a_page_per_year_a_range_of_every_year_does_not(db_file, tmp_path):
    from pptx import Presentation

    def titles(*filters):
        out = tmp_path / "range.pptx"
        run = brief_cli(db_file, out, "--kind", "department_overall", *filters)
        assert run.returncode == 0, run.stderr
        return [slide.shapes.title.text for slide in Presentation(str(out)).slides][1:-1]
    assert titles("--year-from", "2023") == ["预算执行率 · 2023 年", "绩效自评得分 · 2023 年"]
    # 2022–2023 is every year the seed has (the dashboard's default range): each metric's latest year
    latest = ["预算执行率 · 2023 年", "信访总量 · 2022 年", "群众满意率 · 2022 年", "绩效自评得分 · 2023 年"]
    assert titles("--year-from", "2022", "--year-to", "2023") == latest == titles()


def test_brief_without_data_or_with_a_bad_suffix_says_so(db_file, tmp_path):
    run = brief_cli(db_file, tmp_path / "x.pptx", "--province", "西藏自治区")
    assert run.returncode == 1 and "没有数据" in run.stderr
    run = brief_cli(db_file, tmp_path / "x.pdf")
    assert run.returncode == 2 and ".pptx" in run.stderr


@needs_chromium
def test_png_is_wide_and_chinese_glyphs_are_drawn():
    def png(title):
        fig = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]))
        return images.chart_image(fig, "png", ["测试.txt"], title=title)
    first, second = png("预算执行率对比"), png("信访总量变化情况")
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(first[16:20], "big")
    assert width >= 1600
    # without a CJK font every character is the same missing-glyph box, so two different
    # Chinese titles of similar length would render alike; drawn glyphs make them differ
    assert first != second
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert images.CJK_FONT.split(",")[0] in fonts


@needs_chromium
def test_svg_export():
    svg = images.chart_image(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), "svg", [], title="满意度")
    assert svg.lstrip().startswith(b"<svg") and "生成于".encode() in svg


def test_no_chromium_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(images, "_started", False)
    monkeypatch.setattr(images, "browser_path", lambda: None)
    with pytest.raises(images.NoBrowser) as err:
        images.render(go.Figure(), "png")
    assert "Chromium" in err.value.zh


def test_csv_has_bom_and_xlsx_has_filter_sheet():
    df = pl.DataFrame({"单位": ["盘龙区信访局"], "实际支出（万元）": [284.63]})
    data = tables.csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf") and "盘龙区信访局".encode() in data
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(tables.xlsx_bytes({"预算执行": df}, {"城市": "昆明市", "年度": None})))
    assert book.sheetnames == ["筛选条件", "预算执行"]
    assert [c.value for c in book["筛选条件"][3]] == ["年度", "全部"]
    assert book["预算执行"]["B2"].value == 284.63


def test_an_image_footer_of_many_reports_counts_them_without_fetching_them(db_file):
    from perfboard import db, queries
    from perfboard.export import summaries
    con = db.connect_read(db_file)
    try:
        def counted(**filters):
            params = {"province": None, "city": None, "departments": None, "year_from": None, "year_to": None,
                      "kind": None, "max_units": None, **filters}
            return queries.run(con, "brief.footer", **params).row(0, named=True), params

        every, _ = counted()
        unfetched = lambda: pytest.fail("more than two reports are counted, not fetched")  # noqa: E731
        assert summaries.footer_sources(every, unfetched) == "5 个单位的 5 份报告，2022–2023 年"
        one_year, _ = counted(year_to=2022)
        assert summaries.footer_sources(one_year, unfetched) == "3 个单位的 3 份报告，2022 年"
        yunnan, params = counted(province="云南省")
        labels = summaries.footer_sources(yunnan, lambda: queries.run(con, "brief.sources", **params))
        assert labels == ["昆明市盘龙区信访局 · 2022 年 · 部门整体绩效报告"]
        nothing, _ = counted(province="西藏自治区")
        assert nothing["reports"] == 0 and nothing["first_year"] is None
    finally:
        con.close()
