"""Streamlit pieces the pages share: page header, the empty-result notice, KPI cards,
tables, charts and report text. Report text is always shown escaped (never as HTML), by
perfboard.markdown_safe (`plain` and `cell` of perfboard.present.format are its names there)."""
from __future__ import annotations

import polars as pl
import streamlit as st

from perfboard import markdown_safe
from perfboard.filters import MAX_UNITS  # noqa: F401  (pages read it here: above it a detail lists one year)
from perfboard.present.tables import CARDS, CHANGES, RANK_ROWS  # noqa: F401  (pages read them here)
from perfboard.present.charts import Chart
from perfboard.present.format import DOCUMENT_MARKS, MISSING, NOTES, cell, plain
from perfboard.ui import exports, filters, layout

EMPTY = "当前筛选条件下没有数据。请在“筛选”栏放宽筛选条件（地区、单位、年度范围或报告类型），或点“重置筛选”（手机上点页面左上角的 » 打开筛选栏）。"
LEGEND = ("**未披露**：报告中没有这个数（不是 0，图中留空）　**※推算**：报告未直接写出、由其他数字算出　"
          "**1–10月** 等：只统计了部分月份，不是全年数　**项目**：单个项目的口径，不与部门整体数相加　"
          "**决算数**：出自部门决算，不是绩效自评报告　**预算（计划）**：出自部门预算，是计划数，不是执行数")
# plotly.js as bundled by Streamlit knows no zh-CN: the toolbar's tooltips and notices are
# translated here (plotly's own `locales` setting), the rest of plotly's English is unused
PLOTLY_LOCALE = {"dictionary": {
    "Download plot as a png": "下载图片（PNG）", "Download plot as a PNG": "下载图片（PNG）",
    "Download plot": "下载图片", "Zoom": "框选放大", "Pan": "平移", "Zoom in": "放大", "Zoom out": "缩小",
    "Reset axes": "还原坐标轴", "Autoscale": "自动缩放", "Reset view": "还原视图", "Fullscreen": "全屏",
    "Toggle Spike Lines": "显示/隐藏参考线", "Show closest data on hover": "悬停显示最近的点",
    "Compare data on hover": "悬停比较数据", "Double-click to zoom back out": "双击还原",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Snapshot succeeded": "图片已生成", "Sorry, there was a problem downloading your snapshot!": "图片下载失败",
    "Click to enter Colorscale title": "", "Click to enter Plot title": "", "Click to enter X axis title": "",
    "Click to enter Y axis title": "", "Click to enter Component A title": "",
}}
PLOTLY_CONFIG = {"displaylogo": False, "locale": "zh-CN", "locales": {"zh-CN": PLOTLY_LOCALE},
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


def header(title: str, intro: str | None = None) -> None:
    st.title(title)
    line = f"当前筛选：{plain(filters.current().describe())}"
    st.caption(f"{intro}　｜　{line}" if intro else line)


def empty(frame: pl.DataFrame | None = None, message: str = EMPTY) -> bool:
    """True (after a friendly notice) when there is nothing to show."""
    if frame is None or frame.is_empty():
        st.info(message, icon=":material/filter_alt_off:")
        return True
    return False




def legend() -> None:
    st.caption(LEGEND)


def chart(drawn: Chart, key: str | None = None, downloads: bool = True) -> None:
    """A chart, and under it the PNG/SVG of its figure and the CSV/XLSX of the rows it draws."""
    fig = drawn.figure
    title = fig.layout.title.text if fig.layout.title else None
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key or exports.unique_key("chart", exports.file_stem(title)),
                    theme=None)
    if downloads:
        exports.chart_buttons(drawn)


PHONE_ROWS = 10   # rows of a grid shown as cards on a phone (the grid and the downloads hold every row)
WIDE_COLUMNS = {"出处原文": "报告原文中这个数字所在的句子或表格单元格", "实际完成值": None, "年度指标值": None}


