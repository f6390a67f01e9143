"""Page-level pickers that are not sidebar filters: which year a ranking compares, and
which units a chart of many units highlights."""
from __future__ import annotations

import polars as pl
import streamlit as st

LATEST = "latest"   # the ranking year choice "each unit's latest year"


def ranking_year(years: pl.DataFrame, container=None, key: str = "rank_year") -> int | None:
    """The year whose reports a ranking compares (queries/overview/ranking_years.sql rows),
    or None for 各单位最新一年. Default: the latest year in which some unit disclosed the
    ranked metric, so that units of one year are compared, not one's 2021 with another's 2023."""
    container = container or st
    listed = [int(y) for y in years["year"].to_list()]
    options = [*listed, LATEST]
    disclosed = [int(y) for y, n in zip(years["year"], years["disclosed"]) if n]
    if st.session_state.get(key) not in options:
        st.session_state[key] = disclosed[0] if disclosed else (listed[0] if listed else LATEST)
    counts = {int(y): (u, d) for y, u, d in years.select("year", "units", "disclosed").iter_rows()}

    def label(choice) -> str:
        if choice == LATEST:
            return "各单位最新一年"
        units, shown = counts[choice]
        return f"{choice} 年（{shown}/{units} 个单位披露）"
    choice = container.selectbox("排名年度", options, key=key, format_func=label,
                                 help="默认比较同一年度的各单位；选“各单位最新一年”则每个单位取其最近一年的报告。")
    return None if choice == LATEST else int(choice)


def year(years: pl.DataFrame, container=None, key: str = "chart_year") -> int | None:
    """The year whose units a page's charts compare, from filters.years rows; default the
    latest year in which some unit disclosed the page's metric. None when there is no year."""
    container = container or st
    listed = [int(y) for y in years["year"].to_list()]
    if not listed:
        return None
    disclosed = [int(y) for y, n in zip(years["year"], years["disclosed"]) if n]
    if st.session_state.get(key) not in listed:
        st.session_state[key] = disclosed[0] if disclosed else listed[0]
    counts = {int(y): (u, d) for y, u, d in years.select("year", "units", "disclosed").iter_rows()}
    return container.selectbox("比较年度", listed, key=key,
                               format_func=lambda y: f"{y} 年（{counts[y][0]} 个单位有报告）",
                               help="单位图比较同一年度的各单位；趋势图画出所有年度。")


def mine(options: list[str], container=None) -> tuple[str, ...]:
    """我的单位: the units a chart of many units highlights wherever they rank (up to five),
    kept in the URL (?mine=…) so a link shows them too."""
    from perfboard.ui import filters
    picked = filters.url_multiselect("我的单位（突出显示）", options, "mine", [], max_selections=5,
                                     container=container or st, placeholder="选择要突出显示的单位",
                                     help="在单位图中以紫色突出显示，无论排在第几名；趋势图中单独画出。")
    return tuple(picked)


def controls(years: pl.DataFrame, units: list[str]) -> tuple[int | None, tuple[str, ...]]:
    """A page's 比较年度 and 我的单位, side by side."""
    left, right = st.columns([2, 3])
    return year(years, container=left), mine(units, container=right)
