"""`perfboard maintain` and the merge that ends a large ingest (db.merge_now): the dashboard reads one
file again, with every write kept; a merge that cannot run changes nothing."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import ROOT
from perfboard import db, load, maintenance, writes
from test_changes_file import SEEDS, a_number, no_drift, read, shown, split  # noqa: F401  (split: a fixture)


def maintain(db_file, *args, env=None):
    return subprocess.run([sys.executable, "-m", "perfboard", "maintain", "--db", str(db_file), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def files_of(db_file):
    return sorted(p.name for p in db_file.parent.iterdir())


def test_maintain_merges_the_changes_file_and_keeps_every_write(split):
    db_file = split
    report_id, metric, subject, value = a_number(db_file)
    writes.correct(report_id, metric, value + 3, "复核", "analyst", subject=subject, db_file=db_file)
    bulk = db_file.read_bytes()

    waited = maintain(db_file, "--idle", "3600")  # written a moment ago: an analyst may still be at work
    assert waited.returncode == 0, waited.stderr
    assert "not merged yet" in waited.stdout and "暂不合并" in waited.stdout
    assert db_file.read_bytes() == bulk and db.changes_path(db_file).exists()

    out = maintain(db_file)
    assert out.returncode == 0, out.stderr
    assert "merged live.duckdb.changes into live.duckdb" in out.stdout and "已合并" in out.stdout
    assert files_of(db_file) == ["live.duckdb", "live.duckdb.lock"]
    assert shown(db_file, report_id, metric, subject) == [(value + 3, True)]
    assert read(db_file, "SELECT count(*) FROM v_reports") == [(5,)]
    no_drift(db_file)

    again = maintain(db_file)
    assert again.returncode == 0 and "nothing to merge" in again.stdout and "无需合并" in again.stdout


def test_maintain_names_a_missing_database_in_both_languages(tmp_path):
    out = maintain(tmp_path / "none.duckdb")
    assert out.returncode == 1
    assert "no database at" in out.stderr and "没有数据库" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_an_ingest_of_merge_after_reports_or_more_ends_with_one_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", "0")
    db_file = tmp_path / "live.duckdb"
    load.ingest_paths(SEEDS[:2], db_file)  # the first write makes the bulk file
    monkeypatch.setenv("PERFBOARD_MERGE_AFTER", "3")
    load.ingest_paths(SEEDS[2:4], db_file)  # 2 reports: below it, the changes file stays
    assert db.changes_path(db_file).exists()
    monkeypatch.setenv("PERFBOARD_MERGE_AFTER", "1")
    bulk = db_file.read_bytes()
    load.ingest_paths(SEEDS[4:], db_file)
    assert files_of(db_file) == ["live.duckdb", "live.duckdb.lock"]
    assert db_file.read_bytes() != bulk
    assert read(db_file, "SELECT count(*) FROM v_reports") == [(5,)]
    no_drift(db_file)


def test_an_ingest_whose_merge_does_not_fit_keeps_what_it_stored(split, monkeypatch, caplog):
    """The closing merge runs after the ingest has published: out of its memory bound, it leaves both files
    as they were, the reports are there, and `maintain` under a bound that fits merges later."""
    db_file = split
    monkeypatch.setenv("PERFBOARD_MERGE_AFTER", "1")
    monkeypatch.setenv("PERFBOARD_MERGE_MEMORY", "2MB")
    report_id, metric, subject, value = a_number(db_file)
    writes.correct(report_id, metric, value + 5, "复核", "analyst", subject=subject, db_file=db_file)
    bulk = db_file.read_bytes()
    extra = db_file.parent / "again.txt"  # new bytes: a sixth report
    extra.write_text(SEEDS[0].read_text(encoding="utf-8") + "\n（复印件）\n", encoding="utf-8")
    [outcome] = load.ingest_paths([extra], db_file)
    assert outcome.status == "stored"
    assert "2MB memory bound" in caplog.text
    assert db_file.read_bytes() == bulk and db.changes_path(db_file).exists()
    assert read(db_file, "SELECT count(*) FROM v_reports") == [(6,)]
    assert shown(db_file, report_id, metric, subject) == [(value + 5, True)]

    out = maintain(db_file, env={"PERFBOARD_MERGE_MEMORY": "2MB"})
    assert out.returncode == 1 and "nothing is lost" in out.stderr and "Traceback" not in out.stderr
    assert db_file.read_bytes() == bulk
    fits = maintain(db_file, env={"PERFBOARD_MERGE_MEMORY": "64MB"})
    assert fits.returncode == 0, fits.stderr
    assert not db.changes_path(db_file).exists()
    assert read(db_file, "SELECT count(*) FROM v_reports") == [(6,)]
    assert shown(db_file, report_id, metric, subject) == [(value + 5, True)]
    no_drift(db_file)


def test_a_look_of_the_idle_merge_merges_only_what_nobody_has_written_for_the_idle_time(split, monkeypatch, caplog):
    db_file = split
    report_id, metric, subject, value = a_number(db_file)
    writes.correct(report_id, metric, value + 2, "复核", "analyst", subject=subject, db_file=db_file)
    changes = db.changes_path(db_file)
    monkeypatch.setenv("PERFBOARD_MAINTAIN_IDLE", "3600")
    assert maintenance.tick([db_file]) == [] and changes.exists()  # written a moment ago
    an_hour_ago = time.time() - 3700
    os.utime(changes, (an_hour_ago, an_hour_ago))

    monkeypatch.setenv("PERFBOARD_MERGE_MEMORY", "2MB")  # a merge that cannot run: said, nothing changed
    bulk = db_file.read_bytes()
    assert maintenance.tick([db_file]) == []
    assert "idle merge" in caplog.text and db_file.read_bytes() == bulk and changes.exists()

    monkeypatch.setenv("PERFBOARD_MERGE_MEMORY", "64MB")
    assert maintenance.tick([db_file, db_file.parent / "gone.duckdb"]) == [db_file]
    assert files_of(db_file) == ["live.duckdb", "live.duckdb.lock"]
    assert shown(db_file, report_id, metric, subject) == [(value + 2, True)]
    no_drift(db_file)
    monkeypatch.setenv("PERFBOARD_MAINTAIN_IDLE", "0")  # off: not even a look
    writes.correct(report_id, metric, value + 9, "复核", "analyst", subject=subject, db_file=db_file)
    os.utime(changes, (an_hour_ago, an_hour_ago))
    assert maintenance.tick([db_file]) == [] and changes.exists()


def test_the_dashboard_merges_its_database_once_nobody_has_written_for_a_while(split, dashboard, monkeypatch):
    """The server's idle merge, started by the dashboard's first run in this process: with an idle time of
    1 s it merges the changes file an analyst's correction left, and the page still shows the correction."""
    db_file = split
    report_id, metric, subject, value = a_number(db_file)
    writes.correct(report_id, metric, value + 4, "复核", "analyst", subject=subject, db_file=db_file)
    monkeypatch.setenv("PERFBOARD_DB", str(db_file))
    monkeypatch.setenv("PERFBOARD_MAINTAIN_IDLE", "1")
    at = dashboard("data")
    deadline = time.monotonic() + 60
    while db.changes_path(db_file).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert files_of(db_file) == ["live.duckdb", "live.duckdb.lock"]
    assert shown(db_file, report_id, metric, subject) == [(value + 4, True)]
    no_drift(db_file)
    at.run()
    assert not at.exception
    assert "5 份" in " ".join(h.value for h in at.subheader)  # 报告（5 份）: the merged file, read again


