"""`python -m perfboard ingest` / `reextract` and the contract views, through the CLI."""
import io
import os
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT
from perfboard import db as database

REPORTS = ROOT / "data" / "reports"


def cli(*args, db=None, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    if db:
        args = (*args, "--db", str(db))
    return subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)


def query(db, sql, params=None):
    con = database.connect_read(db)  # the bulk file and its changes file, as the dashboard reads them
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("ingest") / "seed.duckdb"
    out = cli("ingest", str(REPORTS), db=db)
    assert out.returncode == 0, out.stderr
    assert "5 stored" in out.stdout
    return db


def metric(db, district, name, subject=None):
    rows = query(db, "SELECT value, derived, source_snippet FROM v_metrics WHERE department_key LIKE ? "
                     "AND metric = ? AND coalesce(subject, '') = coalesce(?, '')", [f"%{district}%", name, subject])
    assert len(rows) == 1, rows
    return rows[0]


def test_views_carry_real_values_with_provenance(seed_db):
    value, derived, snippet = metric(seed_db, "天河区", "budget.execution_rate_pct")
    assert (value, derived) == (94.01, False) and "94.01%" in snippet
    value, derived, snippet = metric(seed_db, "盘龙区", "budget.actual_wan")
    assert (value, derived) == (284.63, False) and "2846343.88元" in snippet
    assert metric(seed_db, "盘龙区", "budget.execution_rate_pct")[:2] == (99.8, True)
    assert metric(seed_db, "从化区", "satisfaction.satisfaction_pct", "群众")[0] == 98.77
    assert metric(seed_db, "白云区", "score.total")[0] == 99.87


def test_v_reports_one_key_per_department_with_location(seed_db):
    rows = query(seed_db, "SELECT department, department_key, province, city, district, year, report_kind, "
                          "score_grade FROM v_reports ORDER BY department_key")
    assert len(rows) == 5
    panlong = next(r for r in rows if r[0] == "盘龙区信访局")
    assert panlong[1:6] == ("昆明市盘龙区信访局", "云南省", "昆明市", "盘龙区", 2022)
    baiyun = next(r for r in rows if "白云区" in r[0])
    assert baiyun[5:] == (2023, "project", "优")


def test_partial_period_and_prior_year_are_kept_apart(seed_db):
    rows = query(seed_db, "SELECT metric, value, period_start, period_end FROM v_metrics "
                          "WHERE department_key = '昆明市盘龙区信访局' AND metric LIKE 'petitions.%' ORDER BY metric")
    got = {m: (v, s, e) for m, v, s, e in rows}
    assert got["petitions.total"] == (2371, "01-01", "10-31")
    assert got["petitions.prior_year_total"][0] == 1676


def test_missing_values_are_absent_not_zero(seed_db):
    assert query(seed_db, "SELECT count(*) FROM v_metrics WHERE department_key = '广州市从化区信访局' "
                          "AND metric LIKE 'petitions.%'") == [(0,)]
    assert query(seed_db, "SELECT count(*) FROM v_metrics WHERE value = 0") == [(0,)]


def test_v_indicators(seed_db):
    rows = query(seed_db, "SELECT level1, level2, level3, target, actual FROM v_indicators i "
                          "JOIN v_reports r USING (report_id) WHERE r.district = '白云区' ORDER BY ord")
    assert len(rows) == 9
    assert ("产出指标", "质量指标", "区领导重点约访", "≥20名", "25名") in rows


def test_same_bytes_again_do_nothing_and_say_so(seed_db):
    before = query(seed_db, "SELECT count(*) FROM facts")
    out = cli("ingest", str(REPORTS / "000_6ba80dadf7886f78.txt"), db=seed_db)
    assert out.returncode == 0
    assert "already stored" in out.stdout and "已存在" in out.stdout
    assert query(seed_db, "SELECT count(*) FROM facts") == before


def test_reextract_after_an_extractor_change_keeps_corrections(tmp_path):
    db = tmp_path / "r.duckdb"
    assert cli("ingest", str(REPORTS), db=db).returncode == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE reports SET extractor_version = 'old'")
    report_id = con.execute("SELECT report_id FROM reports WHERE district = '天河区'").fetchall()[0][0]
    con.execute("INSERT INTO corrections (report_id, metric, old_value, new_value, reason, author) "
                "VALUES (?, 'budget.actual_wan', 683.83, 683.84, 'test', 'analyst')", [report_id])
    con.close()
    out = cli("reextract", db=db)
    assert out.returncode == 0, out.stderr
    assert "5 reextracted" in out.stdout
    assert query(db, "SELECT count(*) FROM reports WHERE extractor_version = 'old'") == [(0,)]
    assert query(db, "SELECT value, corrected FROM v_metrics WHERE report_id = ? AND metric = 'budget.actual_wan'",
                 [report_id]) == [(683.84, True)]
    again = cli("reextract", db=db)
    assert again.returncode == 0 and "nothing to re-extract" in again.stdout


