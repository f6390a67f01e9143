"""The bulk file's row map (bulk_rows, queries/db/changes/index_bulk.sql): a changes file's writer
finds the bulk file's rows of what it writes through it and reads only those. What matters is
that nothing is lost on the way: after a write takes a department over from the bulk file, the
database (the union of the two files) holds every report, number and indicator it held before,
once — also after a merge has deleted and appended rows in the bulk file, and beside a bulk file
whose map is not its own (written whole once, then it has one). PERFBOARD_CHANGES_FROM=0 makes
every write after the first go to the changes file, as it does from 16 MiB of bulk file."""
from __future__ import annotations

import duckdb
import pytest

from conftest import perfboard_cli as cli, read_db as read
from perfboard import db, load, writes

YEARS = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("bulk-rows")
    cli("synth", "--departments", "12", "--years", str(YEARS), "--out", str(work / "synth"))
    cli("synth", "--departments", "4", "--years", "2", "--first-year", "2005", "--seed", "8",
        "--out", str(work / "extra"))
    return sorted((work / "synth").glob("*.txt")), sorted((work / "extra").glob("*.txt"))


def everything(db_file):
    """Every row of reports, facts and indicators as readers see them, each table as a sorted list."""
    return {table: sorted(map(repr, read(db_file, f"SELECT * EXCLUDE (is_primary) FROM {table}")))
            if table == "reports" else sorted(map(repr, read(db_file, f"SELECT * FROM {table}")))
            for table in ("reports", "facts", "indicators")}


def a_number_of(db_file, department_key):
    """A number of a report of this department: (report, metric, subject, value)."""
    return read(db_file, "SELECT m.report_id, m.metric, m.subject, m.value FROM dashboard_metrics m "
                         "JOIN reports r USING (report_id) WHERE r.department_key = ? AND m.value IS NOT NULL "
                         "ORDER BY m.report_id, m.metric, m.subject LIMIT 1", (department_key,))[0]


def departments(db_file):
    return [k for (k,) in read(db_file, "SELECT DISTINCT department_key FROM reports ORDER BY 1")]


def held_by_changes(db_file, department_key):
    return read(db_file, "SELECT count(*) FROM changes.reports WHERE department_key = ?", (department_key,))[0][0]


@pytest.fixture()
def split(corpus, tmp_path, monkeypatch):
    """The 36 reports in the bulk file, then one department corrected and merged, so that the bulk file
    has deleted rows and that department's rows appended at its end: the map is made anew by the merge."""
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", "0")
    db_file = tmp_path / "live.duckdb"
    load.ingest_paths(corpus[0], db_file)
    assert not db.changes_path(db_file).exists()
    first = departments(db_file)[0]
    report_id, metric, subject, value = a_number_of(db_file, first)
    writes.correct(report_id, metric, value + 1, "复核", "analyst", subject=subject, db_file=db_file)
    assert held_by_changes(db_file, first) == YEARS
    assert db.merge_now(db_file)
    assert not db.changes_path(db_file).exists()
    return db_file


def test_a_correction_takes_its_department_over_with_every_number_it_had(split):
    db_file = split
    before = everything(db_file)
    keys = departments(db_file)
    # the merged department (its rows now at the bulk file's end), one in the middle, the last one
    for key in (keys[0], keys[len(keys) // 2], keys[-1]):
        report_id, metric, subject, value = a_number_of(db_file, key)
        writes.correct(report_id, metric, value + 3, "复核", "analyst", subject=subject, db_file=db_file)
        assert held_by_changes(db_file, key) == YEARS  # the whole department, each report once
        after = everything(db_file)
        assert after == before  # a correction changes no stored row: none lost, none doubled
    # the changes file holds exactly those departments' rows, as the bulk file holds them
    for table in ("facts", "indicators"):
        assert read(db_file, f"SELECT count(*) FROM changes.{table}") == read(
            db_file, f"SELECT count(*) FROM base.{table} WHERE report_id IN (SELECT report_id FROM changes.reports)")
    con = db.connect_read(db_file)
    try:
        assert db.metrics_drift(con)[:2] == (0, 0)
    finally:
        con.close()


def test_an_ingest_into_stored_departments_adds_its_reports_and_keeps_theirs(split, corpus):
    db_file = split
    before = everything(db_file)
    extra = corpus[1]
    outcomes = load.ingest_paths(extra, db_file, publish_every=3)
    assert [o.status for o in outcomes] == ["stored"] * len(extra)
    after = everything(db_file)
    assert len(after["reports"]) == len(before["reports"]) + len(extra)
    assert set(before["facts"]) <= set(after["facts"]) and set(before["indicators"]) <= set(after["indicators"])
    assert len(set(after["facts"])) == len(after["facts"])  # nothing twice
    # the extra reports' departments are stored ones: each was taken over whole
    for key in {k for (k,) in read(db_file, "SELECT department_key FROM reports WHERE year < 2015")}:
        assert held_by_changes(db_file, key) == YEARS + 2
    # a file stored before is known as such through the map: skipped, not stored twice
    again = load.ingest_paths(corpus[0][:3], db_file)
    assert [o.status for o in again] == ["duplicate"] * 3


def test_a_bulk_file_whose_map_is_not_its_own_is_written_whole_once(split, monkeypatch):
    """As a bulk file written by a perfboard before the map: the next write makes the whole file anew,
    with a map of its own; the write after it goes to the changes file again."""
    db_file = split
    con = duckdb.connect(str(db_file))
    try:
        con.execute("DELETE FROM meta WHERE key = 'bulk_rows_of'")
        con.execute("DROP TABLE bulk_rows")
    finally:
        con.close()
    before = everything(db_file)
    keys = departments(db_file)
    report_id, metric, subject, value = a_number_of(db_file, keys[1])
    inode = db_file.stat().st_ino
    writes.correct(report_id, metric, value + 5, "复核", "analyst", subject=subject, db_file=db_file)
    assert db_file.stat().st_ino != inode and not db.changes_path(db_file).exists()  # written whole
    assert everything(db_file) == before
    report_id, metric, subject, value = a_number_of(db_file, keys[2])
    writes.correct(report_id, metric, value + 5, "复核", "analyst", subject=subject, db_file=db_file)
    assert held_by_changes(db_file, keys[2]) == YEARS  # beside a bulk file with its map: the changes file
    assert everything(db_file) == before


def test_a_restored_bulk_file_has_a_map_of_its_own(split, tmp_path):
    """A restore gives the file a new id (db.index_bulk): its map is made for it, so the next write goes to
    the changes file, and takes its department over with everything the backup held."""
    from perfboard import backup
    db_file = split
    keys = departments(db_file)
    backup.backup(tmp_path / "bk", db_file)
    before = everything(db_file)
    report_id, metric, subject, value = a_number_of(db_file, keys[3])
    writes.correct(report_id, metric, value + 9, "复核", "analyst", subject=subject, db_file=db_file)
    backup.restore(tmp_path / "bk", db_file)
    assert not db.changes_path(db_file).exists() and everything(db_file) == before
    inode = db_file.stat().st_ino
    report_id, metric, subject, value = a_number_of(db_file, keys[4])
    writes.correct(report_id, metric, value + 9, "复核", "analyst", subject=subject, db_file=db_file)
    assert db_file.stat().st_ino == inode and held_by_changes(db_file, keys[4]) == YEARS
    assert everything(db_file) == before
