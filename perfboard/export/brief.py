"""The one-click brief: a PPTX deck and a DOCX document with the same content — a title
with scope and date, one page per key chart with its computed summary, and the list of
source reports."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import duckdb
import plotly.graph_objects as go
import polars as pl

from perfboard import queries
from perfboard.export import images, summaries
from perfboard.filters import KIND_LABELS, MAX_UNITS, Filters

KIND_NOTE = "部门整体与项目评价数据分别列示，不合并计算。"


@dataclass
class Section:
    title: str
    figure: go.Figure
    lines: list[str]
    image: bytes | None = None


@dataclass
class Brief:
    title: str
    scope: str
    generated: dt.date
    sections: list[Section] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def build(con: duckdb.DuckDBPyConnection, filters: Filters, generated: dt.date | None = None,
          with_images: bool = True, max_units: int | None = MAX_UNITS) -> Brief:
    """The brief of the filters' first `max_units` departments by key, like the dashboard's
    charts: a page of bars for thousands of departments is neither readable nor quick."""
    generated = generated or dt.date.today()
    data = queries.run(con, "brief.summarised_figures", **filters.params(), max_units=max_units)
    reports = queries.run(con, "brief.sources", **filters.params(), max_units=max_units)
    scope = filters.describe()
    units = queries.run(con, "filters.departments", **filters.params()).height
    if max_units is not None and units > max_units:
        scope += f" ｜ 共 {units} 个单位，本简报只含按名称排序的前 {max_units} 个"
    brief = Brief(title="部门整体支出绩效简报", scope=scope, generated=generated,
                  sources=[f"{r['department']} {r['year']}年 {KIND_LABELS.get(r['report_kind'], '')}（{r['source_file']}）"
                           for r in reports.iter_rows(named=True)])
    grades = {f"{r['department']}{r['year']}年": r["score_grade"] for r in reports.iter_rows(named=True)}
    plan = [
        ("预算执行率", "budget.execution_rate_pct", "%", summaries.budget_lines(data)),
        ("信访总量", "petitions.total", "件", summaries.petition_lines(data)),
        ("群众满意率", "satisfaction.satisfaction_pct", "%", summaries.satisfaction_lines(data)),
        ("绩效自评得分", "score.total", "分", summaries.score_lines(data, grades)),
    ]
    names = sorted({r["source_file"] for r in reports.iter_rows(named=True)})
    for title, metric, unit, lines in plan:
        rows = data.filter(pl.col("metric") == metric)
        if rows.is_empty():
            continue
        fig = bar_by_department(rows, f"{title}（{unit}）", unit)
        section = Section(title, fig, lines)
        if with_images:
            section.image = images.chart_image(fig, "png", names, generated=generated)
        brief.sections.append(section)
    return brief


def bar_by_department(rows: pl.DataFrame, title: str, unit: str) -> go.Figure:
    """Grouped bars: one bar per department (and subject), one colour per year; marks in labels."""
    fig = go.Figure()
    for year in sorted(rows["year"].unique()):
        part = rows.filter(pl.col("year") == year).to_dicts()
        labels = [r["department"] + (f"·{r['subject']}" if r.get("subject") else "") + summaries.marks(r)
                  for r in part]
        fig.add_bar(name=f"{year}年", x=labels, y=[r["value"] for r in part],
                    text=[f"{r['value']:,.2f}" if unit != "件" else f"{r['value']:,.0f}" for r in part],
                    textposition="outside")
    fig.update_layout(title=title, yaxis_title=unit, barmode="group", legend_title_text="年度")
    return fig


def to_pptx(brief: Brief) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    title_slide.shapes.title.text = brief.title
    title_slide.placeholders[1].text = f"范围：{brief.scope}\n生成日期：{brief.generated.isoformat()}"
    for section in brief.sections:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = section.title
        if section.image:
            slide.shapes.add_picture(io.BytesIO(section.image), Inches(0.5), Inches(1.4), width=Inches(8.2))
        box = slide.shapes.add_textbox(Inches(8.9), Inches(1.6), Inches(4.1), Inches(5))
        frame = box.text_frame
        frame.word_wrap = True
        for k, line in enumerate(section.lines + [KIND_NOTE]):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(16 if k < len(section.lines) else 11)
    closing = deck.slides.add_slide(deck.slide_layouts[1])
    closing.shapes.title.text = "数据来源"
    body = closing.placeholders[1].text_frame
    for k, source in enumerate(brief.sources or ["（无）"]):
        para = body.paragraphs[0] if k == 0 else body.add_paragraph()
        para.text = source
        para.font.size = Pt(14)
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


def to_docx(brief: Brief) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading(brief.title, level=0)
    document.add_paragraph(f"范围：{brief.scope}")
    document.add_paragraph(f"生成日期：{brief.generated.isoformat()}")
    for section in brief.sections:
        document.add_heading(section.title, level=1)
        if section.image:
            document.add_picture(io.BytesIO(section.image), width=Cm(16))
        for line in section.lines:
            document.add_paragraph(line)
    document.add_paragraph(KIND_NOTE)
    document.add_heading("数据来源", level=1)
    for source in brief.sources or ["（无）"]:
        document.add_paragraph(source, style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
