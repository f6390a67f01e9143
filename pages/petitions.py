"""信访量: one year's units by petition total and by channel, and the totals over the years
with the prior-year totals the reports quote (the median band with 我的单位 when many)."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import CHANNELS, prepare
from perfboard.ui import components, data, filters, many, pickers

params = filters.current().params()
components.header("信访量", "单位：件；来信、来访、网上信访、来电为报告所列渠道，各渠道之和不一定等于总量")
units = data.run("filters.departments", **params)

if not components.empty(units):
    year, mine = pickers.controls(data.run("filters.years", **params, metric="petitions.total"),
                                  units["department_key"].to_list())
    few = units.height <= components.MAX_UNITS     # few units: the detail lists every year
    # many units: SQL ranks and counts the year's units and only the units drawn are fetched; the trend's
    # band (SQL) with 我的单位's own rows
    edges = None if few else many.edges(params, year, ["petitions.total", *CHANNELS], mine)
    petitions = data.run("petitions.channels", **(params if few else many.drawn(params, year, edges, mine)),
                         max_units=None)
    for suffix, part in charts.by_kind(petitions, year, "petitions.total"):
        components.chart(charts.unit_bars(part, "petitions.total", f"{year} 年信访总量{suffix}", highlight=mine,
                                          edges=edges))
        if charts.many(part, edges, "petitions.total"):
            components.chart(charts.distribution(part, "petitions.total", f"{year} 年信访总量的分布{suffix}",
                                                 highlight=mine, edges=edges))
        components.chart(charts.grouped_unit_bars(part, list(CHANNELS), f"{year} 年各渠道信访件数{suffix}", "件数（件）",
                                                  sort_by="petitions.total", highlight=mine, edges=edges))
    title = "信访总量趋势（部门整体）"
    trend = None if few else charts.band_chart(
        data.run("trend.band", **params, metric="petitions.total"),
        data.run("petitions.channels", **dict(params, departments=list(mine)), max_units=None) if mine else petitions.clear(),
        "petitions.total", title, y_title="信访总量（件）")
    if trend is None:  # few units (or few that disclose it): every year's rows, a line each while at most 8
        every = petitions if few else data.run("petitions.channels", **params, max_units=None)
        trend = charts.band_trend(every.filter(every["report_kind"] == "department_overall"), "petitions.total",
                                  title, highlight=mine, y_title="信访总量（件）") or charts.petition_trend(prepare(every))
    components.chart(trend)
    st.subheader("明细")
    if not few:
        st.caption(many.caption(units.height, year, petitions))
    components.table(tables.by_unit_year(prepare(petitions),
                                         ["petitions.total", *CHANNELS, "petitions.prior_year_total"]))
    components.legend()
