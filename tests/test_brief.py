"""A brief of 40 fictional units × 4 years (`perfboard synth`), made by the CLI and opened
with python-pptx / python-docx as a reader's Office would: 16:9 slides with every box on
the slide, A4 pages with margins, a year in every page's title, the generation date in
every footer, sources named by unit, year and document (never a stored file name), and
charts of many units drawn as the highest and lowest ten with the rest's median."""
from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from perfboard import db
from perfboard.export import brief, images
from perfboard.filters import Filters

from conftest import ROOT  # noqa: E402
needs_chromium = pytest.mark.skipif(images.browser_path() is None, reason="no Chromium on this machine")
HASHY = re.compile(r"[0-9a-f]{16}|\.txt\b|synth_\d+", re.IGNORECASE)
EMU_PER_INCH = 914400


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def units40(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("brief40")
    run = cli("synth", "--departments", "40", "--years", "4", "--out", str(work / "corpus"))
    assert run.returncode == 0, run.stderr
    path = work / "units40.duckdb"
    run = cli("ingest", str(work / "corpus"), "--db", str(path))
    assert run.returncode == 0, run.stderr
    return path


@pytest.fixture(scope="module")
def deck(units40, tmp_path_factory):
    from pptx import Presentation
    out = tmp_path_factory.mktemp("deck") / "brief.pptx"
    run = cli("brief", "--out", str(out), "--db", str(units40))
    assert run.returncode == 0, run.stderr
    return Presentation(str(out))


def slide_text(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


@needs_chromium
def test_deck_is_16_9_with_every_box_on_the_slide(deck):
    width, height = deck.slide_width, deck.slide_height
    assert abs(width / EMU_PER_INCH - 13.333) < 0.01 and abs(height / EMU_PER_INCH - 7.5) < 0.01
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            box = (shape.left, shape.top, shape.left + shape.width, shape.top + shape.height)
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height, (number, shape.name, box)
        # laid out for the wide slide, not a 4:3 layout stretched: the title spans it
        title = slide.shapes.title
        assert title.left + title.width >= 0.9 * width, (number, title.text)


def text_height(shape) -> float:
    """Points the shape's text needs, wrapped at its width: a CJK character is about as wide
    as the font is high, ASCII about half (a cautious estimate, not a renderer)."""
    frame = shape.text_frame
    width = (shape.width - frame.margin_left - frame.margin_right) / 12700   # EMU → pt
    needed = frame.margin_top / 12700 + frame.margin_bottom / 12700
    for para in frame.paragraphs:
        size = max((r.font.size.pt for r in para.runs if r.font.size), default=18)
        chars = sum(0.55 if ord(ch) < 128 else 1 for ch in para.text)
        lines = max(1, math.ceil(chars * size / width))
        needed += lines * size * 1.2 + (para.space_after.pt if para.space_after is not None else 0)
    return needed


@needs_chromium
def test_every_text_fits_its_box(deck):
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                assert text_height(shape) <= shape.height / 12700, (number, shape.text_frame.text[:40])


@needs_chromium
def test_every_chart_slide_names_one_year_and_every_footer_the_date(deck):
    slides = list(deck.slides)
    today = f"生成于 {dt.date.today().isoformat()}"
    charts = [s for s in slides if any(shape.shape_type == 13 for shape in s.shapes)]
    assert len(charts) >= 4
    for slide in charts:
        assert re.fullmatch(r".+ · 20\d\d 年", slide.shapes.title.text), slide.shapes.title.text
    assert re.search(r"（20\d\d(–20\d\d)? 年）$", slides[0].shapes.title.text)
    for number, slide in enumerate(slides, start=1):
        lowest = max((s for s in slide.shapes if s.has_text_frame), key=lambda s: s.top)
        assert today in lowest.text_frame.text and f"{number}/{len(slides)}" in lowest.text_frame.text
    # no year compared with another: the synthetic corpus ends in 2018, each metric's page is of 2018
    assert {s.shapes.title.text.rsplit(" · ", 1)[1] for s in charts} == {"2018 年"}


def test_a_range_leaving_years_out_gets_a_page_per_year(units40):
    con = db.connect_read(units40)
    try:
        ranged = brief.build(db.cursor(con), Filters(year_from=2017, year_to=2018), with_images=False)
        whole = brief.build(db.cursor(con), Filters(year_from=2015, year_to=2018), with_images=False)
    finally:
        con.close()
    assert [s.title for s in ranged.sections][:4] == ["预算执行率 · 2017 年", "预算执行率 · 2018 年",
                                                      "预算执行率（项目评价） · 2017 年", "预算执行率（项目评价） · 2018 年"]
    assert {s.year for s in ranged.sections} == {2017, 2018}
    assert {s.year for s in whole.sections} == {2018} and len(whole.sections) == 7


@needs_chromium
def test_many_units_are_summed_up_and_sources_are_named_not_filed(deck):
    slides = list(deck.slides)
    budget = next(s for s in slides if s.shapes.title.text == "预算执行率 · 2018 年")
    caption = " ".join(slide_text(budget))
    assert re.search(r"(\d+) 个单位，按预算执行率从高到低排列；列出最高 10 个与最低 10 个，其余 \d+ 个以中位数表示", caption)
    sources = [s for s in slides if s.shapes.title.text.startswith("数据来源")]
    lines = [line for s in sources for t in slide_text(s)[1:-1] for line in t.splitlines()]
    assert "示例一市样七区信访局 · 2018 年 · 部门整体支出绩效自评报告" in lines
    assert any(re.fullmatch(r"示例.+ · 2018 年 · 项目绩效评价报告（.+）", line) for line in lines)
    everything = "\n".join(t for s in slides for t in slide_text(s))
    assert not HASHY.search(everything), HASHY.search(everything)


@needs_chromium
def test_docx_is_a4_with_margins_a_dated_footer_and_named_sources(units40, tmp_path):
    import docx
    from docx.shared import Cm
    out = tmp_path / "brief.docx"
    run = cli("brief", "--out", str(out), "--db", str(units40))
    assert run.returncode == 0, run.stderr
    document = docx.Document(str(out))
    for section in document.sections:
        assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
        assert min(section.left_margin, section.right_margin, section.top_margin, section.bottom_margin) >= Cm(2)
        text_width = section.page_width - section.left_margin - section.right_margin
        assert f"生成于 {dt.date.today().isoformat()}" in section.footer.paragraphs[0].text
    assert len(document.inline_shapes) >= 4
    assert all(shape.width <= text_width for shape in document.inline_shapes)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "预算执行率 · 2018 年" in headings and headings[-1] == "数据来源"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "示例一市样七区信访局 · 2018 年 · 部门整体支出绩效自评报告" in text
    assert not HASHY.search(text), HASHY.search(text)


def test_a_chart_of_40_units_is_the_top_ten_the_rest_median_and_the_bottom_ten(units40):
    truth = duckdb.connect(str(units40), read_only=True)
    values = sorted((v for (v,) in truth.execute(
        "SELECT value FROM v_metrics m JOIN v_reports r USING (report_id) WHERE r.is_primary AND m.year = 2018 "
        "AND m.metric = 'budget.execution_rate_pct' AND m.report_kind = 'department_overall'").fetchall()),
        reverse=True)
    up, down, none = truth.execute(
        "WITH b AS (SELECT m.department_key, m.year, m.value FROM v_metrics m JOIN v_reports r USING (report_id) "
        "           WHERE r.is_primary AND m.metric = 'budget.execution_rate_pct' "
        "             AND m.report_kind = 'department_overall') "
        "SELECT count(*) FILTER (WHERE now.value > before.value), count(*) FILTER (WHERE now.value < before.value), "
        "       count(*) FILTER (WHERE before.value IS NULL) "
        "FROM b now LEFT JOIN b before ON before.department_key = now.department_key AND before.year = 2017 "
        "WHERE now.year = 2018").fetchall()[0]
    truth.close()
    assert len(values) > brief.SHOW_ALL
    con = db.connect_read(units40)
    try:
        content = brief.build(db.cursor(con), Filters(), with_images=False)
    finally:
        con.close()
    section = next(s for s in content.sections if s.title == "预算执行率 · 2018 年")
    bars = section.figure.data[0]
    assert bars.orientation == "h" and len(bars.y) == 21
    assert list(bars.x[:10]) == values[:10] and list(bars.x[11:]) == values[-10:]
    rest = values[10:-10]
    assert bars.y[10] == f"其余 {len(rest)} 个单位（中位数）" and bars.x[10] == pytest.approx(statistics.median(rest))
    assert section.figure.layout.yaxis.autorange == "reversed"   # the highest on top
    assert f"与各自2017年同口径数据相比：{up} 个上升、{down} 个下降；{none} 个无上年数据，不作比较。" in section.lines


@needs_chromium
def test_the_footer_sits_below_the_axis_labels_with_its_date_whole(units40):
    import xml.etree.ElementTree as ET
    con = db.connect_read(units40)
    try:
        content = brief.build(db.cursor(con), Filters(), with_images=False)
    finally:
        con.close()
    section = content.sections[0]
    svg = images.chart_image(section.figure, "svg", section.sources, generated=content.generated,
                             width=brief.CHART_W, height=section.height, margin=section.margin).decode()
    root = ET.fromstring(svg)
    chart, footer = list(root)       # the chart, then the footer's own strip below it
    chart_h = float(chart.get("height"))
    assert float(chart.get("y")) == 0 and float(footer.get("y")) == chart_h == section.height - images.FOOTER_PX
    part = ET.tostring(chart, encoding="unicode")
    axis_title = float(re.search(r'class="xtitle" x="[\d.]+" y="([\d.]+)"', part).group(1))
    ticks = [float(y) for y in re.findall(r'<ns0:g class="xtick"><ns0:text[^>]* y="([\d.]+)"', part)]
    assert ticks and max(ticks) < axis_title <= chart_h - 4      # ticks, then the axis title, inside the chart
    strip = ET.tostring(footer, encoding="unicode")
    assert f"生成于 {content.generated.isoformat()}" in strip and "生成于" not in part
    left = float(re.search(r'class="annotation".*?translate\(([\d.]+),', strip).group(1))
    width = float(re.search(r'<ns0:rect class="bg" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', strip).group(1))
    assert left + width <= brief.CHART_W                           # the line is whole, date included


def test_a_footer_of_many_sources_keeps_its_date():
    day = dt.date(2024, 3, 9)
    many = [f"示例{k}市样区信访局 · 2023 年 · 部门整体支出绩效自评报告" for k in range(500)]
    line = images.footer_text(many, day)
    assert line.endswith("生成于 2024-03-09") and "等 500 份报告" in line
    assert len(line) <= images.FOOTER_CHARS
    assert images.footer_text("一" * 300, day).endswith("… · 生成于 2024-03-09")


def test_a_part_year_total_is_not_compared_with_a_whole_year(units40):
    truth = duckdb.connect(str(units40), read_only=True)
    counts = truth.execute(
        "WITH p AS (SELECT m.department_key, m.year, m.value, coalesce(m.period_start, '') || coalesce(m.period_end, '')"
        "           AS months FROM v_metrics m JOIN v_reports r USING (report_id) WHERE r.is_primary "
        "           AND m.metric = 'petitions.total' AND m.report_kind = 'department_overall') "
        "SELECT count(*) FILTER (WHERE b.months = a.months AND a.value > b.value), "
        "       count(*) FILTER (WHERE b.months = a.months AND a.value < b.value), "
        "       count(*) FILTER (WHERE b.months <> a.months), count(*) FILTER (WHERE b.value IS NULL) "
        "FROM p a LEFT JOIN p b ON b.department_key = a.department_key AND b.year = 2017 WHERE a.year = 2018"
    ).fetchall()[0]
    truth.close()
    up, down, other, none = counts
    assert other > 0   # the synthetic corpus has 1–10月 totals beside whole years
    con = db.connect_read(units40)
    try:
        content = brief.build(db.cursor(con), Filters(), with_images=False)
    finally:
        con.close()
    lines = next(s for s in content.sections if s.title == "信访总量 · 2018 年").lines
    assert (f"与各自2017年同口径数据相比：{up} 个上升、{down} 个下降；{other} 个统计月份不同，不作比较；"
            f"{none} 个无上年数据，不作比较。") in lines


@pytest.mark.parametrize("head, kind, project, named", [
    ("温州市瓯海区信访局2022年度部门整体支出绩效自评报告", "department_overall", None, "部门整体支出绩效自评报告"),
    ("盘龙区信访局2021年 部门整体\n支出绩效自评报告", "department_overall", None, "部门整体支出绩效自评报告"),
    ("索引号 5305/2022-01 发布机构 保山市信访局 公开目录 自评报告\n部门整体支出绩效自评表（2021年度）",
     "department_overall", None, "部门整体支出绩效自评表"),
    ("| 项目支出绩效自评表 |\n| 项目名称 | 信访积案化解经费 |", "project", "信访积案化解经费",
     "项目支出绩效自评表（信访积案化解经费）"),
    ("宝鸡市渭滨区信访局2024年部门预算公开说明", "department_overall", None, "部门预算公开说明"),
    ("关于做好年度工作的通知", "project", None, "项目绩效报告"),
])
def test_a_source_is_named_by_the_document_its_title_names(head, kind, project, named):
    from perfboard.export import summaries
    assert summaries.document_title(head, kind, project) == named
    label = summaries.source_label(dict(department_key="云南省保山市信访局", year=2021, report_kind=kind,
                                        project_name=project, head=head))
    assert label == f"云南省保山市信访局 · 2021 年 · {named}"