def _docx_bytes() -> bytes:
    import docx
    document = docx.Document()
    document.add_paragraph("广州市天河区信访局 2022年度部门整体支出绩效自评报告")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture
def bad_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.txt").write_bytes(os.urandom(4096))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2048))
    (folder / "truncated.docx").write_bytes(_docx_bytes()[:300])
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(51 * 1024 * 1024)
    (folder / "good.txt").write_bytes((REPORTS / "004_03db85e7bcb5560f.txt").read_bytes())
    unknown = tmp_path / "setup.exe"
    unknown.write_bytes(b"MZ" + os.urandom(100))
    return folder, unknown


def test_bad_input_one_line_each_rest_of_batch_goes_in(tmp_path, bad_batch):
    folder, unknown = bad_batch
    db = tmp_path / "bad.duckdb"
    out = cli("ingest", str(folder), str(unknown), db=db)
    assert out.returncode == 1
    failed = [l for l in out.stderr.splitlines() if l.startswith("failed")]
    assert len(failed) == 6, out.stderr
    for name in ("empty.txt", "random.txt", "scan.pdf", "truncated.docx", "huge.txt", "setup.exe"):
        line = next(l for l in failed if name in l)
        assert " / " in line  # English / Chinese
    assert "1 stored" in out.stdout
    assert query(db, "SELECT department FROM v_reports") == [("深圳市盐田区信访局",)]


def test_a_failing_batch_leaves_a_stored_database_unchanged(seed_db, bad_batch, tmp_path):
    folder, _ = bad_batch
    (folder / "good.txt").unlink()
    before = seed_db.read_bytes()
    out = cli("ingest", str(folder), db=seed_db)
    assert out.returncode == 1
    assert query(seed_db, "SELECT count(*) FROM reports") == [(5,)]
    assert seed_db.read_bytes() == before


