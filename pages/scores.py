"""绩效得分: one year's units by self-evaluation score, the scores over the years (every
unit's line while few, else the median band with 我的单位), and how the grades are distributed."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, filters, many, pickers

params = filters.current().params()
components.header("绩效得分", "部门整体与项目的自评得分分开画、分开计")
units = data.run("filters.departments", **params)

if not components.empty(units):
    year, mine = pickers.controls(data.run("filters.years", **params, metric="score.total"),
                                  units["department_key"].to_list())
    few = units.height <= components.MAX_UNITS     # few units: the detail lists every year
    # many units: SQL ranks and counts the year's units and only the units drawn are fetched; the trend's
    # band (SQL) with 我的单位's own rows
    edges = None if few else many.edges(params, year, ["score.total"], mine)
    scores = data.run("scores.by_department_year", **(params if few else many.drawn(params, year, edges, mine)),
                      max_units=None)
    for suffix, part in charts.by_kind(scores, year, "score.total"):
        components.chart(charts.unit_bars(part, "score.total", f"{year} 年绩效自评得分{suffix}", highlight=mine,
                                          edges=edges))
        if charts.many(part, edges, "score.total"):
            components.chart(charts.distribution(part, "score.total", f"{year} 年自评得分的分布{suffix}", highlight=mine,
                                                 edges=edges))
    left, right = st.columns([3, 2])
    with left:
        title = "绩效自评得分趋势（部门整体）"
        trend = None if few else charts.band_chart(
            data.run("trend.band", **params, metric="score.total"),
            data.run("scores.by_department_year", **dict(params, departments=list(mine)), max_units=None)
            if mine else scores.clear(), "score.total", title)
        if trend is None:  # few units (or few that disclose it): every year's rows, a line each while at most 8
            every = scores if few else data.run("scores.by_department_year", **params, max_units=None)
            trend = charts.band_trend(every.filter(every["report_kind"] == "department_overall"), "score.total",
                                      title, highlight=mine) or charts.score_trend(prepare(every))
        components.chart(trend)
    with right:
        components.chart(charts.grade_bars(data.run("scores.grade_distribution", **params)))
    st.subheader("明细")
    if not few:
        st.caption(many.caption(units.height, year, scores))
    components.table(tables.by_unit_year(prepare(scores), ["score.total"],
                                         extra={"score_grade": "评价等级"}))
    components.legend()
