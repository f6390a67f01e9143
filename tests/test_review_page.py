"""The 上传与校对 page through AppTest: analyst actions refused without a login; with one,
upload (good and unreadable files), correct a value, reload in a new session and find it
still there, undo it; aliases."""
from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPORTS as SEED
from perfboard import auth, db
from perfboard.ui import auth as auth_ui

PASSWORD = "correct horse battery"


@pytest.fixture
def db_copy(seed_db, tmp_path, monkeypatch):
    path = tmp_path / "review.duckdb"
    shutil.copyfile(seed_db, path)
    monkeypatch.setenv("PERFBOARD_DB", str(path))
    return path


def open_review(dashboard, logged_in: bool) -> AppTest:
    at = dashboard("review", secrets={"auth": {"users": {"analyst": auth.hash_password(PASSWORD)}}})
    if logged_in:
        at.sidebar.text_input(key="login_user").input("analyst")
        at.sidebar.text_input(key="login_password").input(PASSWORD)
        at.button(key="login").click().run()
        assert auth_ui.USER_KEY in at.session_state
    assert not at.exception, [e.value for e in at.exception]
    return at


def _submit(at: AppTest, label: str) -> None:
    [button] = [b for b in at.button if b.label == label and (b.key or "").startswith("FormSubmitter:")]
    button.click()
    at.run()


def query(path, sql, params=None):
    con = db.connect_read(path)  # the bulk file and its changes file, as the dashboard reads them
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_without_login_nothing_can_be_changed(db_copy, dashboard):
    at = open_review(dashboard, logged_in=False)
    assert not at.get("file_uploader")
    submits = [b.label for b in at.button if (b.key or "").startswith("FormSubmitter:")]
    assert submits == []  # no correction or alias form
    assert at.sidebar.text_input(key="login_user")  # the login box is there
    assert any("需要分析员登录" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("accept", "reject", "import")]
    # the page still shows the extraction and the source text
    assert "抽取结果" in "".join(m.value for m in at.markdown)


