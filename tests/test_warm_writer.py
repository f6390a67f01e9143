"""An ingest's publishes through one writing connection (db.WarmWriter, load.ingest_paths): readers see
each publish whole, a write another writer makes between two publishes is kept, a publish that fails
leaves the served files as the publish before left them, and the dashboard's kept tables equal a full
rebuild after each kind. PERFBOARD_CHANGES_FROM=0 sends every write after the first to the changes
file, as it does from 16 MiB of bulk file."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from perfboard import db, load, synth, writes
from test_changes_file import no_drift  # the kept tables equal a full rebuild


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    """A bulk file of 12 reports (one publish, written whole) and 36 more reports of the same units."""
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", "0")
    synth.write_corpus(6, 2, tmp_path / "first", first_year=2020)
    synth.write_corpus(6, 6, tmp_path / "more", first_year=2014)  # 2014-2019: earlier years of those units
    db_file = tmp_path / "live.duckdb"
    load.ingest_paths([tmp_path / "first"], db_file)
    assert not db.changes_path(db_file).exists()
    return db_file, load.iter_files([tmp_path / "more"])


def count_opens(monkeypatch) -> list:
    opened = []
    real = db._open_changes

    def spy(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "_open_changes", spy)
    return opened


def reports_seen(db_file) -> int:
    con = db.connect_read(db_file)
    try:
        [(n,)] = con.execute("SELECT count(*) FROM reports").fetchall()
        return n
    finally:
        con.close()


def strays(db_file) -> list[str]:
    return sorted(p.name for p in db_file.parent.glob(f"{db_file.name}*.tmp-*"))


def test_an_ingest_opens_the_changes_file_once_and_readers_see_every_publish(corpus, monkeypatch):
    db_file, files = corpus
    opened = count_opens(monkeypatch)
    seen = []
    outcomes = load.ingest_paths(files, db_file, publish_every=6, progress=lambda n: seen.append(reports_seen(db_file)))
    assert [o.status for o in outcomes] == ["stored"] * 36
    assert seen == [12 + 6 * k for k in range(1, 7)]  # each publish whole, as soon as it is made
    assert len(opened) == 1  # one private copy for the six publishes
    assert strays(db_file) == []  # and gone once the ingest ends
    no_drift(db_file)


def test_a_correction_between_two_publishes_is_kept(corpus, monkeypatch):
    db_file, files = corpus
    opened = count_opens(monkeypatch)
    con = db.connect_read(db_file)
    [(report_id, metric, subject, value)] = con.execute(
        "SELECT report_id, metric, subject, value FROM dashboard_metrics WHERE value IS NOT NULL "
        "ORDER BY report_id, metric, subject NULLS FIRST LIMIT 1").fetchall()
    con.close()

    def correct_once(stored):
        if stored == 12:  # after the second publish, as an analyst on the dashboard would
            writes.correct(report_id, metric, value + 1.5, "核对原文", "analyst", subject=subject, db_file=db_file)

    load.ingest_paths(files, db_file, publish_every=6, progress=correct_once)
    assert reports_seen(db_file) == 48
    con = db.connect_read(db_file)
    shown = con.execute("SELECT value, corrected FROM dashboard_metrics WHERE report_id = $r AND metric = $m "
                        "AND subject IS NOT DISTINCT FROM $s", {"r": report_id, "m": metric, "s": subject}).fetchall()
    con.close()
    assert shown == [(value + 1.5, True)]
    # the ingest's copy went stale with the correction: the next publish started from the new changes file
    # (and the correction opened one of its own)
    assert len(opened) == 3
    assert strays(db_file) == []
    no_drift(db_file)


def test_a_publish_that_fails_leaves_what_the_publish_before_published(corpus, monkeypatch):
    db_file, files = corpus
    real_copy = db.copy_file
    copies = []

    def full_disk_on_the_third_publish(source, target):
        copies.append(target)
        if len(copies) == 3:
            raise OSError(28, "No space left on device")
        real_copy(source, target)

    monkeypatch.setattr(db, "copy_file", full_disk_on_the_third_publish)
    with pytest.raises(OSError):
        load.ingest_paths(files, db_file, publish_every=6)
    # copies: none to open (no changes file yet), the first publish's, the second's; the third failed
    assert reports_seen(db_file) == 12 + 6 * 2
    assert strays(db_file) == []
    no_drift(db_file)
    monkeypatch.setattr(db, "copy_file", real_copy)
    outcomes = load.ingest_paths(files, db_file, publish_every=6)  # again: what was published is skipped
    assert sorted({o.status for o in outcomes}) == ["duplicate", "stored"]
    assert sum(o.status == "stored" for o in outcomes) == 24
    assert reports_seen(db_file) == 48
    no_drift(db_file)


def test_an_ingest_in_small_publishes_with_workers_stores_each_file_under_its_own_name(corpus):
    """With a pool of extraction workers, the first publish's first files are extracted in the writer's own
    process (load.FIRST_HERE) and the rest by the workers: every outcome is its own file's, every report
    stored once, under the id its bytes give, and the kept tables equal a full rebuild."""
    db_file, files = corpus
    code = ("import sys; from perfboard import load; load.PARALLEL_FROM = 2; load.FIRST_HERE = 4\n"
            "if __name__ == '__main__':\n"
            "    for o in load.ingest_paths(sys.argv[2:], sys.argv[1], publish_every=7):\n"
            "        print(o.status, o.file, o.report_id, sep='|')")
    run = subprocess.run([sys.executable, "-c", code, str(db_file), *files], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PERFBOARD_CHANGES_FROM": "0"})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    lines = [line.split("|") for line in run.stdout.splitlines()]
    assert [(status, name) for status, name, _ in lines] == [("stored", os.path.basename(f)) for f in files]
    for (_, _, report_id), f in zip(lines, files):
        with open(f, "rb") as fh:
            assert report_id == load.report_id_for(hashlib.sha256(fh.read()).hexdigest())
    assert reports_seen(db_file) == 12 + 36
    con = db.connect_read(db_file)
    try:
        stored = dict(con.execute("SELECT report_id, source_file FROM reports").fetchall())
    finally:
        con.close()
    assert all(stored[report_id] == name for _, name, report_id in lines)
    no_drift(db_file)
