"""数据与来源: every report with its kind, year, period, file and extraction status; every
number with its source, filterable and downloadable (CSV with BOM for Excel, XLSX)."""
import streamlit as st

from perfboard.export import tables as files
from perfboard.ui import components, data, filters, frame, tables
from perfboard.ui.format import metric_label, prepare

frame.ensure()

params = filters.current().params()
components.header("数据与来源", "所有报告与抽取出的每一个数字，均可追溯到原文")
reports = data.run("data.reports", **params)

if not components.empty(reports):
    st.subheader(f"报告（{len(reports)} 份）")
    components.table(tables.reports(reports))
    flags = tables.flags(data.checks(), reports)
    if not flags.is_empty():
        st.subheader(f"数据核对提示（{len(flags)} 条）")
        st.caption("按校验规则自动发现、需要人工核对的地方；可在“上传与校对”页修改或确认。")
        components.table(flags, title="数据核对提示")
    pending = data.run("data.pending_files")
    if not pending.is_empty():
        st.subheader(f"未能读取的文件（{len(pending)} 个）")
        components.table(tables.pending(pending))

    st.subheader("数字")
    left, right = st.columns([3, 2])
    names = data.run("data.metric_names")["metric"].to_list()
    chosen = filters.url_multiselect("指标", names, "metric", [], format_func=metric_label, container=left,
                                     placeholder="全部指标")
    search = filters.url_text_input("关键词", "q", container=right, placeholder="在单位、评价对象或出处原文中查找")
    numbers = prepare(data.run("data.metrics", **params, metrics=chosen or None, search=search or None))
    if not components.empty(numbers, "没有符合条件的数字。"):
        st.caption(f"共 {len(numbers)} 个数字")
        components.table(tables.metrics_view(numbers), height=420, downloads=False)
        export = tables.for_export(numbers)
        csv_col, xlsx_col, _ = st.columns([1, 1, 3])
        csv_col.download_button("下载 CSV", lambda: files.csv_bytes(export), "perfboard_metrics.csv", "text/csv",
                                on_click="ignore", icon=":material/download:",
                                help="数值为原始数字（万元、%、件）；UTF-8（带 BOM），Excel 可直接打开中文")
        xlsx_col.download_button(
            "下载 XLSX", lambda: files.xlsx_bytes({"数字": export, "报告": tables.reports(reports)},
                                                filters.current().sheet()),
            "perfboard_data.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore", icon=":material/download:", help="首个工作表为筛选条件")
        components.legend()
