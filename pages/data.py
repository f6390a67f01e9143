"""数据与来源: every report with its kind, year, period, file and extraction status; every
number with its source, filterable and downloadable (CSV with BOM for Excel, XLSX)."""
import streamlit as st

from perfboard.present import tables
from perfboard.present.format import metric_label, prepare
from perfboard.ui import components, data, exports, filters

SHOWN = 2000  # rows in the on-screen table; downloads hold every row

params = filters.current().params()
components.header("数据与来源", "所有报告与抽取出的每一个数字，均可追溯到原文")
reports = data.run("data.reports", **params, limit=SHOWN)

if not components.empty(reports):
    total = reports["total"][0]
    st.subheader(f"报告（{total:,} 份）")
    if total > SHOWN:
        st.caption(f"下表显示最近的 {SHOWN:,} 份；下载“全部数字”的 XLSX 含全部报告。")
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
    wanted = dict(params, metrics=chosen or None, search=search or None)
    numbers = prepare(data.run("data.numbers_with_sources", **wanted, limit=SHOWN))
    if not components.empty(numbers, "没有符合条件的数字。"):
        total = numbers["total"][0]
        st.caption(f"共 {total:,} 个数字" + (f"，下表显示前 {SHOWN:,} 个；下载包含全部" if total > SHOWN else ""))
        components.table(tables.metrics_view(numbers), height=420, downloads=False)
        exports.all_numbers_buttons(wanted)
        components.legend()
