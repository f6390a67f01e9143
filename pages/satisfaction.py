"""满意度: satisfaction and participation per rated subject, against the targets."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, filters

components.header("满意度", "满意度、参评率与目标值，按评价对象（群众、信访部门、责任单位……）分列")
satisfaction = prepare(data.run("satisfaction.by_subject", **filters.current().params(), max_units=components.MAX_UNITS))
components.units_note()

if not components.empty(satisfaction):
    components.chart(charts.satisfaction_bars(satisfaction))
    st.subheader("明细")
    components.table(tables.by_unit_year(satisfaction, ["satisfaction.satisfaction_pct",
                                                        "satisfaction.participation_pct",
                                                        "satisfaction.target_pct"], with_subject=True))
    components.legend()
