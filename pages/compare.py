"""对比: two to six departments side by side on the same metrics."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import metric_label, prepare
from perfboard.ui import components, data, filters

f = filters.current()
components.header("对比", "选择 2–6 个单位，对比同样的指标；不同口径（部门整体/项目）分列，不相加")
candidates = data.run("filters.departments", **dict(f.params(), departments=None))

if not components.empty(candidates):
    options = candidates["department_key"].to_list()
    default = list(f.departments)[:6] if len(f.departments) >= 2 else options[:2]
    left, right = st.columns([3, 2])
    picked = filters.url_multiselect("对比单位（2–6 个）", options, "units", default, max_selections=6,
                                     container=left)
    metrics = filters.url_multiselect("指标", list(tables.COMPARE_METRICS), "metrics",
                                      list(tables.COMPARE_METRICS[:6]), format_func=metric_label, container=right)
    if len(picked) < 2:
        st.info("请至少选择 2 个单位进行对比（最多 6 个）。", icon=":material/compare_arrows:")
    else:
        rows = prepare(data.run("compare.figures_by_unit_year", departments=picked, metrics=metrics or None,
                                year_from=f.year_from, year_to=f.year_to, kind=f.kind))
        if not components.empty(rows):
            components.table(tables.side_by_side(rows))
            components.chart(charts.small_multiples(rows))
            components.legend()
