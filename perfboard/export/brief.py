"""The one-click brief: a PPTX deck (16:9) and a DOCX document (A4) with the same content —
a title with scope and date, one page per key chart and year with its computed summary,
and the list of source reports named as unit · year · document.

Which years: a page compares the units of one year, and says which in its title. Without
a year filter (or with a range spanning every year there is, the dashboard's default) each
metric gets the latest year in scope that has it; with a range that leaves years out (or
one year) every year of the range that has it gets a page. Whole-department and
project figures get pages of their own (never ranked together).

Many units: a page draws the units as bars sorted by value; above SHOW_ALL units it draws
the EDGE highest and the EDGE lowest and one grey bar for the median of the rest, so a
chart of 40 or 3,000 units stays readable (perfboard.present.ranked: the dashboard's
charts follow the same rule)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import plotly.graph_objects as go
import polars as pl

from perfboard import queries
from perfboard.export import images, summaries
from perfboard.filters import Filters
from perfboard.present import ranked
from perfboard.present.format import cut, document_notes, text_width
from perfboard.style import COLORS, FAINT, INK, MUTED
from perfboard.style import FONT_FAMILY as CJK_FONT

KIND_NOTE = "部门整体与项目评价数据分别列示，不合并计算。"
YEAR_NOTE = ("每页比较同一年度的各单位：未限定年度时取各指标最近一年，限定了年度范围时每年一页；"
             "部门整体与项目评价分页列示，不合并比较。")
DEMO_NOTE = "示例数据，虚构：本简报的单位与数字均为虚构，仅供演示。"
SHOW_ALL, EDGE = ranked.SHOW_ALL, ranked.EDGE   # the dashboard's rule (perfboard.present.ranked)
ROW_PX = 26          # image height per bar: two units get a short image, not two slabs
CHART_W, CHART_H = 1000, 640       # px of the chart image (PNG at twice that): width, greatest height
PPTX_SOURCES_PER_SLIDE = 20
PPTX_SOURCES = 100   # listed on the deck's source pages; the rest are counted
DOCX_SOURCES = 500


@dataclass(frozen=True)
class Metric:
    title: str
    metric: str
    unit: str
    lines: Callable[..., list[str]]


PLAN = [
    Metric("预算执行率", "budget.execution_rate_pct", "%", summaries.budget_lines),
    Metric("信访总量", "petitions.total", "件", summaries.petition_lines),
    Metric("群众满意率", "satisfaction.satisfaction_pct", "%", summaries.satisfaction_lines),
    Metric("绩效自评得分", "score.total", "分", summaries.score_lines),
]
KINDS = {"department_overall": "", "project": "（项目评价）"}


@dataclass
class Section:
    title: str             # names the year: 预算执行率 · 2023 年
    year: int
    kind: str
    figure: go.Figure
    lines: list[str]
    caption: str           # what the chart shows (how many units, which of them)
    sources: list[str] | str   # the image footer's sources
    margin: dict = field(default_factory=dict)
    height: int = CHART_H      # px of the image
    image: bytes | None = None


@dataclass
class Brief:
    title: str
    scope: str
    generated: dt.date
    coverage: str = ""     # units, reports and years in scope
    demo: str | None = None
    sections: list[Section] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def years(self) -> str:
        years = sorted({s.year for s in self.sections})
        if not years:
            return ""
        return f"{years[0]} 年" if len(years) == 1 else f"{years[0]}–{years[-1]} 年"

    @property
    def heading(self) -> str:
        return f"{self.title}（{self.years}）" if self.years else self.title


def build(con: duckdb.DuckDBPyConnection, filters: Filters, generated: dt.date | None = None,
          with_images: bool = True, max_units: int | None = None) -> Brief:
    """The brief of every unit inside the filters (or of the first `max_units` by key)."""
    generated = generated or dt.date.today()
    # the year before the range too: a page compares each unit with its own previous year
    wider = dataclasses.replace(filters, year_from=filters.year_from - 1) if filters.year_from else filters
    reports = queries.run(con, "brief.sources", **wider.params(), max_units=max_units)
    every_year = _narrows_years(con, filters)
    read = wider
    if not every_year:  # a page per metric, of its latest year compared with the year before: read those years only
        latest = queries.run(con, "brief.latest_years", **wider.params(), max_units=max_units)
        if latest.height:
            first = latest["year"].min() - 1
            read = dataclasses.replace(wider, year_from=max(first, wider.year_from or first))
    data = queries.run(con, "brief.summarised_figures", **read.params(), max_units=max_units)
    demo = queries.run(con, "db.demo")
    in_range = _in_range(filters)
    scoped = in_range(reports)
    scope = filters.describe()
    if max_units is not None:
        units = queries.run(con, "filters.departments", **filters.params()).height
        if units > max_units:
            scope += f" ｜ 共 {units} 个单位，本简报只含按名称排序的前 {max_units} 个"
    brief = Brief(title="项目绩效简报" if filters.kind == "project" else "部门整体支出绩效简报", scope=scope,
                  generated=generated, demo=DEMO_NOTE if demo.height else None,
                  coverage=_coverage(scoped))
    # one satisfaction subject per report (the public's first), as on the dashboard's cards
    data = data.filter((pl.col("metric") != "satisfaction.satisfaction_pct") | pl.col("headline"))
    used: set[str] = set()
    for plan in PLAN:
        for kind, kind_label in KINDS.items():
            part = data.filter(pl.col("report_kind") == kind)
            shown = in_range(part.filter((pl.col("metric") == plan.metric) & pl.col("value").is_not_null()))
            if shown.is_empty():
                continue
            years = sorted(shown["year"].unique()) if every_year else [shown["year"].max()]
            for year in years:
                rows = shown.filter(pl.col("year") == year)
                used |= set(rows["report_id"])
                brief.sections.append(_section(plan, kind, kind_label, year, rows, part, reports))
    reports = _titled(con, reports, used)   # the rows every page and the source list name
    brief.sources = summaries.source_labels(reports)
    for section in brief.sections:
        if isinstance(section.sources, list):      # two reports or fewer: named in the image footer
            section.sources = summaries.source_labels(reports.filter(pl.col("report_id").is_in(section.sources)))
        if with_images:
            section.image = images.chart_image(section.figure, "png", section.sources, generated=generated,
                                               width=CHART_W, height=section.height, margin=section.margin)
    return brief


def _titled(con: duckdb.DuckDBPyConnection, reports: pl.DataFrame, ids: set[str]) -> pl.DataFrame:
    """The reports `ids` with the title block each is named by."""
    chosen = reports.filter(pl.col("report_id").is_in(list(ids)))
    heads = queries.run(con, "brief.titles", report_ids=chosen["report_id"].to_list())
    return chosen.join(heads, on="report_id", how="left")


def _narrows_years(con: duckdb.DuckDBPyConnection, filters: Filters) -> bool:
    """Whether the year filter leaves out some year the other filters have: a page per year
    then. A range spanning every year (the dashboard's default) is no choice of years."""
    if filters.year_from is None and filters.year_to is None:
        return False
    span = queries.run(con, "filters.departments",
                       **dataclasses.replace(filters, year_from=None, year_to=None).params())
    if span.is_empty():
        return True
    first, last = span["first_year"].min(), span["last_year"].max()
    return (filters.year_from is not None and filters.year_from > first) or \
        (filters.year_to is not None and filters.year_to < last)


def _in_range(filters: Filters) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def keep(df: pl.DataFrame) -> pl.DataFrame:
        if filters.year_from is not None:
            df = df.filter(pl.col("year") >= filters.year_from)
        if filters.year_to is not None:
            df = df.filter(pl.col("year") <= filters.year_to)
        return df
    return keep


def _coverage(reports: pl.DataFrame) -> str:
    if reports.is_empty():
        return "没有报告"
    years = reports["year"].drop_nulls()
    span = f"{years.min()}–{years.max()} 年" if years.min() != years.max() else f"{years.min()} 年"
    return f"{reports['department_key'].n_unique()} 个单位的 {reports.height} 份报告（{span}）"


def _section(plan: Metric, kind: str, kind_label: str, year: int, rows: pl.DataFrame, part: pl.DataFrame,
             reports: pl.DataFrame) -> Section:
    title = f"{plan.title}{kind_label} · {year} 年"
    if plan.metric == "score.total":
        grades = reports.filter(pl.col("report_id").is_in(rows["report_id"].to_list()))["score_grade"].to_list()
        lines = plan.lines(part, year, grades)
    else:
        lines = plan.lines(part, year)
    color = COLORS[1] if kind == "project" else COLORS[0]
    figure, margin, caption, height = ranked_bars(rows.to_dicts(), f"{title}（{plan.unit}）", plan.title, plan.unit,
                                                  color, noun="项目" if kind == "project" else "单位")
    behind = rows["report_id"].unique().to_list()
    # up to two reports by name (their ids until build() has their titles), more as a count
    sources: list[str] | str = behind if len(behind) <= 2 else f"{len(behind)} 份报告（{year} 年，清单见“数据来源”页）"
    return Section(title, year, kind, figure, lines, caption, sources, margin, height)


LABEL_PX = 13.5      # px per CJK character of a bar's name (13 px font)
LABEL_SHARE = 0.45   # of the image's width at most for the names; longer ones end in …


_width, _fit = text_width, cut  # one measure of a label's width, shared with the dashboard's charts


def ranked_bars(rows: list[dict], title: str, label: str, unit: str, color: str,
                noun: str = "单位") -> tuple[go.Figure, dict, str, int]:
    """Horizontal bars sorted from the highest value down, one per unit; above SHOW_ALL units
    the EDGE highest, a grey bar for the median of the rest, and the EDGE lowest. Returns
    the figure, the image margins and height it was laid out for, and a caption saying what
    it shows."""
    picked = ranked.summarise(rows)
    n = picked.total
    subjects = {r.get("subject") for r in rows}
    shared = subjects.pop() if len(subjects) == 1 else None   # one subject for all: said once, in the caption
    chars = (LABEL_SHARE * CHART_W - 24) / LABEL_PX

    def name(r: dict) -> str:
        own = summaries.unit_name(r) + (f"（{r['subject']}）" if r.get("subject") and not shared else "")
        return _fit(own, chars)
    def entry(r) -> dict:
        if isinstance(r, ranked.Rest):
            return dict(label=r.label(noun), value=r.median, color=MUTED, derived=False,
                        text=f"中位数 {summaries.fmt(r.median, unit)}")
        return dict(label=name(r), value=r["value"], color=color, derived=bool(r.get("derived")),
                    text=summaries.fmt(r["value"], unit) + summaries.marks(dict(r, report_kind=None)))
    entries = [entry(r) for r in picked.entries]
    caption = f"{n} 个{noun}，按{label}从高到低排列" if n > 1 else f"1 个{noun}"
    if shared:
        caption += f"（评价主体：{shared}）"
    if picked.rest is not None:
        caption += "；" + picked.caption
    if any(e["derived"] for e in entries):
        caption += "；斜线条为推算值"
    caption += "".join(f"；{note}" for note in document_notes(r for r in rows if r.get("value") is not None))
    seen: dict[str, int] = {}
    for e in entries:  # plotly merges bars of equal category names
        seen[e["label"]] = seen.get(e["label"], 0) + 1
        if seen[e["label"]] > 1:
            e["label"] += f" ({seen[e['label']]})"
    values = [e["value"] for e in entries]
    low, high = min(values), max(values)
    start = math.floor((low - 5) / 5) * 5 if unit in ("%", "分") and low > 50 else 0
    end = high + (high - start) * 0.22     # room for the value labels right of the longest bar
    # a rate or score axis is labelled up to 100 at most: no 102% beside the labels' room
    ticks = _ticks(start, min(end, 100)) if unit in ("%", "分") and high <= 100 else None
    fig = go.Figure(go.Bar(
        orientation="h", y=[e["label"] for e in entries], x=values, text=[e["text"] for e in entries],
        textposition="outside", cliponaxis=False, textfont=dict(size=13, color=INK),
        marker=dict(color=[e["color"] for e in entries],
                    pattern=dict(shape=["/" if e["derived"] else "" for e in entries], fgcolor="white")),
        hoverinfo="skip"))
    longest = max(_width(e["label"]) for e in entries)
    margin = dict(l=int(min(max(LABEL_PX * longest + 24, 120), LABEL_SHARE * CHART_W)), r=30, t=70, b=70)
    fig.update_layout(
        title=dict(text=title, x=0.02, xanchor="left", font=dict(size=20, color=INK)), showlegend=False,
        bargap=0.25,
        yaxis=dict(autorange="reversed", type="category", automargin=False, tickfont=dict(size=13)),
        xaxis=dict(title=dict(text=f"{label}（{unit}）", standoff=6, font=dict(size=14)), automargin=False,
                   range=[start, end], gridcolor="#eef0f3", ticksuffix="%" if unit == "%" else None,
                   tickmode="array" if ticks else None, tickvals=ticks,
                   ticktext=[f"{t:g}{'%' if unit == '%' else ''}" for t in ticks] if ticks else None,
                   tickformat=",d" if unit == "件" else None, tickfont=dict(size=12)),
        font=dict(family=CJK_FONT, color=INK))
    height = min(CHART_H, margin["t"] + margin["b"] + images.FOOTER_PX + ROW_PX * max(len(entries), 4))
    return fig, margin, caption, height


def _ticks(start: float, stop: float) -> list[float]:
    """Round tick values from start to stop, at most eight."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (stop - start) / s <= 8)
    first = math.ceil(start / step) * step
    return [first + k * step for k in range(int((stop - first) // step) + 1)]


# ── PPTX ────────────────────────────────────────────────────────────────────────────────

SLIDE_W, SLIDE_H = 13.333, 7.5      # inches: 16:9
SIDE = 0.5                          # left and right margin
FOOTER_TOP = 6.98
PICTURE_H = 5.3                     # inches from below the title to above the footer


def _rgb(hex_color: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(hex_color.lstrip("#"))


def _place(shape, left: float, top: float, width: float, height: float) -> None:
    from pptx.util import Inches
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)


EAST_ASIAN = CJK_FONT.split(",")[1].strip()   # 微软雅黑, what Chinese offices have


def _run(para, text: str, size: float, color: str, bold: bool = False) -> None:
    """The paragraph's text as one run with its own size, colour and East Asian typeface
    (run properties: PowerPoint lets a user change them later, unlike a paragraph's
    defaults, and the theme's typeface has no Chinese glyphs)."""
    from pptx.oxml.ns import qn
    from pptx.util import Pt
    para.clear()
    run = para.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _rgb(color)
    rpr = run.font._rPr
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.append(ea)   # after solidFill, as the schema orders them
    ea.set("typeface", EAST_ASIAN)


def _write(frame, lines: list[tuple[str, float, str]], spacing: float = 0.4) -> None:
    """(text, size in pt, colour) per paragraph, `spacing` × size after each."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE   # should a text still not fit: smaller, never outside
    for k, (text, size, color) in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        _run(para, text, size, color)
        para.space_after = Pt(size * spacing)


def _textbox(slide, left: float, top: float, width: float, height: float, lines, spacing: float = 0.4) -> None:
    from pptx.util import Inches
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _write(box.text_frame, lines, spacing)


def _footer(slide, brief: Brief, page: int, pages: int, sources_hint: bool) -> None:
    parts = ([brief.demo.split("：")[0]] if brief.demo else []) + [brief.heading]
    if sources_hint:
        parts.append("数据来源见“数据来源”页")
    parts += [f"生成于 {brief.generated.isoformat()}", f"{page}/{pages}"]
    _textbox(slide, SIDE, FOOTER_TOP, SLIDE_W - 2 * SIDE, 0.36, [(" ｜ ".join(parts), 10, FAINT)])


def _title(slide, text: str) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches
    title = slide.shapes.title
    _place(title, SIDE, 0.3, SLIDE_W - 2 * SIDE, 0.75)
    para = title.text_frame.paragraphs[0]
    _run(para, text, 28, INK, bold=True)
    para.alignment = PP_ALIGN.LEFT
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(SIDE), Inches(1.47), Inches(SLIDE_W - 2 * SIDE),
                                 Inches(0.04))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(COLORS[0])
    bar.line.fill.background()


def _source_pages(brief: Brief, per_page: int, cap: int) -> list[list[str]]:
    listed = brief.sources[:cap] or ["（无）"]
    if len(brief.sources) > cap:
        listed.append(f"另有 {len(brief.sources) - cap} 份报告未列出；完整清单见看板“数据与来源”页。")
    return [listed[k:k + per_page] for k in range(0, len(listed), per_page)]


def to_pptx(brief: Brief) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    source_pages = _source_pages(brief, PPTX_SOURCES_PER_SLIDE, PPTX_SOURCES)
    pages = 1 + len(brief.sections) + len(source_pages)

    first = deck.slides.add_slide(deck.slide_layouts[0])
    _place(first.shapes.title, 0.8, 1.7, SLIDE_W - 1.6, 1.3)
    _run(first.shapes.title.text_frame.paragraphs[0], brief.heading, 40, INK, bold=True)
    subtitle = first.placeholders[1]
    _place(subtitle, 0.8, 3.2, SLIDE_W - 1.6, 3.4)
    lines = [(brief.demo, 18, COLORS[3])] if brief.demo else []
    lines += [(f"范围：{brief.scope}", 18, INK), (f"数据：{brief.coverage}", 16, INK), (YEAR_NOTE, 14, FAINT),
              (f"生成日期：{brief.generated.isoformat()}", 16, INK)]
    _write(subtitle.text_frame, lines)
    _footer(first, brief, 1, pages, sources_hint=False)

    for k, section in enumerate(brief.sections, start=2):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        _title(slide, section.title)
        _textbox(slide, SIDE, 1.02, SLIDE_W - 2 * SIDE, 0.42, [(section.caption, 12, FAINT)])
        width = PICTURE_H * CHART_W / CHART_H      # the tallest image fills the space above the footer
        if section.image:
            slide.shapes.add_picture(io.BytesIO(section.image), Inches(SIDE), Inches(1.6), width=Inches(width),
                                     height=Inches(width * section.height / CHART_W))
        right = SIDE + width + 0.3
        _textbox(slide, right, 1.7, SLIDE_W - SIDE - right, 5.15,
                 [(line, 13, INK) for line in section.lines] + [(KIND_NOTE, 11, FAINT)])
        _footer(slide, brief, k, pages, sources_hint=True)

    for k, chunk in enumerate(source_pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        _title(slide, "数据来源" if len(source_pages) == 1 else f"数据来源（{k}/{len(source_pages)}）")
        _textbox(slide, SIDE, 1.62, SLIDE_W - 2 * SIDE, 5.25, [(source, 12, INK) for source in chunk], spacing=0.2)
        _footer(slide, brief, 1 + len(brief.sections) + k, pages, sources_hint=False)
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


# ── DOCX ────────────────────────────────────────────────────────────────────────────────

A4_W, A4_H = 21.0, 29.7             # cm
MARGIN_TB, MARGIN_LR = 2.54, 3.18   # Word's own A4 margins in China


def to_docx(brief: Brief) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    page = document.sections[0]
    page.page_width, page.page_height = Cm(A4_W), Cm(A4_H)
    page.top_margin = page.bottom_margin = Cm(MARGIN_TB)
    page.left_margin = page.right_margin = Cm(MARGIN_LR)
    document.styles["Normal"].font.size = Pt(11)
    for style in ("Normal", "Title", "Heading 1", "List Bullet"):   # the theme's typefaces have no Chinese
        fonts = document.styles[style].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), EAST_ASIAN)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    footer = page.footer.paragraphs[0]
    footer.text = " ｜ ".join(([brief.demo.split("：")[0]] if brief.demo else [])
                              + [brief.heading, f"生成于 {brief.generated.isoformat()}"])
    footer.runs[0].font.size = Pt(9)

    def grey(text: str) -> None:
        run = document.add_paragraph().add_run(text)
        run.font.size, run.font.color.rgb = Pt(9.5), RGBColor.from_string(FAINT.lstrip("#"))

    document.add_heading(brief.heading, level=0)
    if brief.demo:
        run = document.add_paragraph().add_run(brief.demo)
        run.bold, run.font.color.rgb = True, RGBColor.from_string(COLORS[3].lstrip("#"))
    document.add_paragraph(f"范围：{brief.scope}")
    document.add_paragraph(f"数据：{brief.coverage}")
    document.add_paragraph(f"生成日期：{brief.generated.isoformat()}")
    grey(YEAR_NOTE)
    text_width = A4_W - 2 * MARGIN_LR
    for section in brief.sections:
        document.add_heading(section.title, level=1)
        grey(section.caption)
        if section.image:
            document.add_picture(io.BytesIO(section.image), width=Cm(text_width - 0.1))
        for line in section.lines:
            document.add_paragraph(line)
    grey(KIND_NOTE)
    document.add_heading("数据来源", level=1)
    for chunk in _source_pages(brief, DOCX_SOURCES + 1, DOCX_SOURCES):
        for source in chunk:
            document.add_paragraph(source, style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
