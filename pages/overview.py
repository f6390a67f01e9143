"""总览: each department's latest year at a glance, a ranking, and what changed most."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import DOCUMENT_RULE, KIND_LABELS, prepare
from perfboard.ui import components, data, exports, filters, mapview, pickers

params = filters.current().params()
components.header("总览", "各单位在所选年度范围内最新一年的关键指标")
# the trend first: it is the cheapest query, so the first chart is on screen while the rest loads
trend = data.run("overview.yearly_trend", **params)
if not trend.is_empty():
    exports.brief_buttons()
    st.subheader("逐年趋势")
    st.caption("部门整体报告，各年度所有单位的中位数；信访总量只合计全年数。悬停可见披露该指标的单位数。")
    components.chart(charts.yearly_trend(trend))
    # after the first chart, so that the map (boundaries, geometry) never delays it; like the
    # trend it is of whole-department reports, so it is there when the trend is
    st.subheader("地图")
    mapview.section()
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
    by, order, when = st.columns([3, 2, 2])
    rank_by = by.segmented_control("排序依据", list(tables.RANK_BY), key="rank_by", default="score.total",
                                   format_func=lambda m: tables.RANK_BY[m][0]) or "score.total"
    descending = (order.segmented_control("顺序", ["desc", "asc"], key="rank_order", default="desc",
                                          format_func={"desc": "最高在前", "asc": "最低在前"}.get) or "desc") == "desc"
    years = data.run("filters.years", **params, metric=rank_by)
    year = pickers.ranking_year(years, container=when)
    label = tables.RANK_BY[rank_by][0]
    if year is None:
        st.caption(f"各单位取筛选范围内最新一年的报告，年度可能不同；“较上年”是与同一单位上一年报告{label}之差。")
    else:
        st.caption(f"比较 {year} 年有报告的单位；“较上年”是与同一单位 {year - 1} 年报告{label}之差"
                   "（信访总量没有上年报告时，与报告引述的上年同期数相比）。")
    st.caption(DOCUMENT_RULE + "“各单位最新一年”取单位最新的一份非预算报告。")
    for kind, title in (("department_overall", "部门整体"), ("project", "项目（单独排名，不与部门整体混排）")):
        ranking = dict(params, unit_kind=kind, rank_by=rank_by, descending=descending, year=year)
        top = data.run("overview.ranking", **ranking, limit=components.RANK_ROWS)
        if not top.is_empty():
            st.markdown(f"**{title}**")
            # every unit as bars (the top and bottom ten and the rest's median when many), then the table
            ranked_rows = prepare(data.run("overview.ranking_bars", **ranking))  # the rank metric's rows only
            span = f"{year} 年" if year is not None else "各单位最新一年"
            components.chart(charts.unit_bars(ranked_rows, rank_by, f"{span}{label}排名 · {KIND_LABELS[kind]}",
                                              descending=descending, noun="项目" if kind == "project" else "单位"))
            units = top["units"][0]
            everything = data.deferred("overview.ranking", **ranking, limit=None)
            components.table(tables.ranking(prepare(top), rank_by, kind, descending), title=f"单位排名_{title[:4]}",
                             total=units, static=True,
                             everything=lambda rows=everything, by=rank_by, kind=kind, d=descending:
                             tables.ranking(prepare(rows()), by, kind, d))
            # the whole list on demand: drawn with the page, thousands of rows would delay its first chart
            if units > components.RANK_ROWS and st.toggle(f"查看全部 {units:,} 个单位的排名", key=f"rank_all_{kind}"):
                full = prepare(data.run("overview.ranking", **ranking, limit=None))
                components.table(tables.ranking(full, rank_by, kind, descending), downloads=False)

    st.subheader("变化最大")
    changes = prepare(data.run("overview.changes", **params, limit=components.CHANGES))
    if changes.is_empty():
        st.info("所选范围内还没有可与上年比较的数字：需要同一单位相邻两年的报告，或报告中引述的上年数。")
    else:
        st.caption("与同一单位上一年报告（或报告中引述的上年同期数）相比，按变化幅度从大到小。")
        components.table(tables.changes(changes), static=True)
