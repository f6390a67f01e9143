"""What a document is (v_reports.document_type) decides what its figures mean, and the dashboard
says it: a figure from a 部门决算 is marked 决算数, one from a 部门预算 (a plan, nothing spent yet)
预算（计划）, a self-evaluation's carry no mark. A plan never stands beside spending as execution,
and of a unit-year's reports the charts show the self-evaluation before a 决算 (the primary).

The 决算 and the 预算 come from the real-layout corpus (tests/corpus/real), picked by their truth
files' document_type; the unit with a self-evaluation, a 决算 and a plan is our own invention
(own sentences, invented figures, a real place). Everything goes in through the CLI."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from perfboard import db

REAL = ROOT / "tests" / "corpus" / "real"
UNIT = "咸阳市秦都区信访局"


def truth_of(document_type: str) -> dict:
    """The first text report of the corpus whose truth says it is this kind of document."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(REAL.glob("*.json"))]
    found = [t for t in truths if t["document_type"] == document_type and t["file"].endswith(".txt")]
    assert found, f"the corpus has no {document_type} text report"
    return found[0]


ACCOUNTS, PLAN = truth_of("final_accounts"), truth_of("budget")

# our own unit: its 2023 决算 goes in first, then its 2023 self-evaluation and its 2024 plan
OWN_FIRST = {
    "qindu_accounts_2023.txt":
        "目录\n第一部分 部门概况\n第二部分 2023年度部门决算表\n第三部分 2023年度部门决算情况说明\n\n"
        f"{UNIT}2023年度部门决算\n\n一、收支决算总体情况\n"
        "本年收入合计301.22万元，本年支出合计296.80万元。年初预算为280.00万元，完成年初预算的106.00%。\n",
}
OWN_LATER = {
    "qindu_self_2023.txt":
        f"{UNIT}2023年度部门整体支出绩效自评报告\n\n一、预算执行情况\n"
        "2023年年初预算280.00万元，调整后预算302.50万元，全年实际支出295.36万元，预算执行率97.64%。\n\n"
        "二、绩效目标完成情况\n全年受理信访事项1286件。群众满意度为96.30%。\n\n"
        "三、自评结论\n自评得分93.5分，自评等级为优。\n",
    "qindu_plan_2024.txt":
        "咸阳市秦都区人民政府\n首页 > 政务公开 > 部门预算\n发布机构：秦都区财政局　　发布日期：2024-02-20\n\n"
        f"{UNIT}2024年部门预算公开说明\n\n一、收支总体情况\n"
        "2024年部门预算收入合计214.3600万元，支出合计214.3600万元，较上年预算203.1000万元增加11.2600万元。\n",
}


