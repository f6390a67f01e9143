"""The full rebuild of the kept tables (db.rebuild_metrics) runs in batches of whole departments under the
writer's DuckDB bound, and gives what the one-statement rebuild gave (refresh_dashboard_metrics.sql,
refresh_dashboard_reports.sql): every column of every row (hashed) and the columns' types, in the same
physical order by year, then department. `perfboard upgrade --rebuild` compares the kept tables with it and
says how many rows differed, as db.metrics_drift (the reference check, from the views) counts them; a
rebuild that runs out of its bound changes nothing and says so in one line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, perfboard_cli as cli
from perfboard import db, writes

TABLES = ("dashboard_metrics", "dashboard_reports")
PER_BATCH = "12"  # reports: 40 departments of 4 reports are cut into 14 batches


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    """40 departments × 4 years, one of them renamed by an alias (its reports resolve to another key) and
    a number corrected: the batches meet aliases and corrections as the whole rebuild does."""
    work = tmp_path_factory.mktemp("rebuild")
    cli("synth", "--departments", "40", "--years", "4", "--out", str(work / "synth"))
    db_file = work / "built.duckdb"
    cli("ingest", str(work / "synth"), "--db", str(db_file))
    con = db.connect_read(db_file)
    try:
        (alias, _), (_, key) = con.execute(
            "SELECT department, department_key FROM reports GROUP BY ALL ORDER BY department_key LIMIT 2").fetchall()
        earlier, metric, subject, value, later = con.execute("""
            SELECT e.report_id, e.metric, e.subject, e.value, l.report_id
            FROM dashboard_metrics e JOIN dashboard_metrics l
              ON l.department_key = e.department_key AND l.report_kind = e.report_kind
             AND coalesce(l.project_name, '') = coalesce(e.project_name, '') AND l.year = e.year + 1
             AND l.metric = e.metric AND coalesce(l.subject, '') = coalesce(e.subject, '')
            WHERE e.is_primary AND l.is_primary AND e.headline AND l.prior_value = e.value
            ORDER BY e.department_key DESC, e.year LIMIT 1""").fetchone()  # not the aliased departments
    finally:
        con.close()
    writes.set_alias(alias, key, "analyst", db_file=db_file)
    writes.correct(earlier, metric, value + 1.5, "复核", "analyst", subject=subject, db_file=db_file)
    return db_file, (earlier, metric, subject, value + 1.5, later)


def table_state(db_file) -> dict:
    """Per kept table: (rows, sum of every row's hash), its columns and types, and its rows' (year,
    department key) in physical order."""
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        out = {}
        for table in TABLES:
            out[table] = (con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {table} t").fetchall(),
                          con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                      "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall(),
                          con.execute(f"SELECT year, department_key FROM {table} ORDER BY rowid").fetchall())
        return out
    finally:
        con.close()


def whole_rebuild(source, target):
    """The one-statement rebuild this replaced, on a copy: the reference."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        db.rebuild_metrics(con, whole=True)
    finally:
        con.close()
    return table_state(target)


def upgrade_rebuild(db_file, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfboard", "upgrade", "--rebuild", "--db", str(db_file)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PERFBOARD_REBUILD_REPORTS": PER_BATCH, **env})


def test_a_rebuild_in_batches_equals_the_whole_rebuild_row_for_row(corpus_db, tmp_path):
    source, (earlier, metric, subject, corrected, later) = corpus_db
    reference = whole_rebuild(source, tmp_path / "whole.duckdb")
    db_file = tmp_path / "batched.duckdb"
    shutil.copyfile(source, db_file)
    con = duckdb.connect(str(db_file), read_only=True)
    [(departments, most)] = con.execute("SELECT count(*), max(n) FROM (SELECT count(*) AS n FROM v_reports "
                                        "GROUP BY department_key)").fetchall()
    con.close()
    assert departments >= 39 and most <= 8  # so at least 13 batches of at most 12 reports

    out = upgrade_rebuild(db_file)
    assert out.returncode == 0, out.stderr
    assert "0 rows were missing, 0 stale" in out.stdout  # the writes kept both tables
    rebuilt = table_state(db_file)
    for table in TABLES:
        assert rebuilt[table] == reference[table], table
        years = [y for y, _ in rebuilt[table][2]]
        assert years == sorted(years, key=lambda y: (y is None, -(y or 0)))  # the scans' order: newest first
    assert sorted(p.name for p in db_file.parent.iterdir()) == ["batched.duckdb", "batched.duckdb.lock",
                                                                "whole.duckdb"]  # no temporary table files left

    read = db.connect_read(db_file)
    try:
        assert db.metrics_drift(read)[:2] == (0, 0)
        # through the dashboard's views: the corrected number is the next year's comparison
        assert read.execute("SELECT prior_value, prior_year FROM dashboard_metrics WHERE report_id = ? "
                            "AND metric = ? AND coalesce(subject, '') = coalesce(?, '')", [later, metric, subject]
                            ).fetchall() == [(corrected, read.execute(
                                "SELECT year FROM v_reports WHERE report_id = ?", [earlier]).fetchone()[0])]
        [(units, latest)] = read.execute("""
            SELECT (SELECT count(*) FROM (SELECT DISTINCT department_key, report_kind, project_name
                                          FROM v_reports WHERE is_primary AND department_key IS NOT NULL)),
                   (SELECT count(*) FROM latest_reports(NULL, NULL, NULL, NULL, NULL, NULL))""").fetchall()
        assert latest == units > 0
    finally:
        read.close()


def test_upgrade_rebuild_counts_what_the_kept_tables_differed_by(corpus_db, tmp_path):
    """Damaged kept tables: `upgrade --rebuild` says what db.metrics_drift says of them, and repairs them."""
    source, _ = corpus_db
    db_file = tmp_path / "damaged.duckdb"
    shutil.copyfile(source, db_file)
    con = duckdb.connect(str(db_file))
    con.execute("UPDATE dashboard_metrics SET value = value + 1 WHERE rowid IN (SELECT rowid FROM dashboard_metrics "
                "ORDER BY rowid LIMIT 3)")
    con.execute("DELETE FROM dashboard_reports WHERE rowid IN (SELECT rowid FROM dashboard_reports LIMIT 2)")
    con.execute("INSERT INTO dashboard_metrics SELECT * REPLACE ('gone' AS report_id) FROM dashboard_metrics LIMIT 4")
    con.close()
    read = db.connect_read(db_file)
    only_rebuilt, only_kept, rows = db.metrics_drift(read)
    read.close()
    assert (only_rebuilt, only_kept) == (3 + 2, 3 + 4)

    out = upgrade_rebuild(db_file)
    assert out.returncode == 0, out.stderr
    assert f"{only_rebuilt} rows were missing, {only_kept} stale, of {rows} kept" in out.stdout
    read = db.connect_read(db_file)
    try:
        assert db.metrics_drift(read)[:2] == (0, 0)
    finally:
        read.close()


def test_a_rebuild_that_does_not_fit_its_bound_changes_nothing(corpus_db, tmp_path):
    source, _ = corpus_db
    db_file = tmp_path / "bounded.duckdb"
    shutil.copyfile(source, db_file)
    before = db_file.read_bytes()
    out = upgrade_rebuild(db_file, PERFBOARD_REBUILD_MEMORY="1MB", PERFBOARD_REBUILD_REPORTS="1000")
    assert out.returncode == 1
    [line] = out.stderr.strip().splitlines()
    assert "ran out of its 1MB memory bound" in line and "the database is unchanged" in line
    assert "数据库未改变" in line
    assert db_file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bounded.duckdb", "bounded.duckdb.lock"]