def test_upload_correct_reload_undo(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    new_report = (SEED / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8").replace("2023", "2024")
    at.get("file_uploader")[0].set_value([("盐田2024.txt", new_report.encode(), "text/plain"),
                                          ("空文件.txt", b"", "text/plain")])
    at.run()
    at.button(key="import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [results] = [d.value for d in at.dataframe if "结果" in d.value.columns]
    assert list(results["结果"]) == ["已入库", "未能读取"]
    assert "文件为空" in results["说明"][1]
    assert results["说明"][0] == "深圳市盐田区信访局 · 2024 年 · 部门整体，抽取到 14 项"  # no "facts"
    assert query(db_copy, "SELECT source_file, reason_code FROM pending_files") == [("空文件.txt", "unreadable")]
    [(report_id,)] = query(db_copy, "SELECT report_id FROM v_reports WHERE year = 2024")

    # the new report is selected for review; correct its score
    assert at.selectbox(key="review_select").value == report_id
    at.selectbox(key="fix_metric").select("score.total")
    at.text_input(key="fix_value").input("95.5")
    at.text_input(key="fix_reason").input("附件评分表为 95.5 分")
    _submit(at, "保存修改")
    assert not at.exception, [e.value for e in at.exception]
    assert query(db_copy, "SELECT value, corrected FROM v_metrics WHERE report_id = ? AND metric = 'score.total'",
                 [report_id]) == [(95.5, True)]

    # a new session (a reload) sees the correction and can undo it
    again = open_review(dashboard, logged_in=True)
    again.selectbox(key="review_select").select(report_id).run()
    assert any("95.50" in t.value and "附件评分表" in t.value for t in again.text)
    [undo] = [b for b in again.button if b.key and b.key.startswith("undo_")]
    undo.click().run()
    assert query(db_copy, "SELECT value, corrected FROM v_metrics WHERE report_id = ? AND metric = 'score.total'",
                 [report_id]) == [(94.92, False)]


def test_wrong_password_is_refused(db_copy, dashboard):
    at = open_review(dashboard, logged_in=False)
    at.sidebar.text_input(key="login_user").input("analyst")
    at.sidebar.text_input(key="login_password").input("wrong password")
    at.button(key="login").click().run()
    assert any("不正确" in e.value for e in at.sidebar.error)
    assert not at.get("file_uploader")


def test_correction_without_reason_is_refused(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    at.text_input(key="fix_value").input("1")
    _submit(at, "保存修改")
    assert any("理由" in e.value for e in at.error)
    assert query(db_copy, "SELECT count(*) FROM corrections") == [(0,)]


def test_snippet_must_come_from_the_report(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    at.text_input(key="fix_value").input("12")
    at.text_input(key="fix_snippet").input("这句话不在报告里")
    at.text_input(key="fix_reason").input("补录")
    _submit(at, "保存修改")
    assert any("找不到" in e.value for e in at.error)


def test_alias_editor(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    at.text_input(key="alias_name").input("盘龙信访")
    at.text_input(key="alias_key").input("昆明市盘龙区信访局")
    _submit(at, "保存别名")
    assert query(db_copy, "SELECT alias, department_key, created_by FROM department_aliases") == \
        [("盘龙信访", "昆明市盘龙区信访局", "analyst")]


def test_data_page_flags_reports_that_break_a_rule(db_copy, dashboard):
    at = dashboard("data")
    assert "数据核对提示（1 条）" in [s.value for s in at.subheader]
    [flags] = [d.value for d in at.dataframe if "校验规则" in d.value.columns]
    assert list(flags["单位"]) == ["昆明市盘龙区信访局"]
    assert "各渠道合计 2565 件" in flags["情况"][0] and "分渠道信访量" in flags["校验规则"][0]


def test_ocr_read_reports_come_first_and_their_values_say_so(db_copy, dashboard):
    # as if 盘龙's report had been a scan: its facts carry OCR provenance
    con = duckdb.connect(str(db_copy))
    con.execute("UPDATE facts SET ocr = TRUE, ocr_confidence = 0.91 WHERE report_id IN "
                "(SELECT report_id FROM reports WHERE district = '盘龙区')")
    [(panlong,)] = con.execute("SELECT report_id FROM reports WHERE district = '盘龙区'").fetchall()
    con.close()
    at = open_review(dashboard, logged_in=False)
    box = at.selectbox(key="review_select")
    assert box.value == panlong and box.options[0].startswith("【OCR】盘龙区信访局")
    [facts] = [d.value for d in at.dataframe if "取自" in d.value.columns]
    assert any("OCR（置信度 0.91）" in m for m in facts["标记"])


def test_accept_and_reject_buttons(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    report_id = at.selectbox(key="review_select").value
    at.button(key="accept").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert query(db_copy, "SELECT review_status FROM reports WHERE report_id = ?", [report_id]) == [("accepted",)]
    assert any("状态：已确认" in c.value for c in at.caption)
    at.button(key="reject").click().run()
    assert query(db_copy, "SELECT review_status FROM reports WHERE report_id = ?", [report_id]) == [("rejected",)]
    assert any("状态：已退回" in c.value for c in at.caption)


# ---------------------------------------------------------------- the correction form

def _row_of(at: AppTest, db_file, metric: str) -> tuple[str, int, float]:
    """The selected report, the index of `metric`'s row on the page, and its stored value."""
    report_id = at.selectbox(key="review_select").value
    rows = query(db_file, "SELECT m.metric, m.subject, m.value FROM v_metrics m WHERE report_id = ? "
                          "ORDER BY m.metric, m.subject", [report_id])
    [(i, value)] = [(i, v) for i, (m, _, v) in enumerate(rows) if m == metric]
    return report_id, i, value


def test_the_edit_button_on_a_value_row_fills_the_form_with_its_current_value(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    report_id, i, value = _row_of(at, db_copy, "budget.adjusted_wan")
    assert value is not None
    # the value's own row says what it is and where it came from, in Chinese
    row_text = " ".join(m.value for m in at.markdown if "调整后预算" in m.value)
    assert f"{value:,.2f}" in row_text
    at.button(key=f"edit_{i}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="fix_metric").value == "budget.adjusted_wan"
    assert float(at.text_input(key="fix_value").value) == value
    assert at.checkbox(key="fix_missing").value is False
    [now] = [c.value for c in at.caption if c.value.startswith("当前值")]
    assert f"{value:,.2f}" in now and "取自" in now and "label." not in now and "table." not in now


def test_an_empty_new_value_is_refused_and_nothing_is_wiped(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    report_id, i, value = _row_of(at, db_copy, "budget.adjusted_wan")
    at.button(key=f"edit_{i}").click().run()
    at.text_input(key="fix_value").input("")
    at.text_input(key="fix_reason").input("清空试试")
    _submit(at, "保存修改")
    assert any("请填写新数值" in e.value and "报告未披露" in e.value for e in at.error)
    assert query(db_copy, "SELECT count(*) FROM corrections") == [(0,)]
    assert query(db_copy, "SELECT value FROM v_metrics WHERE report_id = ? AND metric = 'budget.adjusted_wan'",
                 [report_id]) == [(value,)]


def test_a_value_and_not_disclosed_together_are_refused(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    _, i, _ = _row_of(at, db_copy, "budget.adjusted_wan")
    at.button(key=f"edit_{i}").click().run()
    at.checkbox(key="fix_missing").check()
    at.text_input(key="fix_reason").input("两样都选")
    _submit(at, "保存修改")  # the current value is still in the box
    assert any("请清空新数值" in e.value for e in at.error)
    assert query(db_copy, "SELECT count(*) FROM corrections") == [(0,)]


def test_not_disclosed_is_a_deliberate_choice_and_then_the_value_is_gone(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    report_id, i, value = _row_of(at, db_copy, "budget.adjusted_wan")
    at.button(key=f"edit_{i}").click().run()
    at.text_input(key="fix_value").input("")
    at.checkbox(key="fix_missing").check()
    at.text_input(key="fix_reason").input("该数为上年数，报告未披露本年调整后预算")
    _submit(at, "保存修改")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert query(db_copy, "SELECT old_value, new_value, author FROM corrections") == [(value, None, "analyst")]
    assert query(db_copy, "SELECT value FROM v_metrics WHERE report_id = ? AND metric = 'budget.adjusted_wan' "
                          "AND value IS NOT NULL", [report_id]) == []
    # the form is empty again for the next correction, and the log says what happened
    assert at.text_input(key="fix_reason").value == ""
    assert any("未披露" in t.value and "该数为上年数" in t.value for t in at.text)


def test_a_new_value_equal_to_the_current_one_is_not_a_correction(db_copy, dashboard):
    at = open_review(dashboard, logged_in=True)
    _, i, _ = _row_of(at, db_copy, "budget.adjusted_wan")
    at.button(key=f"edit_{i}").click().run()
    at.text_input(key="fix_reason").input("没改")
    _submit(at, "保存修改")
    assert any("与当前值相同" in e.value for e in at.error)
    assert query(db_copy, "SELECT count(*) FROM corrections") == [(0,)]


def test_reports_marked_for_review_come_first_with_their_reasons_in_chinese(db_copy, dashboard):
    from perfboard import load

    # a self-evaluation that names neither its department nor its year
    text = ("部门整体支出绩效自评报告\n一、预算执行情况\n本单位调整后预算312.4万元，实际支出305.9万元，"
            "预算执行率97.92%。\n二、自评结论\n自评得分94.5分，等级为优。\n").encode("utf-8")
    later = (SEED / "004_03db85e7bcb5560f.txt").read_bytes() + "\n（再次上传）\n".encode("utf-8")
    # the flagged report goes in first, so newest-first alone would list the other one above it
    outcomes = load.ingest_items([("nameless.txt", text)], db_copy) + load.ingest_items([("later.txt", later)], db_copy)
    assert [o.status for o in outcomes] == ["stored", "stored"], [o.line() for o in outcomes]
    [(needs_review, reasons)] = query(db_copy, "SELECT needs_review, review_reasons FROM v_reports "
                                               "WHERE source_file = 'nameless.txt'")
    assert needs_review and "department_missing" in reasons.split(",") and "year_missing" in reasons.split(",")
    at = open_review(dashboard, logged_in=False)
    box = at.selectbox(key="review_select")
    first = box.options[0]
    assert first.startswith("未识别单位 · 未识别 年") and "nameless.txt" in first, box.options
    assert "〔待核：未识别出单位；未识别出年度" in first, first
    # reports nobody needs to look at again carry no mark and come after
    assert not any("待核" in o for o in box.options if "later.txt" in o)
    assert box.options.index(next(o for o in box.options if "later.txt" in o)) > 0
