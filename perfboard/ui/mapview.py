"""总览's map: the districts (or cities) in view coloured by one metric of one year, with a
metric and a year picker, and the units the boundary data cannot place listed, not dropped.
The figure itself is perfboard.maps (no Streamlit); this module only draws it."""
from __future__ import annotations

import threading

import polars as pl
import streamlit as st

from perfboard import maps
from perfboard.present.format import meaning, metric_label
from perfboard.present.tables import CARD_METRICS
from perfboard.ui import components, data, filters

UNPLACED_ROWS = 20  # unplaced units listed on the page; the CSV/XLSX under them hold every one

# the map is for looking at, not for panning: a page scroll over it must scroll the page
CONFIG = {"scrollZoom": False, "displayModeBar": False}
METRICS = CARD_METRICS    # the four card metrics, in the cards' order: what leadership compares first
_warmed = threading.Event()


def warm_in_background() -> None:
    """Loads the boundary data once per process in a thread (a second or a few), so the
    first 总览 with a map does not wait for it and the first chart is not delayed."""
    if _warmed.is_set():
        return
    _warmed.set()
    threading.Thread(target=maps.warm, name="perfboard-maps-warm", daemon=True).start()


def section() -> None:
    """The map with its pickers; nothing when no overall report is in view."""
    f = filters.current()
    if f.kind == "project":
        st.caption("地图只画部门整体报告（项目与所属部门同在一地，不另画）；报告类型选“项目”时不显示。")
        return
    left, right = st.columns([3, 2])
    metric = left.segmented_control("地图指标", METRICS, key="map_metric", default=METRICS[0],
                                    format_func=metric_label) or METRICS[0]
    scope = dict(province=f.province, city=f.city, departments=list(f.departments) or None,
                 year_from=f.year_from, year_to=f.year_to)
    # the years first (a few rows), then only the year drawn: a row per unit, not per unit and year
    listed = data.run("filters.years", **scope, kind="department_overall", metric=metric)
    if listed.is_empty():
        st.caption("所选范围内没有部门整体报告，地图不显示（项目与所属部门同在一地，不另画）。")
        return
    years = listed["year"].to_list()                                 # latest first
    disclosed = listed.filter(pl.col("disclosed") > 0)["year"]
    latest = int(disclosed.max()) if len(disclosed) else years[0]   # the latest year anyone disclosed it
    if st.session_state.get("map_year") not in years:
        st.session_state["map_year"] = latest
    year = right.selectbox("地图年度", years, key="map_year", format_func=lambda y: f"{y} 年")
    units = data.run("map.units", **scope, metric=metric, year=year)
    result = maps.unit_map(units, metric_label(metric), year)
    st.caption(f"{meaning(metric)}。颜色越深数值越大；灰色：未披露（报告没有这个数，或该年没有报告）。")
    st.plotly_chart(result.figure, config=CONFIG, key="overview_map", theme=None)
    if not result.unplaced.is_empty():
        st.caption(f"{result.unplaced.height} 个单位未能定位")
        with st.expander(f"查看未能定位的 {result.unplaced.height} 个单位及原因"):
            # a static table of the first rows (the downloads hold all): a grid here, drawn with the
            # map right after 总览's first chart, loaded the grid's code and delayed that chart
            components.table(result.unplaced.select(pl.col("department_key").alias("单位"),
                                                    pl.col("reason").alias("原因")), title="未能定位的单位",
                             rows=UNPLACED_ROWS, static=True)
