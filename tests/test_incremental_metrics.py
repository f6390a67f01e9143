"""dashboard_metrics, kept up to date by each write for the units it touched (db.update_metrics),
equals a full rebuild after every kind of write: ingest, upload, re-extraction, correction,
undo, alias, primary, accept/reject. The rebuild runs into a temporary table
(db.metrics_drift) and the two are compared as multisets of rows, on the seed reports and on
a synthetic corpus (`perfboard synth --departments 40 --years 4`) where every unit has a
prior year, so that a write's effect on the next year's comparison is checked by value too."""
from __future__ import annotations

import random
import re
import shutil

import duckdb
import pytest

from conftest import REPORTS, ROOT, perfboard_cli as cli, read_db as rows
from perfboard import db, load, writes

SYNTH_YEARS = (2015, 2016, 2017, 2018)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """(files in the base database, files held back for later writes) per corpus, and the base
    databases built through the CLI."""
    work = tmp_path_factory.mktemp("incremental")
    synth = work / "synth"
    cli("synth", "--departments", "40", "--years", str(len(SYNTH_YEARS)), "--out", str(synth))
    synth_files = sorted(synth.glob("*.txt"))
    # the last year of ten departments is held back: each of those reports has a prior year stored
    held_synth = [f for f in synth_files if f.stem.endswith(str(SYNTH_YEARS[-1]))][:10]
    seed_files = sorted(REPORTS.glob("*.txt"))
    out = {}
    for name, files, held in (("seed", seed_files, seed_files[-1:]), ("synth", synth_files, held_synth)):
        base = work / f"{name}-base"
        base.mkdir()
        for f in files:
            if f not in held:
                shutil.copy(f, base / f.name)
        db_file = work / f"{name}.duckdb"
        cli("ingest", str(base), "--db", str(db_file))
        out[name] = (db_file, held)
    return out


@pytest.fixture(params=["seed", "synth"])
def case(request, corpora, tmp_path):
    base, held = corpora[request.param]
    db_file = tmp_path / "db.duckdb"
    shutil.copyfile(base, db_file)
    return request.param, db_file, held


def assert_equal_to_rebuild(db_file) -> int:
    con = db.connect_read(db_file)
    try:
        only_rebuilt, only_stored, rows = db.metrics_drift(con)
    finally:
        con.close()
    assert rows > 0
    assert (only_rebuilt, only_stored) == (0, 0), f"{only_rebuilt} rows only in the rebuild, {only_stored} only kept"
    return rows


def a_pair(db_file):
    """A headline number of a primary report and the same unit's next-year primary report that is
    compared with it: (earlier report, metric, subject, value, later report), or None (the seed
    reports are five departments, one year each)."""
    found = rows(db_file, """
        SELECT e.report_id, e.metric, e.subject, e.value, l.report_id
        FROM dashboard_metrics e JOIN dashboard_metrics l
          ON l.department_key = e.department_key AND l.report_kind = e.report_kind
         AND coalesce(l.project_name, '') = coalesce(e.project_name, '') AND l.year = e.year + 1
         AND l.metric = e.metric AND coalesce(l.subject, '') = coalesce(e.subject, '')
        WHERE e.is_primary AND l.is_primary AND e.headline AND l.prior_value = e.value
        ORDER BY e.report_id, e.metric LIMIT 1""")
    return found[0] if found else None


def prior_of(db_file, report_id, metric, subject):
    return rows(db_file, "SELECT prior_value FROM dashboard_metrics WHERE report_id = ? AND metric = ? "
                         "AND coalesce(subject, '') = coalesce(?, '')", (report_id, metric, subject))


def any_number(db_file):
    return rows(db_file, "SELECT report_id, metric, subject, value FROM dashboard_metrics WHERE headline "
                         "ORDER BY report_id, metric LIMIT 1")[0]


def test_the_base_databases_equal_a_rebuild(case):
    assert assert_equal_to_rebuild(case[1]) > 0


