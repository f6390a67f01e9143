"""满意度: one year's units by satisfaction and participation, per rated subject, and every
figure with its target in the detail."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, filters, many, pickers

params = filters.current().params()
components.header("满意度", "满意度、参评率与目标值，按评价对象（群众、信访部门、责任单位……）分列")
units = data.run("filters.departments", **params)

if not components.empty(units):
    year, mine = pickers.controls(data.run("filters.years", **params, metric="satisfaction.satisfaction_pct"),
                                  units["department_key"].to_list())
    few = units.height <= components.MAX_UNITS     # few units: the detail lists every year
    # many units: SQL ranks (per rated subject) and counts the year's units; only the units drawn are fetched
    # (no trend on this page)
    edges = None if few else many.edges(params, year, ["satisfaction.satisfaction_pct", "satisfaction.participation_pct"],
                                        mine, subjects=True)
    satisfaction = data.run("satisfaction.by_subject", **(params if few else many.drawn(params, year, edges, mine)),
                            max_units=None)
    rated = satisfaction.filter(satisfaction["subject"].is_not_null())
    for suffix, part in charts.by_kind(rated, year, "satisfaction.satisfaction_pct"):
        components.chart(charts.unit_bars(part, "satisfaction.satisfaction_pct", f"{year} 年满意度{suffix}",
                                          highlight=mine, edges=edges))
        if charts.many(part, edges, "satisfaction.satisfaction_pct"):
            components.chart(charts.distribution(part, "satisfaction.satisfaction_pct", f"{year} 年满意度的分布{suffix}",
                                                 highlight=mine, edges=edges))
        components.chart(charts.unit_bars(part, "satisfaction.participation_pct", f"{year} 年参评率{suffix}",
                                          highlight=mine, edges=edges))
    st.subheader("明细")
    if not few:
        st.caption(many.caption(units.height, year, satisfaction))
    components.table(tables.by_unit_year(prepare(satisfaction),
                                         ["satisfaction.satisfaction_pct", "satisfaction.participation_pct",
                                          "satisfaction.target_pct"], with_subject=True))
    components.legend()