def table(df: pl.DataFrame, height: int | str = "auto", title: str | None = None, downloads: bool = True,
          rows: int | None = None, total: int | None = None, everything=None, static: bool = False) -> None:
    """A table; with `rows`, only the first rows are drawn (the browser stays quick with
    thousands of departments) and the downloads still hold every row. When `df` is already
    only the first rows of `total`, `everything` makes all of them when a download is clicked.
    Otherwise an interactive grid on a wide screen and, on a phone, its first PHONE_ROWS rows
    as cards (CSS shows one of the two: ui/layout), so no grid scrolls sideways there.
    `static`: a plain leaderboard (one Markdown table) instead of the interactive grid, for
    short tables on 总览: the grid's code, or st.table's one Markdown block per cell, was
    most of what delayed the page's first chart (BENCHMARKS.md)."""
    if df.is_empty():
        st.caption(MISSING)
        return
    shown = df if rows is None else df.head(rows)
    if static:
        # the table on a wide screen, the same rows as cards on a phone (CSS picks one: ui/layout)
        st.container(key=exports.unique_key(layout.WIDE_KEY, title or "table")).markdown(markdown_table(shown))
        st.container(key=exports.unique_key(layout.CARDS_KEY, title or "table"), border=True).markdown(
            markdown_cards(shown))
    else:
        # the grid on a wide screen; on a phone (where a grid scrolls sideways) its first rows as cards
        config = {c: st.column_config.TextColumn(width="large", help=h) for c, h in WIDE_COLUMNS.items()
                  if c in df.columns}
        st.container(key=exports.unique_key(layout.WIDE_KEY, title or "grid")).dataframe(
            shown, hide_index=True, width="stretch", height=height, column_config=config or None)
        phone = st.container(key=exports.unique_key(layout.CARDS_KEY, title or "grid"), border=True)
        phone.markdown(markdown_cards(shown.head(PHONE_ROWS)))
        if shown.height > PHONE_ROWS:
            phone.caption(f"手机上列出前 {PHONE_ROWS} 行；完整的表请在电脑上查看，或下载。")
    total = total if total is not None else df.height
    if total > shown.height:
        st.caption(f"共 {total:,} 行，上表显示前 {shown.height} 行；下载包含全部。")
    if downloads:
        exports.table_buttons(everything or df, title)


def markdown_table(df: pl.DataFrame) -> str:
    """A GitHub-style Markdown table of `df`, every cell escaped (report text stays text)."""
    def row(values) -> str:
        return "| " + " | ".join(cell(None if v is None else str(v)) for v in values) + " |"
    return "\n".join([row(df.columns), "|" + "---|" * len(df.columns), *(row(r) for r in df.iter_rows())])


TITLE_COLUMNS = ("排名", "单位", "年度")  # a card's heading; every other column is a "name value" line under it


def markdown_cards(df: pl.DataFrame) -> str:
    """The rows of `df` as short Markdown blocks for a phone: rank, unit and year in bold on
    one line, then a line per other column ("name value"); every cell escaped."""
    heads = [c for c in TITLE_COLUMNS if c in df.columns] or df.columns[:1]
    blocks = []
    for r in df.iter_rows(named=True):
        title = " · ".join(cell(str(r[c])) for c in heads if r[c] is not None)
        pairs = "  \n".join(f"{cell(c)}：**{cell(str(r[c]))}**" for c in df.columns
                         if c not in heads and r[c] not in (None, ""))
        blocks.append(f"**{title}**  \n{pairs}")
    return "\n\n---\n\n".join(blocks)


def kpi_cards(cards: list[dict], per_row: int = 3, limit: int = CARDS) -> None:
    """One bordered card per department (or project): its latest year's four key numbers,
    with the change against the year before where one is known. One card per row puts
    its numbers side by side; several per row stack them two by two."""
    shown = cards[:limit]
    for start in range(0, len(shown), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, shown[start:start + per_row]):
            with column.container(border=True):
                _card(card, side_by_side=per_row == 1)
    if len(cards) > limit:
        st.caption(f"另有 {len(cards) - limit:,} 个单位未显示卡片。")


def _card(card: dict, side_by_side: bool = False) -> None:
    title = f"**{plain(card['unit_label'])}** · {card['year']} 年"
    if card.get("score_grade"):
        title += f" · 等级 {plain(card['score_grade'])}"
    st.markdown(title)
    if card["report_kind"] == "project":
        st.badge("项目口径", color="orange", icon=":material/assignment:",
                 help="单个项目的绩效自评，不是部门整体数，不与部门整体数相加。")
    if card.get("document_type") in DOCUMENT_MARKS:  # a 决算 or a plan, not a self-evaluation: said on the card
        st.badge(DOCUMENT_MARKS[card["document_type"]], color="gray", icon=":material/description:",
                 help=NOTES[card["document_type"]])
    slots = card["slots"]
    columns = st.columns(len(slots)) if side_by_side else [c for _ in range(0, len(slots), 2) for c in st.columns(2)]
    for column, slot in zip(columns, slots):
        # a satisfaction subject comes from the report (or a records file): Markdown in it stays text
        label = markdown_safe.label(slot["label"] + (f" · {slot['mark']}" if slot.get("mark") else ""))
        column.metric(label, slot["value"], delta=slot["delta"],
                      delta_color="inverse" if slot["metric"] == "petitions.total" else "normal",
                      delta_description=slot["since"], help=markdown_safe.text(slot["help"]))


def report_text(title: str, text: str | None) -> None:
    st.markdown(f"**{title}**")
    if text:
        st.markdown(markdown_safe.text(text))
    else:
        st.caption(f"{MISSING}（报告中没有找到这一部分）")

