"""总览: each department's latest year at a glance, a ranking, and what changed most."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import prepare
from perfboard.ui import components, data, exports, filters

params = filters.current().params()
components.header("总览", "各单位在所选年度范围内最新一年的关键指标")
# the trend first: it is the cheapest query, so the first chart is on screen while the rest loads
trend = data.run("overview.yearly_trend", **params)
if not trend.is_empty():
    exports.brief_buttons()
    st.subheader("逐年趋势")
    st.caption("部门整体报告，各年度所有单位的中位数；信访总量只合计全年数。悬停可见披露该指标的单位数。")
    components.chart(charts.yearly_trend(trend))
cards = prepare(data.run("overview.cards", **params, limit=components.CARDS))

if not components.empty(cards):
    if trend.is_empty():
        exports.brief_buttons()
    st.subheader("关键指标")
    units = cards["units"][0]
    if units <= components.CARDS:
        components.kpi_cards(tables.cards(cards))
    else:  # a dozen cards picked by name would say little about thousands of units
        st.caption(f"所选范围内共 {units:,} 个单位（部门整体与项目分别计）。单位卡片在不超过 {components.CARDS} 个单位时"
                   "显示：请在“筛选”栏选择省份、城市或单位缩小范围（手机上点页面左上角的 » 打开筛选栏）。下方排名列出全部单位。")
    components.legend()

    st.subheader("单位排名")
    rank_by = st.segmented_control("排序依据", list(tables.RANK_BY), key="rank_by", default="score.total",
                                   format_func=lambda m: tables.RANK_BY[m][0]) or "score.total"
    for kind, title in (("department_overall", "部门整体"), ("project", "项目（单独排名，不与部门整体混排）")):
        ranking = dict(params, unit_kind=kind, rank_by=rank_by, descending=tables.RANK_BY[rank_by][1])
        top = data.run("overview.ranking", **ranking, limit=components.RANK_ROWS)
        if not top.is_empty():
            st.markdown(f"**{title}**")
            units = top["units"][0]
            everything = data.deferred("overview.ranking", **ranking, limit=None)
            components.table(tables.ranking(prepare(top), rank_by, kind), title=f"单位排名_{title[:4]}",
                             total=units, static=True,
                             everything=lambda rows=everything, by=rank_by, kind=kind: tables.ranking(prepare(rows()), by, kind))
            # the whole list on demand: drawn with the page, thousands of rows would delay its first chart
            if units > components.RANK_ROWS and st.toggle(f"查看全部 {units:,} 个单位的排名", key=f"rank_all_{kind}"):
                full = prepare(data.run("overview.ranking", **ranking, limit=None))
                components.table(tables.ranking(full, rank_by, kind), downloads=False)

    st.subheader("变化最大")
    changes = prepare(data.run("overview.changes", **params, limit=components.CHANGES))
    if changes.is_empty():
        st.info("所选范围内还没有可与上年比较的数字：需要同一单位相邻两年的报告，或报告中引述的上年数。")
    else:
        st.caption("与同一单位上一年报告（或报告中引述的上年同期数）相比，按变化幅度从大到小。")
        components.table(tables.changes(changes), static=True)