def test_ingest_and_upload_keep_the_table(case):
    name, db_file, held = case
    before = assert_equal_to_rebuild(db_file)
    half = max(1, len(held) // 2)
    outcomes = load.ingest_paths(held[:half], db_file)
    assert [o.status for o in outcomes] == ["stored"] * half
    assert_equal_to_rebuild(db_file)
    outcomes = writes.store_uploads([(f.name, f.read_bytes()) for f in held[half:]], db_file)
    assert [o.status for o in outcomes] == ["stored"] * len(held[half:])
    after = assert_equal_to_rebuild(db_file)
    assert after > before
    if name == "synth":  # the new reports are compared with the year before, which was already stored
        compared = rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE year = ? AND prior_basis = ?",
                        (SYNTH_YEARS[-1], f"{SYNTH_YEARS[-2]}年报告"))[0][0]
        assert compared > 0


def test_correction_and_undo_move_the_next_years_comparison(case):
    name, db_file, _ = case
    pair = a_pair(db_file)
    if name == "synth":
        assert pair is not None
    if pair:
        earlier, metric, subject, value, later = pair
    else:
        earlier, metric, subject, value = any_number(db_file)
    cid = writes.correct(earlier, metric, value + 7.25, "原文另有更正", "analyst", subject=subject, db_file=db_file)
    assert_equal_to_rebuild(db_file)
    assert rows(db_file, "SELECT value, corrected FROM dashboard_metrics WHERE report_id = ? AND metric = ? "
                         "AND coalesce(subject, '') = coalesce(?, '')", (earlier, metric, subject)) \
        == [(value + 7.25, True)]
    if pair:
        assert prior_of(db_file, later, metric, subject) == [(value + 7.25,)]
    assert writes.undo(cid, db_file=db_file)
    assert_equal_to_rebuild(db_file)
    if pair:
        assert prior_of(db_file, later, metric, subject) == [(value,)]
    # a value the extractor missed, added by hand, then removed by a correction to NULL
    added = writes.correct(earlier, "petitions.total", 321.0, "附件中的数", "analyst", db_file=db_file)
    assert_equal_to_rebuild(db_file)
    writes.correct(earlier, "petitions.total", None, "并未披露", "analyst", db_file=db_file)
    assert_equal_to_rebuild(db_file)
    assert writes.undo(added, db_file=db_file)
    assert_equal_to_rebuild(db_file)


def test_reextraction_that_moves_a_report_back_to_its_unit(case):
    name, db_file, _ = case
    report_id, key = rows(db_file, "SELECT report_id, department_key FROM reports ORDER BY report_id LIMIT 1")[0]
    other = rows(db_file, "SELECT department_key FROM reports WHERE department_key <> ? ORDER BY 1 LIMIT 1",
                 (key,))[0][0]
    # as an older extractor might have stored it: under another department, rebuilt in full
    db.upgrade(db_file)  # behind the write module's back needs the whole database in the bulk file
    con = duckdb.connect(str(db_file))
    con.execute("UPDATE reports SET department_key = ?, extractor_version = 'old' WHERE report_id = ?",
                [other, report_id])
    con.close()
    out = cli("upgrade", "--rebuild", "--db", str(db_file))
    assert "stale" in out.stdout
    assert rows(db_file, "SELECT DISTINCT department_key FROM dashboard_metrics WHERE report_id = ?",
                (report_id,)) == [(other,)]
    assert [o.status for o in load.reextract(db_file)] == ["reextracted"]
    assert rows(db_file, "SELECT DISTINCT department_key FROM dashboard_metrics WHERE report_id = ?",
                (report_id,)) == [(key,)]
    assert_equal_to_rebuild(db_file)
    assert [o.status for o in load.reextract(db_file, everything=True)] == ["reextracted"] * \
        rows(db_file, "SELECT count(*) FROM reports")[0][0]
    assert_equal_to_rebuild(db_file)