def test_maintain_on_a_full_disk_changes_nothing_and_says_so(split):
    db_file = split
    report_id, metric, subject, value = a_number(db_file)
    writes.correct(report_id, metric, value + 6, "复核", "analyst", subject=subject, db_file=db_file)
    changes = db.changes_path(db_file)
    before = (db_file.read_bytes(), changes.read_bytes())
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({db_file.stat().st_size // 2},) * 2); "
            "from perfboard.cli import main; "
            f"sys.exit(main(['maintain', '--db', {str(db_file)!r}]))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr[-2000:]
    [line] = run.stderr.strip().splitlines()
    assert "the database is unchanged" in line and "数据库未改变" in line
    assert (db_file.read_bytes(), changes.read_bytes()) == before
    assert files_of(db_file) == ["live.duckdb", "live.duckdb.changes", "live.duckdb.lock"]
    assert shown(db_file, report_id, metric, subject) == [(value + 6, True)]


def test_an_ingest_whose_closing_merge_hits_a_full_disk_still_stores_and_reports_its_files(split, monkeypatch,
                                                                                           caplog):
    """The disk fills while the closing merge copies the bulk file: the ingest's reports are published
    already, so the ingest still returns them as stored (the CLI prints them and exits 0), with a warning."""
    db_file = split
    monkeypatch.setenv("PERFBOARD_MERGE_AFTER", "1")
    copy = db.copy_file

    def full_for_the_bulk_file(source, target):
        if source == db_file:
            raise OSError(28, "No space left on device")
        copy(source, target)
    monkeypatch.setattr(db, "copy_file", full_for_the_bulk_file)
    bulk = db_file.read_bytes()
    extra = db_file.parent / "again.txt"
    extra.write_text(SEEDS[0].read_text(encoding="utf-8") + "\n（复印件）\n", encoding="utf-8")
    [outcome] = load.ingest_paths([extra], db_file)
    assert outcome.status == "stored"
    assert "did not run" in caplog.text and "No space left" in caplog.text
    assert db_file.read_bytes() == bulk and db.changes_path(db_file).exists()
    assert files_of(db_file) == ["again.txt", "live.duckdb", "live.duckdb.changes", "live.duckdb.lock"]
    assert read(db_file, "SELECT count(*) FROM v_reports") == [(6,)]
