"""Faults and hostile input: kill -9 mid-ingest, backups, SQL and script text, path
traversal names, oversized files, and fuzzing of the parsers."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from perfboard import backup, db, load
from perfboard.document import Document
from perfboard.extract import extract
from perfboard.numbers import parse_number

REPORTS = ROOT / "data" / "reports"


def count(db_file, sql="SELECT count(*) FROM v_reports"):
    con = db.connect_read(db_file)
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


# "whole": a small database is written whole (below PERFBOARD_CHANGES_FROM bytes); "changes": every write
# after the first goes to the changes file beside it (perfboard.db), as at 30,000 reports.
MODES = pytest.mark.parametrize("changes_from", [str(16 << 20), "0"], ids=["whole", "changes"])


@MODES
def test_kill_9_during_ingest_keeps_what_was_committed_and_the_file_can_be_ingested_again(tmp_path, monkeypatch,
                                                                                         changes_from):
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", changes_from)
    db_file = tmp_path / "k.duckdb"
    load.ingest_paths([REPORTS], db_file)
    corpus = tmp_path / "synth"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "600", "--years", "2",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "perfboard", "ingest", str(corpus), "--db", str(db_file)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = count(db_file)
    assert before in (5, 5 + load.PUBLISH_EVERY, 1205)  # the seeds, plus whole published batches only
    assert count(db_file, "SELECT count(*) FROM v_metrics") > 0
    again = subprocess.run([sys.executable, "-m", "perfboard", "ingest", str(corpus), "--db", str(db_file)],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert count(db_file) == 1205
    assert not list(tmp_path.glob("k.duckdb.tmp-*")) and not list(tmp_path.glob("k.duckdb.changes.tmp-*"))


@MODES
def test_a_killed_writers_copy_and_its_spill_folder_are_cleared_by_the_next_write(tmp_path, monkeypatch, changes_from):
    # a writer killed while DuckDB spilled (a merge, the batched rebuild) leaves its copy and COPY.tmp/ beside it
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", changes_from)
    db_file = tmp_path / "s.duckdb"
    seeds = sorted(REPORTS.glob("*.txt"))
    load.ingest_paths(seeds[:3], db_file)
    for stray in ("s.duckdb.tmp-424242", "s.duckdb.changes.tmp-424242"):
        (tmp_path / stray).write_bytes(b"half a copy")
        spill = tmp_path / f"{stray}.tmp"
        spill.mkdir()
        (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    outcomes = load.ingest_paths(seeds[3:], db_file)
    assert [o.status for o in outcomes] == ["stored", "stored"]
    assert count(db_file) == 5
    assert sorted(p.name for p in tmp_path.glob("s.duckdb*.tmp-*")) == []


@MODES
def test_backup_and_restore_round_trip(tmp_path, monkeypatch, changes_from):
    monkeypatch.setenv("PERFBOARD_CHANGES_FROM", changes_from)
    db_file = tmp_path / "live.duckdb"
    seeds = sorted(REPORTS.glob("*.txt"))
    load.ingest_paths(seeds[:3], db_file)
    load.ingest_paths(seeds[3:], db_file)  # in the changes file, when there is one: the backup holds it too
    manifest = backup.backup(tmp_path / "bk", db_file)
    assert manifest["reports"] == 5 and len(list((tmp_path / "bk" / "originals").iterdir())) == 5
    extra = (REPORTS / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8").replace("2023", "2024")
    load.ingest_items([("later.txt", extra.encode())], db_file)
    assert count(db_file) == 6
    run = subprocess.run([sys.executable, "-m", "perfboard", "restore", str(tmp_path / "bk"), "--db", str(db_file)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert count(db_file) == 5
    (tmp_path / "bk" / manifest["database"]).write_bytes(b"damaged")
    with pytest.raises(backup.BackupError) as err:
        backup.restore(tmp_path / "bk", db_file)
    assert "清单不符" in err.value.zh
    assert count(db_file) == 5


HOSTILE = "'); DROP TABLE reports; -- <script>alert('x')</script>"


def test_sql_and_script_text_in_reports_and_names_is_stored_as_text(tmp_path):
    db_file = tmp_path / "h.duckdb"
    text = (REPORTS / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8")
    text = text.replace("信访业务项目存在三级指标", f"{HOSTILE}信访业务项目存在三级指标")
    name = f"{HOSTILE}.txt".replace("/", "_")
    [outcome] = load.ingest_items([(name, text.encode())], db_file)
    assert outcome.status == "stored"
    con = db.connect_read(db_file)
    source_file, measures = con.execute("SELECT source_file, problems FROM v_reports").fetchall()[0]
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert source_file == name and HOSTILE in measures
    assert {"reports", "facts", "raw_files"} <= tables


def test_path_traversal_names_never_become_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    db_file = tmp_path / "work" / "data" / "t.duckdb"
    seed = (REPORTS / "000_6ba80dadf7886f78.txt").read_bytes()
    [outcome] = load.ingest_items([("../../x.txt", seed)], db_file)
    assert outcome.status == "stored"
    assert not (tmp_path / "x.txt").exists() and not Path("/x.txt").exists()
    assert sorted(p.name for p in db_file.parent.iterdir()) == ["t.duckdb", "t.duckdb.lock"]


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)
    small = tmp_path / "small.txt"
    small.write_bytes((REPORTS / "000_6ba80dadf7886f78.txt").read_bytes())
    # peak memory after a normal ingest is the baseline; the big file must not add to it
    code = ("import resource; from perfboard import load\n"
            f"load.ingest_paths([{str(small)!r}], {str(tmp_path / 'b.duckdb')!r})\n"
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            f"out = load.ingest_paths([{str(big)!r}], {str(tmp_path / 'b.duckdb')!r})\n"
            "print(out[0].status, out[0].en)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    status, grown_kb = run.stdout.splitlines()
    assert status.startswith("failed") and "50 MB" in status
    assert int(grown_kb) < 20 * 1024


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("0123456789,.-%元万亿零一二三四五六七八九十百千两 "), max_size=20))
def test_number_parser_never_raises(text):
    value = parse_number(text)
    assert value is None or isinstance(value, float)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda v: round(v, 2)))
def test_number_parser_reads_thousands_separators(value):
    assert parse_number(f"{value:,.2f}") == pytest.approx(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("部门年初预算调整后实际支出执行率满意参评信访事项件来信访网上电总分等级优良"
                                        "指标三级年度值完成0123456789.,%:|\n 万元()"), max_size=400))
def test_extractor_never_raises_on_arbitrary_text(text):
    doc = Document.from_pages("fuzz.txt", [text], fmt="txt", paged=False)
    result = extract(doc).to_contract()
    assert set(result) >= {"budget", "petitions", "satisfaction", "indicators"}
