"""A write reads only the departments it touches (issue 15: a write costs what it changes):
load.prefer_primary reads the new reports' departments, db.changes.bring_select takes over
from the bulk file only the departments the written reports belong to, by their stored key or
the key an alias gives them, and db.touch_units marks their units as v_reports resolves them.
Each test writes into a database where other departments are stored and checks the primary
choice and dashboard_metrics against a full rebuild (db.metrics_drift), writing the whole file
and writing the changes file beside it (where the departments must be brought over whole)."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from conftest import ROOT, perfboard_cli as cli, read_db as rows
from perfboard import db, writes

YEARS = (2015, 2016, 2017, 2018)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Forty departments' reports over four years; of three departments' overall reports (d, e, f)
    some years are held back for the writes below."""
    work = tmp_path_factory.mktemp("scoped")
    cli("synth", "--departments", "40", "--years", str(len(YEARS)), "--out", str(work / "synth"))
    truth = {f: json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
             for f in sorted((work / "synth").glob("*.txt"))}
    of = {(t["department"], t["evaluated_year"]): f for f, t in truth.items() if t["report_kind"] == "department_overall"}
    # departments with an overall report every year
    overall = sorted({name for name, _ in of if all((name, y) in of for y in YEARS)})
    assert len(overall) >= 3  # d, e and at least one more stay stored
    d, e = overall[0], overall[1]
    # and one whose overall reports of 2017 and 2018 share the department with a project's report
    projects = {t["department"] for t in truth.values() if t["report_kind"] == "project"}
    g = min(name for name in projects if (name, 2017) in of and (name, 2018) in of)
    held = {"d2017": of[d, 2017], "d2018": of[d, 2018], "e2018": of[e, 2018], "f2018": of[g, 2018]}
    base = work / "base"
    base.mkdir()
    for f in truth:
        if f not in held.values():
            shutil.copy(f, base / f.name)
    db_file = work / "base.duckdb"
    cli("ingest", str(base), "--db", str(db_file))
    keys = {name: rows(db_file, "SELECT DISTINCT department_key FROM reports WHERE department = ?", (name,))
            for name in (d, e, g)}
    assert all(len(k) == 1 for k in keys.values())
    return {"db": db_file, "d": d, "e": e, "f": g, **{f"{x}_key": keys[name][0][0] for x, name in zip("def", (d, e, g))},
            **held}


@pytest.fixture(params=[str(16 << 20), "0"], ids=["whole", "changes"])
def db_file(request, corpus, tmp_path, monkeypatch):
    # "changes": every write goes to the changes file beside the bulk file and brings departments over
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", request.param)
    path = tmp_path / "db.duckdb"
    shutil.copyfile(corpus["db"], path)
    return path


def assert_equal_to_rebuild(db_file) -> None:
    con = db.connect_read(db_file)
    try:
        only_rebuilt, only_stored, stored = db.metrics_drift(con)
    finally:
        con.close()
    assert stored > 0
    assert (only_rebuilt, only_stored) == (0, 0), f"{only_rebuilt} rows only in the rebuild, {only_stored} only kept"


def upload(db_file, name: str, data: bytes) -> str:
    outcome, = writes.store_uploads([(name, data)], db_file)
    assert outcome.status == "stored", outcome.line()
    return outcome.report_id


def primaries(db_file) -> dict[tuple, str]:
    return {(k, y, kind, p): r for r, k, y, kind, p in rows(
        db_file, "SELECT report_id, department_key, year, report_kind, coalesce(project_name, '') FROM reports "
                 "WHERE is_primary")}


def final_accounts(department: str, year: int) -> bytes:
    """A 部门决算 write-up of one department and year (invented figures): less telling than its self-evaluation."""
    return (f"{department}\n{year}年度部门决算情况说明\n\n一、收入支出决算总体情况\n"
            f"{department}{year}年度收入总计316.40万元，支出总计298.75万元。\n\n"
            "二、其他说明\n本单位无政府性基金预算收支。\n").encode("utf-8")


def test_a_more_telling_document_becomes_primary_and_no_other_department_moves(corpus, db_file):
    # f's department holds a project's report too: its unit is not the one written, and its rows must stay
    f, f_key = corpus["f"], corpus["f_key"]
    project = rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE department_key = ? AND report_kind = 'project'",
                   (f_key,))[0][0]
    assert project > 0
    before = primaries(db_file)
    accounts = upload(db_file, "决算说明.txt", final_accounts(f, 2018))
    assert rows(db_file, "SELECT document_type, is_primary FROM reports WHERE report_id = ?", (accounts,)) == \
        [("final_accounts", True)]  # the unit-year's only document
    assert_equal_to_rebuild(db_file)
    evaluation = upload(db_file, corpus["f2018"].name, corpus["f2018"].read_bytes())
    assert rows(db_file, "SELECT report_id, is_primary FROM reports WHERE report_id IN (?, ?) ORDER BY report_id",
                (accounts, evaluation)) == sorted([(accounts, False), (evaluation, True)])
    after = primaries(db_file)
    assert after.pop((f_key, 2018, "department_overall", "")) == evaluation
    assert after == before  # every other department's primaries as they were
    # the dashboard shows the self-evaluation's numbers for that year, compared with the year before
    shown = rows(db_file, "SELECT DISTINCT report_id FROM dashboard_metrics WHERE department_key = ? AND year = 2018 "
                          "AND report_kind = 'department_overall' AND is_primary", (f_key,))
    assert shown == [(evaluation,)]
    assert rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE report_id = ? AND prior_basis = '2017年报告'",
                (evaluation,))[0][0] > 0
    assert rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE department_key = ? AND report_kind = 'project'",
                (f_key,))[0][0] == project
    assert_equal_to_rebuild(db_file)


