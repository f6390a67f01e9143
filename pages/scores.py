"""绩效得分: self-evaluation scores over the years and how the grades are distributed."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, filters

params = filters.current().params()
components.header("绩效得分", "部门整体与项目的自评得分分开画、分开计")
scores = prepare(data.run("scores.by_department_year", **params, max_units=components.MAX_UNITS))
components.units_note()

if not components.empty(scores):
    left, right = st.columns([3, 2])
    with left:
        components.chart(charts.score_trend(scores))
    with right:
        components.chart(charts.grade_bars(data.run("scores.grade_distribution", **params)))
    st.subheader("明细")
    components.table(tables.by_unit_year(scores, ["score.total"], extra={"score_grade": "评价等级"}))
    components.legend()
