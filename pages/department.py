"""单位画像: one department across its years — every number with its source, the indicator
tables, and what the reports say about problems and measures."""
import streamlit as st

from perfboard.present import charts, tables
from perfboard.present.format import DOCUMENT_LABELS, KIND_LABELS, plain, prepare
from perfboard.ui import components, data, filters

f = filters.current()
components.header("单位画像", "一个单位历年的全部数字、出处、绩效指标表与存在问题/改进措施")
candidates = data.run("filters.departments", **f.params())

if not components.empty(candidates):
    picker, _ = st.columns([2, 3])
    unit = filters.url_selectbox("选择单位", candidates["department_key"].to_list(), "unit", container=picker)
    scope = dict(department_key=unit, year_from=f.year_from, year_to=f.year_to, kind=f.kind)
    reports = data.run("department.reports", **scope)
    numbers = prepare(data.run("department.numbers_with_sources", **scope))
    indicator_rows = data.run("department.indicators", **scope)

    years = sorted(set(reports["year"].to_list()))
    st.caption(f"{plain(unit)}：{len(reports)} 份报告，年度 {'、'.join(map(str, years))}")
    latest = prepare(data.run("overview.cards", **dict(f.params(), departments=[unit]), limit=None))
    components.kpi_cards(tables.cards(latest), per_row=1)
    numbers_tab, source_tab, indicator_tab, text_tab = st.tabs(["历年指标", "数字出处", "绩效指标表", "问题与措施"])
    with numbers_tab:
        if not components.empty(numbers, "所选范围内这个单位的报告没有抽取到数字。"):
            components.table(tables.metric_by_year(numbers))
            main = numbers.filter(numbers["metric"].is_in(list(tables.CARD_METRICS)))
            if len(years) > 1 and not main.is_empty():
                components.chart(charts.small_multiples(main, by_year=True, columns=4))
            components.legend()
    with source_tab:
        st.caption("每个数字都来自报告原文的这一句（或表格这一格）；页码为原文件中的第几页（纯文本文件无页码）。")
        if not components.empty(numbers, "没有数字。"):
            components.table(tables.provenance(numbers))
    with indicator_tab:
        if not components.empty(indicator_rows, "所选范围内这个单位的报告没有绩效指标表。"):
            for (year, kind, project), part in indicator_rows.group_by(["year", "report_kind", "project_name"],
                                                                        maintain_order=True):
                st.markdown(f"**{year} 年 · {KIND_LABELS.get(kind, '')}{plain('：' + project) if project else ''}**")
                components.table(tables.indicators(part))
    with text_tab:
        for r in reports.to_dicts():
            with st.container(border=True):
                st.markdown(f"**{r['year']} 年 · {KIND_LABELS.get(r['report_kind'], '')}"
                            f"{plain('：' + r['project_name']) if r.get('project_name') else ''}"
                            f"{' · ' + DOCUMENT_LABELS[r['document_type']] if r.get('document_type') in DOCUMENT_LABELS else ''}**")
                st.caption(f"原文件：{plain(r['source_file'])}")
                problems, measures = st.columns(2)
                with problems:
                    components.report_text("存在问题", r.get("problems"))
                with measures:
                    components.report_text("改进措施", r.get("measures"))