def test_extract_reports_bad_files_and_still_prints_the_good_ones(bad_batch):
    folder, _ = bad_batch
    out = subprocess.run([sys.executable, "-m", "perfboard", "extract", str(folder / "empty.txt"),
                          str(folder / "good.txt"), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "文件为空" in out.stderr
    assert '"深圳市盐田区信访局"' in out.stdout


def test_a_reader_refuses_an_older_database_and_the_cli_upgrades_it(tmp_path, seed_db, dashboard, monkeypatch):
    import shutil

    from perfboard import queries
    old = tmp_path / "old.duckdb"
    shutil.copyfile(seed_db, old)
    con = duckdb.connect(str(old))
    con.execute("DROP TABLE dashboard_metrics")  # as written before the dashboard had its table
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_version'")
    con.close()
    before = old.read_bytes()
    with pytest.raises(database.OutdatedDatabase, match="perfboard upgrade --db"):
        database.connect_read(old)
    monkeypatch.setenv("PERFBOARD_DB", str(old))
    at = dashboard()  # the dashboard says which command upgrades it, and writes nothing
    assert any(f"python -m perfboard upgrade --db {old}" in w.value for w in at.warning)
    assert old.read_bytes() == before

    out = subprocess.run([sys.executable, "-m", "perfboard", "upgrade", "--db", str(old)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    reader = database.connect_read(old)
    try:
        cards = queries.run(database.cursor(reader), "overview.cards", province=None, city=None, departments=None,
                            year_from=None, year_to=None, kind=None, limit=None)
    finally:
        reader.close()
    assert cards.filter((cards["department_key"] == "广州市天河区信访局")
                        & (cards["metric"] == "budget.execution_rate_pct"))["value"].to_list() == [94.01]
    assert query(old, "SELECT value FROM meta WHERE key = 'schema_version'") == [(database.schema_version(),)]


# ── document type, 待核 and confidence in the views ──────────────────────────

LAYOUTS = {
    # a 部门预算 web page: chrome above the title, a plan's total, the prior year's plan beside it
    "plan.txt": "咸阳市秦都区人民政府\n首页 > 政务公开 > 部门预算\n发布机构：秦都区财政局　　发布日期：2024-02-20\n\n"
                "咸阳市秦都区信访局2024年部门预算公开说明\n\n一、收支总体情况\n"
                "2024年部门预算收入合计214.3600万元，支出合计214.3600万元，较上年预算203.1000万元增加11.2600万元。\n",
    # a 部门决算 with its contents first: spending is 支出合计, 完成年初预算的 is not a rate
    "accounts.txt": "目录\n第一部分 部门概况\n第二部分 2023年度部门决算表\n第三部分 2023年度部门决算情况说明\n\n"
                    "汉中市汉台区信访局2023年度部门决算\n\n一、收支决算总体情况\n"
                    "本年收入合计301.22万元，本年支出合计296.80万元。年初预算为280.00万元，完成年初预算的106.00%。\n",
    # a cover page that names nothing: who and which year are unknown
    "cover.txt": "部门整体支出绩效自评报告\n\n（盖章）\n",
}


@pytest.fixture(scope="module")
def layout_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    for name, text in LAYOUTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "layouts.duckdb"
    out = cli("ingest", str(folder), db=db)
    assert out.returncode == 0, out.stderr
    return db


def test_v_reports_says_what_each_document_is_and_which_need_review(layout_db):
    rows = {r[0]: r[1:] for r in query(layout_db, "SELECT source_file, document_type, department, year, needs_review, "
                                                  "review_reasons FROM v_reports")}
    assert rows["plan.txt"][:3] == ("budget", "咸阳市秦都区信访局", 2024)
    assert rows["accounts.txt"][:3] == ("final_accounts", "汉中市汉台区信访局", 2023)
    assert rows["plan.txt"][3] is False and rows["accounts.txt"][3] is False
    assert rows["cover.txt"][0] == "self_evaluation"
    assert rows["cover.txt"][3] is True
    assert {"department_missing", "year_missing", "figures_missing"} <= set(rows["cover.txt"][4].split(","))


def test_a_plan_spends_nothing_and_accounts_spend_their_total(layout_db):
    got = dict(((f, m), v) for f, m, v in query(layout_db, "SELECT r.source_file, m.metric, m.value FROM v_metrics m "
                                                          "JOIN v_reports r USING (report_id)"))
    assert got[("plan.txt", "budget.initial_wan")] == pytest.approx(214.36)
    assert not [k for k in got if k[0] == "plan.txt" and k[1] != "budget.initial_wan"]
    assert got[("accounts.txt", "budget.actual_wan")] == pytest.approx(296.80)
    assert got[("accounts.txt", "budget.initial_wan")] == pytest.approx(280.0)
    assert ("accounts.txt", "budget.execution_rate_pct") not in got
    assert ("accounts.txt", "budget.adjusted_wan") not in got


def test_each_fact_carries_its_rule_and_confidence(layout_db):
    rows = query(layout_db, "SELECT f.metric, f.rule, f.confidence, f.source_snippet FROM facts f JOIN reports r "
                            "USING (report_id) WHERE r.source_file = 'accounts.txt' AND f.metric = 'budget.actual_wan'")
    (metric, rule, confidence, snippet), = rows
    assert rule == "label.支出合计" and 0.5 < confidence <= 1
    assert "296.80" in snippet


def test_provenance_points_into_the_stored_text_past_the_removed_contents_and_chrome(layout_db):
    rows = query(layout_db, "SELECT r.source_file, substr(r.text, f.source_offset + 1, f.source_length) FROM facts f "
                            "JOIN reports r USING (report_id) WHERE f.metric IN ('budget.actual_wan', 'budget.initial_wan')")
    got = {(name, span) for name, span in rows}
    assert ("accounts.txt", "296.80万元") in got or ("accounts.txt", "296.80") in got
    assert any(name == "plan.txt" and span.startswith("214.3600") for name, span in got)


def test_ingest_prints_each_publish_as_it_is_published(tmp_path):
    """The CLI prints a publish's lines once it is published, not every line at the end (nor holds
    them all: at 300,000 files they were ~150 MiB of the writer): the first line arrives while the
    ingest has stored only some of the files, and the summary counts every file."""
    corpus = tmp_path / "corpus"
    done = cli("synth", "--departments", "12", "--years", "3", "--out", str(corpus))
    assert done.returncode == 0, done.stderr
    proc = subprocess.Popen([sys.executable, "-m", "perfboard", "ingest", str(corpus), "--publish-every", "1",
                             "--db", str(tmp_path / "p.duckdb")], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        [(stored_then,)] = query(tmp_path / "p.duckdb", "SELECT count(*) FROM reports")
        rest, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert first.startswith("stored   synth_"), (first, err[-2000:])
    assert stored_then < 36  # printed at its publish: most files were not stored yet
    lines = [first, *rest.splitlines()]
    assert sum(line.startswith("stored   ") for line in lines) == 36 and lines[-1] == "36 stored"
    assert proc.returncode == 0
