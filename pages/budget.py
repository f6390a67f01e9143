"""预算执行: adjusted budget against actual spending, the execution rate, and how much the
budget was adjusted during the year — one year's units compared, highest first."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import DOCUMENT_RULE, prepare
from perfboard.ui import components, data, filters, many, pickers

BUDGET_METRICS = ("budget.initial_wan", "budget.adjusted_wan", "budget.actual_wan", "budget.execution_rate_pct",
                  "budget.adjustment_rate_pct")

params = filters.current().params()
components.header("预算执行", "金额单位：万元；预算执行率 = 实际支出 ÷ 调整后预算；"
                  "预算调整率 =（调整后预算 − 年初预算）÷ 年初预算")
units = data.run("filters.departments", **params)

if not components.empty(units):
    year, mine = pickers.controls(data.run("filters.years", **params, metric="budget.execution_rate_pct"),
                                  units["department_key"].to_list())
    few = units.height <= components.MAX_UNITS     # few units: the detail lists every year
    # many units: SQL ranks and counts the year's units; only the units drawn are fetched (no trend on this page)
    edges = None if few else many.edges(params, year, BUDGET_METRICS, mine)
    budget = data.run("budget.figures_by_report", **(params if few else many.drawn(params, year, edges, mine)),
                      max_units=None)
    st.caption(DOCUMENT_RULE)
    # every kind with some budget figure: a year of 决算 (spending, no rate) or of plans (年初预算 only) has charts too
    for suffix, part in charts.by_kind(budget, year, list(BUDGET_METRICS)):
        components.chart(charts.unit_bars(part, "budget.execution_rate_pct", f"{year} 年预算执行率{suffix}",
                                          highlight=mine, reference=100, edges=edges))
        if charts.many(part, edges, "budget.execution_rate_pct"):
            components.chart(charts.distribution(part, "budget.execution_rate_pct", f"{year} 年预算执行率的分布{suffix}",
                                                 highlight=mine, edges=edges))
        components.chart(charts.grouped_unit_bars(part, ["budget.adjusted_wan", "budget.actual_wan"],
                                                  f"{year} 年调整后预算与实际支出{suffix}", "金额（万元）", highlight=mine,
                                                  edges=edges))
        components.chart(charts.grouped_unit_bars(part, ["budget.initial_wan", "budget.adjusted_wan"],
                                                  f"{year} 年年初预算与调整后预算{suffix}", "金额（万元）", highlight=mine,
                                                  edges=edges))
        components.chart(charts.unit_bars(part, "budget.adjustment_rate_pct", f"{year} 年预算调整率{suffix}",
                                          highlight=mine, reference=0, edges=edges))
    st.subheader("明细")
    if not few:
        st.caption(many.caption(units.height, year, budget))
    components.table(tables.by_unit_year(prepare(budget), list(BUDGET_METRICS)))
    components.legend()