def test_an_alias_moves_a_unit_and_removing_it_moves_it_back(case):
    _, db_file, _ = case
    department, key = rows(db_file, "SELECT department, department_key FROM reports ORDER BY report_id LIMIT 1")[0]
    other = rows(db_file, "SELECT department_key FROM reports WHERE department_key <> ? ORDER BY 1 LIMIT 1",
                 (key,))[0][0]
    writes.set_alias(department, other, "analyst", db_file=db_file)
    assert_equal_to_rebuild(db_file)
    assert rows(db_file, "SELECT count(*) FROM dashboard_metrics WHERE department = ? AND department_key <> ?",
                (department, other)) == [(0,)]
    writes.set_alias(department, "合并后的单位", "analyst", db_file=db_file)  # the alias changes its key
    assert_equal_to_rebuild(db_file)
    writes.remove_alias(department, db_file=db_file)
    assert_equal_to_rebuild(db_file)
    assert rows(db_file, "SELECT DISTINCT department_key FROM dashboard_metrics WHERE department = ?",
                (department,)) == [(key,)]


def test_primary_and_review_status(case):
    name, db_file, held = case
    pair = a_pair(db_file)
    if pair:
        earlier, metric, subject, value, later = pair
    # a second report for one department-year, with one amount changed: stored, not primary
    first = rows(db_file, "SELECT r.report_id, f.bytes FROM reports r JOIN raw_files f USING (sha256) "
                          "WHERE r.report_id = ?", (pair[0] if pair else any_number(db_file)[0],))[0]
    text = first[1].decode("utf-8")
    amount = re.search(r"\d+\.\d\d(?!\d)", text).group(0)  # its first amount
    changed = text.replace(amount, f"{float(amount) + 11:.2f}", 1)
    outcome, = writes.store_uploads([("second-version.txt", changed.encode("utf-8"))], db_file)
    assert outcome.status == "stored"
    assert_equal_to_rebuild(db_file)
    assert rows(db_file, "SELECT is_primary FROM reports WHERE report_id = ?", (outcome.report_id,)) == [(False,)]
    writes.make_primary(outcome.report_id, db_file=db_file)
    assert_equal_to_rebuild(db_file)
    assert rows(db_file, "SELECT report_id, is_primary FROM reports WHERE report_id IN (?, ?) ORDER BY 2",
                (first[0], outcome.report_id)) == [(first[0], False), (outcome.report_id, True)]
    if pair:  # the next year is now compared with the second version's numbers
        assert prior_of(db_file, later, metric, subject) == rows(
            db_file, "SELECT value FROM dashboard_metrics WHERE report_id = ? AND metric = ? "
                     "AND coalesce(subject, '') = coalesce(?, '')", (outcome.report_id, metric, subject))
    writes.make_primary(first[0], db_file=db_file)
    assert_equal_to_rebuild(db_file)
    for status in ("accepted", "rejected", "extracted"):
        writes.set_status(first[0], status, db_file=db_file)
        assert_equal_to_rebuild(db_file)


def test_a_stale_table_is_found_and_the_rebuild_repairs_it(case):
    _, db_file, _ = case
    report_id = any_number(db_file)[0]
    db.upgrade(db_file)  # behind the write module's back needs the whole database in the bulk file
    con = duckdb.connect(str(db_file))  # a change behind the write module's back: no upkeep
    con.execute("UPDATE facts SET value = value + 1 WHERE report_id = ? AND value IS NOT NULL", [report_id])
    con.close()
    con = db.connect_read(db_file)
    only_rebuilt, only_stored, _ = db.metrics_drift(con)
    con.close()
    assert only_rebuilt > 0 and only_stored > 0
    out = cli("upgrade", "--rebuild", "--db", str(db_file))
    assert f"{only_rebuilt} rows were missing, {only_stored} stale" in out.stdout
    assert_equal_to_rebuild(db_file)


