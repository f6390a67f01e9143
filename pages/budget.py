"""预算执行: adjusted budget against actual spending, the execution rate, and how much the
budget was adjusted during the year."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, filters

components.header("预算执行", "金额单位：万元；预算调整率 =（调整后预算 − 年初预算）÷ 年初预算")
budget = prepare(data.run("budget.figures_by_report", **filters.current().params(), max_units=components.MAX_UNITS))
components.units_note()

if not components.empty(budget):
    components.chart(charts.grouped_bars(budget, ["budget.adjusted_wan", "budget.actual_wan"],
                                         "调整后预算与实际支出", "金额（万元）"))
    left, right = st.columns(2)
    with left:
        components.chart(charts.metric_bars(budget, "budget.execution_rate_pct", "预算执行率",
                                            reference=100, reference_label="100%"))
    with right:
        components.chart(charts.grouped_bars(budget, ["budget.initial_wan", "budget.adjusted_wan"],
                                             "年初预算与调整后预算", "金额（万元）"))
    components.chart(charts.metric_bars(budget, "budget.adjustment_rate_pct", "预算调整率（负数为调减）",
                                        reference=0, reference_label="未调整"))
    st.subheader("明细")
    components.table(tables.by_unit_year(budget, ["budget.initial_wan", "budget.adjusted_wan", "budget.actual_wan",
                                                  "budget.execution_rate_pct", "budget.adjustment_rate_pct"]))
    components.legend()