def cli(*args) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def query(db_file, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def typed_db(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("document_types")
    db_file = work / "typed.duckdb"
    corpus = work / "corpus"
    corpus.mkdir()
    for t in (ACCOUNTS, PLAN):
        shutil.copy(REAL / t["file"], corpus / t["file"])
    for step, texts in enumerate((OWN_FIRST, OWN_LATER)):
        folder = work / f"own{step}"
        folder.mkdir()
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
    cli("ingest", str(corpus), "--db", str(db_file))
    cli("ingest", str(work / "own0"), "--db", str(db_file))
    cli("ingest", str(work / "own1"), "--db", str(db_file))  # a self-evaluation after the 决算 of its year
    return db_file


# ---------------------------------------------------------------- the views

@pytest.mark.parametrize("truth", [ACCOUNTS, PLAN], ids=lambda t: t["document_type"])
def test_every_number_carries_its_report_s_document_type(typed_db, truth):
    [(report_id, document_type)] = query(typed_db, "SELECT report_id, document_type FROM v_reports "
                                                   "WHERE source_file = ?", [truth["file"]])
    assert document_type == truth["document_type"]
    stated = {f"budget.{k}": v for k, v in truth["budget"].items() if v is not None}
    for view in ("v_metrics", "v_dashboard_metrics", "dashboard_metrics"):
        rows = query(typed_db, f"SELECT metric, value, document_type FROM {view} "
                               "WHERE report_id = ? AND metric LIKE 'budget.%'", [report_id])
        assert {m: v for m, v, _ in rows} == pytest.approx(stated), view
        assert {d for _, _, d in rows} == {truth["document_type"]}, view
    if truth["document_type"] == "budget":  # a plan: its planned total and nothing else
        assert query(typed_db, "SELECT metric FROM v_metrics WHERE report_id = ?", [report_id]) == \
            [("budget.initial_wan",)]
    else:  # a 决算's spending is its 支出总计, and no rate is made up from it
        assert stated["budget.actual_wan"] == truth["budget"]["actual_wan"]
        assert "budget.execution_rate_pct" not in stated


def test_the_kept_dashboard_table_equals_a_rebuild(typed_db):
    con = db.connect_read(typed_db)
    try:
        only_rebuilt, only_kept, rows = db.metrics_drift(con)
    finally:
        con.close()
    assert rows > 0 and (only_rebuilt, only_kept) == (0, 0)


def test_a_self_evaluation_is_its_unit_year_s_primary_over_an_earlier_決算(typed_db):
    rows = dict(query(typed_db, "SELECT source_file, is_primary FROM v_reports WHERE department_key = ?", [UNIT]))
    assert rows == {"qindu_accounts_2023.txt": False, "qindu_self_2023.txt": True, "qindu_plan_2024.txt": True}
    # the figures the charts read are the self-evaluation's, the 决算's stay (not primary) on 数据与来源
    assert query(typed_db, "SELECT value, document_type FROM dashboard_metrics WHERE department_key = ? "
                           "AND year = 2023 AND metric = 'budget.actual_wan' AND is_primary", [UNIT]) == \
        [(295.36, "self_evaluation")]
    assert query(typed_db, "SELECT value FROM dashboard_metrics WHERE department_key = ? AND year = 2023 "
                           "AND metric = 'budget.actual_wan' AND NOT is_primary", [UNIT]) == [(296.80,)]


def test_a_plan_is_not_a_unit_s_latest_report_beside_one_that_spent(typed_db):
    latest = dict(query(typed_db, "SELECT department_key, year FROM latest_reports(NULL, NULL, NULL, NULL, NULL, NULL)"))
    assert latest[UNIT] == 2023                         # not the 2024 plan published before the year was spent
    [(plan_unit,)] = query(typed_db, "SELECT department_key FROM v_reports WHERE source_file = ?", [PLAN["file"]])
    assert latest[plan_unit] == PLAN["evaluated_year"]  # a unit known only from its plan keeps it


def test_an_analyst_s_primary_stands_until_a_more_telling_document_comes(typed_db, tmp_path):
    from perfboard import load, writes

    copy = tmp_path / "copy.duckdb"
    shutil.copy(typed_db, copy)
    [(accounts,)] = query(copy, "SELECT report_id FROM v_reports WHERE source_file = 'qindu_accounts_2023.txt'")
    writes.make_primary(accounts, copy)
    # a second plan of 2023 (less telling than the 决算 the analyst chose) leaves the choice alone
    plan = OWN_LATER["qindu_plan_2024.txt"].replace("2024", "2023")
    assert [o.status for o in load.ingest_items([("qindu_plan_2023.txt", plan.encode("utf-8"))], copy)] == ["stored"]
    rows = dict(query(copy, "SELECT source_file, is_primary FROM v_reports WHERE department_key = ? AND year = 2023",
                      [UNIT]))
    assert rows == {"qindu_accounts_2023.txt": True, "qindu_self_2023.txt": False, "qindu_plan_2023.txt": False}


# ---------------------------------------------------------------- the pages

def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def points(at) -> list[list]:
    """Every hover box's fields: unit, year, series, value with marks, source, notes."""
    return [p for fig in figures(at) for trace in fig["data"] for p in trace.get("customdata") or []]


def subtitles(at) -> str:
    return "\n".join((fig["layout"].get("title", {}).get("subtitle") or {}).get("text", "") for fig in figures(at))


@pytest.fixture
def page(typed_db, monkeypatch, dashboard):
    monkeypatch.setenv("PERFBOARD_DB", str(typed_db))
    return dashboard


def test_budget_page_marks_a_決算_s_figures_and_says_which_report_it_shows(typed_db, page):
    [(accounts_unit,)] = query(typed_db, "SELECT department_key FROM v_reports WHERE source_file = ?",
                               [ACCOUNTS["file"]])
    at = page("budget")
    assert any("绩效自评报告优先，其次决算" in c.value for c in at.caption)   # the rule, on the page
    at.selectbox(key="chart_year").set_value(ACCOUNTS["evaluated_year"]).run()
    assert not at.exception
    spent = [p for p in points(at) if p[0] == accounts_unit and p[2] == "实际支出"]
    assert spent and spent[0][3] == f"{ACCOUNTS['budget']['actual_wan']:,.2f} 万元（决算数）"
    assert "出自部门（单位）决算" in spent[0][5]
    assert "标“决算数”的出自决算（同年有自评报告时用自评报告）" in subtitles(at)
    assert f"{ACCOUNTS['budget']['actual_wan']:,.2f}（决算数）" in [v for t in at.dataframe for row in
                                                               t.value.itertuples(index=False) for v in row]


def test_budget_page_shows_the_self_evaluation_of_a_year_that_also_has_a_決算(page):
    at = page("budget")
    at.selectbox(key="chart_year").set_value(2023).run()
    mine = {p[2]: p[3] for p in points(at) if p[0] == UNIT}
    assert mine["预算执行率"] == "97.64%" and mine["实际支出"] == "295.36 万元"   # no mark: a self-evaluation
    assert "决算数" not in subtitles(at)


def test_budget_page_never_puts_a_plan_beside_spending(page):
    at = page("budget")
    at.selectbox(key="chart_year").set_value(2024).run()
    assert not at.exception
    found = points(at)
    planned = [p for p in found if p[2] == "年初预算" and p[0] == UNIT]
    assert planned and planned[0][3] == "214.36 万元（预算（计划））"
    assert "标“预算（计划）”的是计划数，不是执行数" in subtitles(at)
    # a plan spent nothing: no 2024 unit has an execution figure in any chart
    executed = [p for p in found if p[2] in ("实际支出", "预算执行率", "调整后预算", "预算调整率")
                and p[1] == "2024 年" and p[3] != "未披露"]
    assert executed == []


def test_overview_cards_and_ranking_mark_the_document(typed_db, page):
    from test_app import metric, static_rows

    [(accounts_unit,)] = query(typed_db, "SELECT department_key FROM v_reports WHERE source_file = ?",
                               [ACCOUNTS["file"]])
    at = page("overview")
    assert metric(at, UNIT, "预算执行率").value == "97.64%"        # the 2023 self-evaluation, not the 2024 plan
    score = metric(at, accounts_unit, "绩效自评得分")
    assert score.value == f"{ACCOUNTS['score']['total']:.2f}" and "决算数" in score.label
    assert any(":material/description: 决算数" in m.value for m in at.markdown)       # the card's badge
    assert any(":material/description: 预算（计划）" in m.value for m in at.markdown)
    at.selectbox(key="rank_year").set_value("latest").run()
    rows = {r["单位"]: r for r in static_rows(at)}
    assert rows[accounts_unit]["绩效自评得分（分）"] == f"{ACCOUNTS['score']['total']:.2f}（决算数）"
    assert rows[UNIT]["年度"] == "2023"


def test_data_page_names_each_figure_s_document(page):
    at = page("data", q=UNIT)
    [numbers] = [t.value for t in at.dataframe if "数值" in t.value.columns]
    kinds = {(r["年度"], r["指标"], r["数值"]): r["文件类型"] for r in numbers.to_dict("records")}
    assert kinds[("2023", "实际支出", "296.80（决算数）")] == "决算"
    assert kinds[("2023", "实际支出", "295.36")] == "绩效自评"
    assert kinds[("2024", "年初预算", "214.36（预算（计划））")] == "预算（计划）"
    [reports] = [t.value for t in at.dataframe if "原文件" in t.value.columns and "文件类型" in t.value.columns
                 and "抽取状态" in t.value.columns]
    assert {f: d for f, d in zip(reports["原文件"], reports["文件类型"]) if f.startswith("qindu")} == {
        "qindu_accounts_2023.txt": "决算", "qindu_self_2023.txt": "绩效自评", "qindu_plan_2024.txt": "预算（计划）"}


def test_the_brief_marks_a_決算_s_figures(typed_db, tmp_path):
    import docx

    out = tmp_path / "brief.docx"
    year = str(ACCOUNTS["evaluated_year"])
    subprocess.run([sys.executable, "-m", "perfboard", "brief", "--out", str(out), "--year-from", year,
                    "--year-to", year, "--db", str(typed_db)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"为{ACCOUNTS['score']['total']:.2f}分（决算数）" in text, text
    assert "标“决算数”的出自决算" in text
    assert f"· {ACCOUNTS['evaluated_year']} 年 · 部门决算" in text  # the source named as what it is


def test_department_and_compare_pages_mark_the_document(typed_db, page):
    [(accounts_unit,)] = query(typed_db, "SELECT department_key FROM v_reports WHERE source_file = ?",
                               [ACCOUNTS["file"]])
    actual = f"{ACCOUNTS['budget']['actual_wan']:,.2f}（决算数）"
    at = page("department", unit=accounts_unit)
    [sources] = [t.value for t in at.dataframe if "出处原文" in t.value.columns and "文件类型" in t.value.columns]
    spent = sources[sources["指标"] == "实际支出"].to_dict("records")
    assert [(r["数值"], r["文件类型"]) for r in spent] == [(actual, "决算")]
    assert any(m.value.startswith(f"**{ACCOUNTS['evaluated_year']} 年 · 部门整体 · 决算**") for m in at.markdown)
    at = page("compare", units=[accounts_unit, UNIT], metrics=["budget.actual_wan", "budget.initial_wan"])
    [side] = [t.value for t in at.dataframe]
    cells = side[side["指标"] == "实际支出"].to_dict("records")[0]
    assert cells[f"{accounts_unit} · {ACCOUNTS['evaluated_year']}"] == actual
    assert cells[f"{UNIT} · 2023"] == "295.36"
    assert side[side["指标"] == "年初预算"].to_dict("records")[0][f"{UNIT} · 2024"] == "214.36（预算（计划））"
