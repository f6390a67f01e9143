"""信访量: petitions by channel per department and year, and the totals over time with
the prior-year totals the reports quote."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import CHANNELS, prepare
from perfboard.ui import components, data, filters

components.header("信访量", "单位：件；来信、来访、网上信访、来电为报告所列渠道，各渠道之和不一定等于总量")
petitions = prepare(data.run("petitions.channels", **filters.current().params(), max_units=components.MAX_UNITS))
components.units_note()

if not components.empty(petitions):
    components.chart(charts.grouped_bars(petitions, list(CHANNELS), "各渠道信访件数", "件数（件）"))
    components.chart(charts.petition_trend(petitions))
    st.subheader("明细")
    components.table(tables.by_unit_year(petitions, ["petitions.total", *CHANNELS, "petitions.prior_year_total"]))
    components.legend()
