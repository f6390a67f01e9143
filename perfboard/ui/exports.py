"""Download buttons under every chart (PNG, SVG, CSV, XLSX) and table (CSV, XLSX).
Files are made only when a button is clicked (deferred data), so drawing a page costs
nothing extra; PNG and SVG come from the process's one kaleido server."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from perfboard.export import images, summaries, tables
from perfboard.present import tables as shown
from perfboard.present.charts import Chart
from perfboard.ui import data, filters

_COUNT = "_perfboard_download_count"
NO_BROWSER = "未找到 Chromium，暂不能在服务器端生成 PNG/SVG；可用图表右上角工具栏的相机按钮下载图片。"


def start_run() -> None:
    st.session_state[_COUNT] = {}


def unique_key(kind: str, name: str) -> str:
    """A widget key unique within this script run: two charts with the same title and
    data (two empty ones, say) must not collide."""
    return _key(kind, name)


def _key(kind: str, name: str) -> str:
    counts = st.session_state.setdefault(_COUNT, {})
    n = counts[(kind, name)] = counts.get((kind, name), 0) + 1
    return f"dl_{kind}_{name}_{n}"


def file_stem(title: str | None) -> str:
    stem = re.sub(r"<[^>]+>", "", title or "图表")
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", stem).strip("_")[:40] or "图表"
    return f"{stem}_{dt.date.today():%Y%m%d}"


def _image(fig: go.Figure, fmt: str, counted, sources) -> bytes:
    # named, never by file name; the reports are counted, and fetched only when two or fewer are named
    return images.chart_image(fig, fmt, summaries.footer_sources(counted().row(0, named=True), sources))


def chart_buttons(drawn: Chart) -> None:
    fig = drawn.figure
    title = fig.layout.title.text if fig.layout.title else None
    stem = file_stem(title)
    frame = shown.chart_data(drawn.rows)  # the rows the chart was drawn from, raw values and flags
    # every report in view: a chart of all units (the trend) draws on all of them
    params = {**filters.current().params(), "max_units": None}
    counted, sources = data.deferred("brief.footer", **params), data.deferred("brief.sources", **params)
    row = st.container(horizontal=True, gap="small")
    if images.browser_path():
        row.download_button("PNG", data=lambda: _image(fig, "png", counted, sources), file_name=f"{stem}.png",
                            mime="image/png", on_click="ignore", icon=":material/image:", key=_key("png", stem), type="tertiary",
                            help="2000 像素宽，白底，含标题、单位与数据来源，可直接放入 PPT/Word")
        row.download_button("SVG", data=lambda: _image(fig, "svg", counted, sources), file_name=f"{stem}.svg",
                            mime="image/svg+xml", on_click="ignore", key=_key("svg", stem), type="tertiary",
                            help="矢量图，放大不失真")
    _data_buttons(row, row, frame, stem)
    if not images.browser_path():
        row.caption(NO_BROWSER)


def table_buttons(df: pl.DataFrame | Callable[[], pl.DataFrame], title: str | None = None) -> None:
    stem = file_stem(title or "表格")
    row = st.container(horizontal=True, gap="small")
    _data_buttons(row, row, df, stem)


def _data_buttons(left, right, df: pl.DataFrame | Callable[[], pl.DataFrame], stem: str) -> None:
    """`df` may be a function that makes the frame when a button is clicked. Whatever the
    buttons need from this run (the filters) is read now: a click is served outside it."""
    sheet = filters.current().sheet()
    rows = df if callable(df) else lambda: df
    left.download_button("CSV", data=lambda: tables.csv_bytes(rows()), file_name=f"{stem}.csv", mime="text/csv",
                         on_click="ignore", icon=":material/download:", key=_key("csv", stem), type="tertiary",
                         help="用 Excel 直接打开，中文不乱码")
    right.download_button("XLSX", data=lambda: tables.xlsx_bytes({stem[:28]: rows()}, sheet),
                          file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore", key=_key("xlsx", stem), type="tertiary", help="首个工作表为筛选条件")


def _brief_file(fmt: str, build) -> bytes:
    from perfboard.export import brief
    content = build()
    return brief.to_pptx(content) if fmt == "pptx" else brief.to_docx(content)


def brief_buttons() -> None:
    """一键生成简报: the deck and the Word brief for the current filters."""
    from perfboard.export import brief
    chosen = filters.current()
    build = data.deferred_with(lambda cur: brief.build(cur, chosen))  # when clicked, on this run's database
    stem = f"绩效简报_{dt.date.today():%Y%m%d}"
    if not images.browser_path():
        st.caption(NO_BROWSER.replace("PNG/SVG", "简报中的图表"))
        return
    left, right, _ = st.columns([1, 1, 3], gap="small")
    left.download_button("一键生成简报（PPT）", data=lambda: _brief_file("pptx", build),
                         file_name=f"{stem}.pptx", on_click="ignore", type="primary", icon=":material/slideshow:",
                         mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                         key="brief_pptx", help="标题页（范围与日期）、每张关键图表一页并附数据摘要、数据来源页")
    right.download_button("生成 Word 简报", data=lambda: _brief_file("docx", build), file_name=f"{stem}.docx",
                          on_click="ignore", icon=":material/description:", key="brief_docx",
                          mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          help="与 PPT 内容相同的 Word 文档")


def _all_numbers(fmt: str, numbers, reports, sheet: dict) -> bytes:
    # every row, not the page's first few thousand: made when clicked (data.deferred)
    from perfboard.present.format import prepare
    rows = shown.for_export(prepare(numbers()))
    if fmt == "csv":
        return tables.csv_bytes(rows)
    return tables.xlsx_bytes({"数字": rows, "报告": shown.reports(reports())}, sheet)


def all_numbers_buttons(wanted: dict) -> None:
    sheet = filters.current().sheet()
    numbers = data.deferred("data.numbers_with_sources", **wanted, limit=None)
    reports = data.deferred("data.reports", limit=None, **{k: wanted[k] for k in
                            ("province", "city", "departments", "year_from", "year_to", "kind")})
    row = st.container(horizontal=True, gap="small")
    row.download_button("下载 CSV", lambda: _all_numbers("csv", numbers, reports, sheet), "perfboard_metrics.csv",
                        "text/csv", on_click="ignore", icon=":material/download:", key="all_csv",
                        help="全部数字，数值为原始数字（万元、%、件）；用 Excel 直接打开，中文不乱码")
    row.download_button("下载 XLSX", lambda: _all_numbers("xlsx", numbers, reports, sheet), "perfboard_data.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                        icon=":material/download:", key="all_xlsx", help="首个工作表为筛选条件")
