"""Chart pages of many units (more than components.MAX_UNITS in view: a province, the whole
country): one SQL query (queries/ranked/edges.sql) ranks the year's units and counts them,
and the page's own query then fetches only the units its charts draw (the highest and the
lowest ranked.EDGE per metric and 我的单位), so what a page fetches does not grow with the
country. The charts take the same rows as `edges=` (perfboard/present/charts.py)."""
from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from perfboard.present import charts, ranked
from perfboard.ui import data

# under a detail table of many units: it lists the units the charts draw, says how many there are and where the rest is
DETAIL_DRAWN = ("所选范围内共 {units:,} 个单位：明细只列 {year} 年图中画出的 {shown:,} 个单位（各指标最高与最低各 "
                f"{ranked.EDGE} 个及我的单位）。其余单位请在“筛选”栏缩小范围（地区、单位）后查看，"
                "或在“数据与来源”页查看与下载全部单位、全部年度。")


def edges(params: dict, year: int | None, metrics: Iterable[str], mine: Iterable[str],
          subjects: bool = False) -> pl.DataFrame:
    """queries/ranked/edges.sql for the page's filters and year; `subjects`: rank per rated subject (满意度)."""
    where = {k: v for k, v in params.items() if k not in ("year_from", "year_to")}
    return data.run("ranked.edges", **where, year=year, metrics=list(metrics), mine=list(mine) or None,
                    subjects=subjects, edge=ranked.EDGE, show_all=ranked.SHOW_ALL, bins=charts.BINS)


def drawn(params: dict, year: int | None, found: pl.DataFrame, mine: Iterable[str]) -> dict:
    """The page query's parameters for `year` and only the units `found` (edges) draws, with 我的单位."""
    keys = sorted(set(found["department_key"].to_list()) | set(mine))
    return dict(params, year_from=year, year_to=year, departments=keys)


def caption(units: int, year: int | None, rows: pl.DataFrame) -> str:
    return DETAIL_DRAWN.format(units=units, year=year, shown=rows.select("department_key", "report_kind",
                                                                            "project_name").n_unique())