def test_an_alias_brings_its_reports_into_the_unit_a_new_report_joins(corpus, db_file):
    """e's department name is made an alias of d's key, and the alias and e's reports are merged into
    the bulk file. d has no 2017 report, e has: d's new 2018 report is compared with e's 2017 one, which
    only a write that takes over e's reports through the alias (and marks their unit) can know."""
    d_key, e, e_key = corpus["d_key"], corpus["e"], corpus["e_key"]
    writes.set_alias(e, d_key, "analyst", db_file=db_file)
    db.upgrade(db_file)  # merges: the alias and e's reports now live in the bulk file
    assert not db.changes_path(db_file).exists()
    assert_equal_to_rebuild(db_file)
    e2017 = rows(db_file, "SELECT report_id FROM reports WHERE department = ? AND year = 2017 AND is_primary", (e,))
    assert len(e2017) == 1
    new = upload(db_file, corpus["d2018"].name, corpus["d2018"].read_bytes())
    compared = rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE report_id = ? AND prior_basis = '2017年报告'",
                    (new,))[0][0]
    assert compared > 0  # its prior year is e's 2017 report, in the same unit through the alias
    assert_equal_to_rebuild(db_file)
    # a new report under the alias's name: stored under e's own key, shown in d's unit
    moved = upload(db_file, corpus["e2018"].name, corpus["e2018"].read_bytes())
    assert rows(db_file, "SELECT DISTINCT department_key FROM dashboard_metrics WHERE report_id = ?", (moved,)) == [(d_key,)]
    assert_equal_to_rebuild(db_file)
    # d's 2017 report arrives last: the 2018 reports of the unit are now compared with a 2017 report of d's
    late = upload(db_file, corpus["d2017"].name, corpus["d2017"].read_bytes())
    assert rows(db_file, "SELECT is_primary FROM reports WHERE report_id = ?", (late,)) == [(True,)]
    assert_equal_to_rebuild(db_file)
    writes.remove_alias(e, db_file=db_file)  # e's reports move back to their own unit
    assert rows(db_file, "SELECT DISTINCT department_key FROM dashboard_metrics WHERE department = ?", (e,)) == [(e_key,)]
    assert_equal_to_rebuild(db_file)


def test_a_report_an_alias_moves_is_found_in_a_row_group_its_unit_is_not_in(corpus, tmp_path, monkeypatch):
    """DuckDB skips row groups (122,880 rows) by the keys a write's statements push into their scans. e's
    reports are stored first, then 250,000 other reports, then the rest: e's row group holds no key as low
    as d's. An alias gives e's department d's key, so a new report of d must still be compared with e's 2017
    report and every row equal a full rebuild."""
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", str(1 << 40))  # one file: the pruning is within it
    d, e, d_key, e_key = corpus["d"], corpus["e"], corpus["d_key"], corpus["e_key"]
    assert d_key < e_key  # the corpus's overall departments in order of name
    db_file = tmp_path / "db.duckdb"
    shutil.copyfile(corpus["db"], db_file)
    db.upgrade(db_file)
    con = duckdb.connect(str(db_file))  # the fillers and the order are made behind the write module's back
    try:
        con.execute("CREATE TEMP TABLE e_rows AS SELECT * FROM reports WHERE department_key = ?", [e_key])
        con.execute("CREATE TEMP TABLE rest AS SELECT * FROM reports WHERE department_key <> ? ORDER BY report_id",
                    [e_key])
        con.execute("DELETE FROM reports")
        con.execute("INSERT INTO reports SELECT * FROM e_rows")
        # invented units, one report each, keyed just above e's: the first row group holds e's reports and
        # these only, so its range of stored keys starts at e's, above d's
        con.execute("INSERT INTO reports (report_id, sha256, source_file, text, department, department_key, year, "
                    "report_kind, extractor_version) SELECT 'fill' || i, 'fill' || i, 'fill.txt', '', 'fill' || i, "
                    "? || '-fill' || lpad(i::VARCHAR, 6, '0'), 2016, 'department_overall', 'fill' FROM range(250000) t(i)",
                    [e_key])
        con.execute("INSERT INTO reports SELECT * FROM rest")
        con.execute("CHECKPOINT")
        [(bottom,)] = con.execute("SELECT min(department_key) FROM (SELECT department_key FROM reports LIMIT 122880)"
                                  ).fetchall()
        con.execute("CHECKPOINT")
        groups = con.execute("SELECT DISTINCT row_group_id FROM pragma_storage_info('reports')").fetchall()
    finally:
        con.close()
    assert len(groups) >= 3 and bottom == e_key > d_key
    cli("upgrade", "--rebuild", "--db", str(db_file))  # the kept table of the reordered file
    writes.set_alias(e, d_key, "analyst", db_file=db_file)
    assert_equal_to_rebuild(db_file)
    new = upload(db_file, corpus["d2018"].name, corpus["d2018"].read_bytes())
    assert rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE report_id = ? AND prior_basis = '2017年报告'",
                (new,))[0][0] > 0  # e's 2017 report, the only 2017 report of the unit
    assert_equal_to_rebuild(db_file)