@pytest.mark.parametrize("changes_from", [str(16 << 20), "0"], ids=["whole", "changes"])
def test_a_random_sequence_of_writes_on_the_synthetic_corpus(corpora, tmp_path, monkeypatch, changes_from):
    # "changes": each write goes to the changes file beside the bulk file (perfboard.db), taking over the
    # departments it touches; the reader's union of the two must still equal a full rebuild
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", changes_from)
    base, held = corpora["synth"]
    held = list(held)
    db_file = tmp_path / "random.duckdb"
    shutil.copyfile(base, db_file)
    rng = random.Random(15)
    numbers = rows(db_file, "SELECT report_id, metric, subject, value FROM dashboard_metrics ORDER BY ALL")
    reports = rows(db_file, "SELECT report_id, department, department_key FROM reports ORDER BY ALL")
    keys = sorted({k for _, _, k in reports})
    corrections: list[int] = []
    for step in range(14):
        kind = ("correct", "undo", "alias", "primary", "status", "upload")[step % 6]
        if kind == "correct":
            report_id, metric, subject, value = rng.choice(numbers)
            corrections.append(writes.correct(report_id, metric, round(value * 1.1 + 1, 2), "抽查", "analyst",
                                              subject=subject, db_file=db_file))
        elif kind == "undo" and corrections:
            writes.undo(corrections.pop(rng.randrange(len(corrections))), db_file=db_file)
        elif kind == "alias":
            _, department, _ = rng.choice(reports)
            writes.set_alias(department, rng.choice(keys), "analyst", db_file=db_file)
        elif kind == "primary":
            writes.make_primary(rng.choice(reports)[0], db_file=db_file)
        elif kind == "status":
            writes.set_status(rng.choice(reports)[0], rng.choice(writes.STATUSES), db_file=db_file)
        elif kind == "upload" and held:
            f = held.pop()
            writes.store_uploads([(f.name, f.read_bytes())], db_file)
        assert_equal_to_rebuild(db_file)


LATEST_BY_DEFINITION = """
    SELECT arg_max(report_id, ((document_type IS DISTINCT FROM 'budget')::INTEGER * 100000 + coalesce(year, 99999),
                               report_id))
    FROM v_reports
    WHERE is_primary AND department_key IS NOT NULL
      AND (?::INTEGER IS NULL OR year >= ?::INTEGER) AND (?::INTEGER IS NULL OR year <= ?::INTEGER)
    GROUP BY department_key, report_kind, project_name
    ORDER BY 1"""


def latest_pairs(db_file, year_from, year_to):
    """(latest_reports's ids, the ids by definition from v_reports) for a year range."""
    kept = rows(db_file, "SELECT report_id FROM latest_reports(NULL, NULL, NULL, ?::INTEGER, ?::INTEGER, NULL) "
                         "ORDER BY 1", (year_from, year_to))
    return kept, rows(db_file, LATEST_BY_DEFINITION, (year_from, year_from, year_to, year_to))


def test_the_kept_latest_flags_name_each_units_latest_report_as_before_and_after_writes(case):
    """latest_reports reads dashboard_reports's flags with no year filter and with a range spanning
    every year (the sidebar's default), and computes the rest (a range leaving years out): all three
    equal each unit's latest primary report computed from v_reports, before and after new reports
    arrive in units that hold reports (a new latest year), which moves the flags."""
    _, db_file, held = case
    for _ in range(2):
        [(first, last)] = rows(db_file, "SELECT min(year), max(year) FROM v_reports WHERE department_key IS NOT NULL")
        for year_from, year_to in ((None, None), (first, last), (first, last - 1), (first + 1, last)):
            kept, defined = latest_pairs(db_file, year_from, year_to)
            assert kept and kept == defined, (year_from, year_to)
        assert_equal_to_rebuild(db_file)
        load.ingest_paths(held, db_file)
