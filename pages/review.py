"""上传与校对: add reports, check each extraction against its source text, correct or
add values (with a reason), accept or reject a report, and name departments."""
import streamlit as st

from perfboard import markdown_safe
from perfboard.present import tables
from perfboard.present.format import KIND_LABELS, highlighted, review_reasons
from perfboard.ui import auth, components, data
from perfboard.ui import review as ui

components.header("上传与校对", "上传新报告，逐项核对抽取结果与原文；修改都会留痕，可撤销")
analyst = auth.user()

st.subheader("上传报告")
if auth.require():
    files = st.file_uploader("选择报告文件（TXT、PDF、DOCX、XLSX，或录入表 CSV/XLSX/JSON），可多选，单个不超过 50 MB",
                             type=ui.UPLOAD_TYPES, accept_multiple_files=True, key="uploads")
    ui.template_buttons()
    if files and st.button("导入所选文件", type="primary", key="import"):
        with st.spinner("正在读取与抽取…"):
            stored = ui.import_files(files)
        if stored:
            st.session_state["review_select"] = stored[0]  # review what was just added
ui.import_results()
if analyst:  # names of unreadable uploads (and their bytes) are an analyst's business (README)
    ui.pending_list()

st.subheader("校对")
reports = data.run("review.reports_for_review")
if components.empty(reports, "还没有报告。"):
    st.stop()
labels = {r["report_id"]: ("【OCR】" if r["has_ocr"] else "") + f"{r['department'] or '未识别单位'} · "
                          f"{r['year'] or '未识别'} 年 · {KIND_LABELS.get(r['report_kind'], '')} · {r['source_file']}"
                          + (f"　〔待核：{review_reasons(r['review_reasons'])}〕" if r["needs_review"] else "")
          for r in reports.iter_rows(named=True)}
if st.session_state.get("review_select") not in labels:
    st.session_state.pop("review_select", None)
report_id = st.selectbox("报告", list(labels), format_func=labels.get, key="review_select")
report = data.run("review.report_text", report_id=report_id).row(0, named=True)
facts = data.run("review.report_facts", report_id=report_id)
status = {"extracted": "待校对", "accepted": "已确认", "rejected": "已退回"}[report["review_status"]]
st.caption(f"状态：{status}　｜　{'主报告' if report['is_primary'] else '非主报告（同单位同年度另有主报告）'}")

for flag in data.checks(report_id).iter_rows(named=True):
    st.warning(markdown_safe.label(f"{flag['explanation']}　{flag['detail']}"), icon=":material/rule:")

left, right = st.columns([1, 1])
with left:
    st.markdown("**抽取结果**（原文中橙色：出处；紫色：已更正）")
    if analyst:  # a row per value, each with its own 修改 button
        ui.fact_rows(facts)
        ui.correction_form(report_id, report["text"], facts, analyst)
        ui.decisions(report_id, report["is_primary"])
    else:
        components.table(tables.review_facts(facts), downloads=False)
        auth.require()
    st.markdown("**修改记录**")
    ui.corrections(report_id, analyst)
with right:
    if analyst:  # whole source texts only for analysts; viewers have each number's sentence (README)
        st.markdown(f"**原文**（{markdown_safe.label(report['source_file'])}）")
        with st.container(height=720):
            st.markdown(highlighted(report["text"], facts))
    else:
        st.caption("原文全文仅对已登录的分析员显示；“抽取结果”表中每个数字都附有它所在的句子（出处原文）。")

st.subheader("单位别名")
ui.alias_editor(analyst)
