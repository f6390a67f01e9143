"""The pieces of the 上传与校对 page: importing uploads, the source text with every
extracted value highlighted, the correction form, the accept/reject/primary buttons and the
alias editor. Reads go through perfboard.ui.data; every write through perfboard.writes
(a private copy, then an atomic swap; on a DuckLake lake one transaction in the lake), called from here
and from nowhere else in the UI."""
from __future__ import annotations

import re

import polars as pl
import streamlit as st

from perfboard import markdown_safe, writes
from perfboard.numbers import parse_number
from perfboard.present import tables
from perfboard.present.format import KIND_LABELS, MISSING, METRICS, metric_label, number, plain, rule_source, unit_of
from perfboard.ui import components, data

_LAST_IMPORT = "_perfboard_last_import"
UPLOAD_TYPES = ["txt", "pdf", "docx", "xlsx", "csv", "json", "png", "jpg", "jpeg"]
RESULT = {"stored": "已入库", "duplicate": "已存在（内容相同，未重复入库）", "failed": "未能读取"}


def template_buttons() -> None:
    """The 录入表 template: offices that keep figures in a spreadsheet fill it in and upload it."""
    from perfboard import records
    row = st.container(horizontal=True, gap="small")
    row.caption("已有数字汇总表？下载录入表模板，按列填写后上传：")
    row.download_button("录入表模板（XLSX）", lambda: records.template_bytes("xlsx"), "绩效数据录入表.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                        type="tertiary", icon=":material/download:", key="template_xlsx")
    row.download_button("CSV", lambda: records.template_bytes("csv"), "绩效数据录入表.csv", "text/csv",
                        on_click="ignore", type="tertiary", key="template_csv")


def import_files(files) -> list[str]:
    """Stores uploaded files; unreadable ones are kept in 待处理 with their bytes. Returns
    the ids of the reports stored."""
    items = [(f.name, f.getvalue()) for f in files]
    try:
        outcomes = writes.store_uploads(items, data.database_path())
    except writes.WriteFailed as err:  # a full disk: nothing was stored, nothing half-written
        st.session_state.pop(_LAST_IMPORT, None)
        st.error(err.zh, icon=":material/hard_drive:")
        return []
    st.session_state[_LAST_IMPORT] = [
        {"文件": o.file, "结果": RESULT[o.status],
         "说明": (o.zh + "（原文件已保存在“待处理”列表）") if o.status == "failed" else _stored_note(o),
         "report_id": o.report_id}
        for o in outcomes]
    return [o.report_id for o in outcomes if o.status == "stored"]


def _stored_note(outcome) -> str:
    """What a stored file turned out to be, in Chinese (the CLI's English line says "facts")."""
    x = outcome.extraction
    if outcome.status != "stored" or x is None:
        return ""
    kind = KIND_LABELS.get(x.value("report_kind"), "")
    year = x.value("evaluated_year")
    parts = [x.value("department") or "单位未识别", f"{year} 年" if year else "年度未识别", kind]
    return " · ".join(p for p in parts if p) + f"，抽取到 {len(x.all_facts())} 项"


def import_results() -> None:
    """What the last import did, file by file, and the checks its new reports fail."""
    rows = st.session_state.get(_LAST_IMPORT)
    if not rows:
        return
    imported = pl.DataFrame(rows)
    components.table(imported.drop("report_id"), title="导入结果", downloads=False)
    new_ids = [r for r in imported["report_id"].to_list() if r]
    flags = data.checks().filter(pl.col("report_id").is_in(new_ids)) if new_ids else pl.DataFrame()
    if not flags.is_empty():
        st.warning("新入库的报告有需要核对的地方：", icon=":material/rule:")
        components.table(flags.select(pl.col("explanation").alias("规则"), pl.col("detail").alias("情况")),
                         downloads=False)


def pending_list() -> None:
    pending = data.run("review.pending")
    if pending.is_empty():
        return
    with st.expander(f"待处理（{pending.height} 个无法读取的文件，原文件已保存）", icon=":material/inbox:"):
        components.table(pending.select(pl.col("source_file").alias("文件"), pl.col("reason_zh").alias("原因"),
                                        pl.col("received_at").alias("上传时间")), downloads=False)


FORM_KEYS = ("fix_metric", "fix_subject", "fix_value", "fix_missing", "fix_snippet", "fix_reason")
_RESET = "_perfboard_fix_reset"


def editable_metrics() -> list[str]:
    """What an analyst may set: stored metrics, not those the views compute."""
    return [m for m, x in METRICS.items() if not x.computed]


def _plain_number(value: float | None) -> str:
    """A stored value as an analyst would type it (no thousands separators, no unit)."""
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _edit(metric: str, subject: str | None, value: float | None) -> None:
    """The 修改 button of a value's row: the form below gets that value (a callback, so it
    runs before the form's widgets are drawn)."""
    st.session_state.update(fix_metric=metric, fix_subject=subject or "", fix_value=_plain_number(value),
                            fix_missing=False, fix_snippet="", fix_reason="")


def fact_rows(facts: pl.DataFrame) -> None:
    """For an analyst: each value on a row of its own, with its marks, where it came from,
    its sentence and a 修改 button that opens it in the correction form."""
    shown, editable = tables.review_facts(facts), set(editable_metrics())
    for i, (r, row) in enumerate(zip(facts.iter_rows(named=True), shown.iter_rows(named=True))):
        with st.container(border=True, key=f"fact_row_{i}"):
            line = st.container(horizontal=True, vertical_alignment="center", gap="small")
            # the number and its marks are our own text; the label (a rated subject) and the
            # source are the report's, escaped
            marks = f"　{row['标记']}" if row["标记"] else ""
            line.markdown(f"**{plain(row['指标'])}**　{row['数值']}{marks}", width="stretch")
            line.button("修改", key=f"edit_{i}", icon=":material/edit:", type="tertiary",
                        on_click=_edit, args=(r["metric"], r["subject"], r["value"]),
                        disabled=r["metric"] not in editable,
                        help="在下方表单中修改这个数字" if r["metric"] in editable else "由其他数字算出，改那些数字即可")
            page = f"（第 {row['页码']} 页）" if row["页码"] != "—" else ""
            st.caption(f"取自：{plain(row['取自'])}{page}　｜　出处原文：{plain(row['出处原文'] or '（无）')}")


def correction_form(report_id: str, text: str, facts: pl.DataFrame, author: str) -> None:
    """Correct a value (its row's 修改 button fills this in) or add a missed one. The value
    now in the database is shown; an empty new value is refused unless 报告未披露 is
    ticked, so a value is never wiped by accident."""
    state = st.session_state
    if state.pop(_RESET, False):  # after a saved correction: an empty form for the next one
        for key in FORM_KEYS:
            state.pop(key, None)
    current = {(r["metric"], r["subject"]): r for r in facts.iter_rows(named=True)}
    with st.container(border=True):
        st.markdown("**修改或补充一个数字**（点上方某个数字那一行的“修改”，或在此选择指标）")
        left, right = st.columns([2, 1])
        metric = left.selectbox("指标", editable_metrics(),
                                format_func=lambda m: f"{METRICS[m].label}（{METRICS[m].unit}）", key="fix_metric")
        subject = right.text_input("评价对象（满意度类填写）", key="fix_subject").strip() or None
        now = current.get((metric, subject))
        old = now["value"] if now else None
        if now is None or old is None:
            st.caption(f"当前值：{MISSING}（这份报告没有这个数；保存即为补录）")
        else:
            st.caption(f"当前值：**{number(old, unit_of(metric), True)}**　取自："
                       f"{plain(rule_source(now['rule']))}")
        with st.form(f"correct_{report_id}", clear_on_submit=False, border=False):
            value_col, missing_col = st.columns([1, 1], vertical_alignment="bottom")
            raw = value_col.text_input("新数值", key="fix_value", placeholder="例如 95.5",
                                       help="只填数字；百分数可带 %。要清除一个数，请勾选右边的“报告未披露”。")
            missing = missing_col.checkbox(f"报告未披露（设为{MISSING}）", key="fix_missing",
                                           help="报告中确实没有这个数：删除现有数值，显示为未披露（不是 0）。")
            snippet = st.text_input("出处原文（补录时从“原文”框中复制数字所在的句子）", key="fix_snippet")
            reason = st.text_input("修改理由（必填）", key="fix_reason")
            if not st.form_submit_button("保存修改", type="primary"):
                return
    raw = raw.strip()
    if missing:
        if raw:
            st.error("已勾选“报告未披露”：请清空新数值，或取消勾选。")
            return
        if old is None:
            st.error(f"这份报告本来就没有这个数（{MISSING}），无需修改。")
            return
        value = None
    elif not raw:
        st.error("请填写新数值。若报告确实没有披露这个数，请勾选“报告未披露”。")
        return
    else:
        value = parse_number(raw.rstrip("%"))
        if value is None:
            st.error(f"“{markdown_safe.label(raw)}”不是数字。")
            return
        if old is not None and value == old:
            st.error("新数值与当前值相同，无需修改。")
            return
    if snippet.strip() and re.sub(r"\s+", "", snippet) not in re.sub(r"\s+", "", text):
        st.error("出处原文在报告中找不到，请从原文中复制。")
        return
    try:
        writes.correct(report_id, metric, value, reason, author, subject=subject, old_value=old,
                       snippet=snippet.strip() or None, db_file=data.database_path())
    except writes.ReviewError as err:
        st.error(err.zh)
        return
    state[_RESET] = True
    st.toast(f"已保存：{markdown_safe.label(metric_label(metric, subject))}", icon=":material/check:")
    st.rerun()


def decisions(report_id: str, is_primary: bool) -> None:
    """确认无误 / 退回 / 设为主报告 for an analyst."""
    accept, reject, primary = st.columns(3)
    if accept.button("确认无误", key="accept", icon=":material/check:"):
        writes.set_status(report_id, "accepted", db_file=data.database_path())
        st.rerun()
    if reject.button("退回（不采用）", key="reject", icon=":material/block:"):
        writes.set_status(report_id, "rejected", db_file=data.database_path())
        st.rerun()
    if not is_primary and primary.button("设为主报告", key="primary"):
        writes.make_primary(report_id, db_file=data.database_path())
        st.rerun()


def corrections(report_id: str, author: str | None) -> None:
    rows = data.run("review.corrections", report_id=report_id)
    if rows.is_empty():
        st.caption("这份报告还没有修改记录。")
        return
    for r in rows.iter_rows(named=True):
        old = number(r["old_value"], unit_of(r["metric"]), True)
        new = number(r["new_value"], unit_of(r["metric"]), True)
        state = "（已撤销）" if r["undone_at"] else ""
        line = (f"#{r['correction_id']} {r['created_at']:%Y-%m-%d %H:%M} {r['author']}："
                f"{metric_label(r['metric'], r['subject'])} {old} → {new}；理由：{r['reason']}{state}")
        left, right = st.columns([6, 1])
        left.text(line)
        if author and not r["undone_at"] and right.button("撤销", key=f"undo_{r['correction_id']}"):
            writes.undo(r["correction_id"], db_file=data.database_path())
            st.rerun()


def alias_editor(author: str | None) -> None:
    aliases = data.run("review.aliases")
    if aliases.is_empty():
        st.caption("还没有别名。同一单位的不同名称（带或不带城市名、更名前后）已按规则自动归并；其他情况在此添加。")
    else:
        components.table(aliases.rename({"alias": "别名（报告中的名称）", "department_key": "归并到单位",
                                         "created_by": "添加人", "created_at": "时间"}), title="别名", downloads=False)
    if not author:
        return
    with st.form("alias", clear_on_submit=True):
        left, right = st.columns(2)
        alias = left.text_input("报告中的单位名称", key="alias_name")
        key = right.text_input("归并到的单位标识（如 昆明市盘龙区信访局）", key="alias_key")
        if st.form_submit_button("保存别名"):
            try:
                writes.set_alias(alias, key, author, db_file=data.database_path())
            except writes.ReviewError as err:
                st.error(err.zh)
                return
            st.rerun()
    if not aliases.is_empty():
        with st.form("alias_remove"):
            gone = st.selectbox("删除别名", aliases["alias"].to_list(), key="alias_remove_name")
            if st.form_submit_button("删除"):
                writes.remove_alias(gone, db_file=data.database_path())
                st.rerun()
