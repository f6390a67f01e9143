"""Issue 16, data loss: restore checks the database it is given (inside the backup, a real
DuckDB file of our schema) and counts from it; a failed backup leaves the previous one
restorable; a full disk is a one-line reason with nothing left behind; a malformed
manifest is a one-line reason."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from perfboard import backup, db, load

from conftest import ROOT  # noqa: E402
REPORTS = ROOT / "data" / "reports"
SEED = REPORTS / "004_03db85e7bcb5560f.txt"


def count(db_file) -> int:
    con = db.connect_read(db_file)
    try:
        return con.execute("SELECT count(*) FROM v_reports").fetchall()[0][0]
    finally:
        con.close()


def cli(*args, fsize: int | None = None) -> subprocess.CompletedProcess:
    """`python -m perfboard ARGS`; with `fsize`, no file it writes may grow beyond that many
    bytes (RLIMIT_FSIZE: writes fail as they do on a full disk)."""
    code = "import sys; from perfboard.cli import main; sys.exit(main(sys.argv[1:]))"
    if fsize is not None:
        code = (f"import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
                f"resource.setrlimit(resource.RLIMIT_FSIZE, ({fsize}, {fsize})); " + code)
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def one_line(run: subprocess.CompletedProcess) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-3000:]
    return lines[0]


@pytest.fixture()
def live(tmp_path) -> Path:
    db_file = tmp_path / "live" / "live.duckdb"
    load.ingest_paths([REPORTS], db_file)
    assert count(db_file) == 5
    return db_file


def _forge(folder: Path, database: str, **extra) -> None:
    """A manifest naming `database` (relative to the folder) with its true checksum."""
    target = (folder / database)
    manifest = {"created_at": "2026-01-01T00:00:00", "database": database, "originals": 0, "reports": 21,
                "facts": 0, "indicators": 0, **extra}
    if target.exists():
        manifest["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _restore_refused(bk: Path, db_file: Path, needle: str) -> None:
    before = db_file.read_bytes()
    run = cli("restore", bk, "--db", db_file)
    assert run.returncode == 1, run.stdout + run.stderr
    assert needle in one_line(run)
    assert db_file.read_bytes() == before and count(db_file) == 5
    assert sorted(p.name for p in db_file.parent.iterdir()) == ["live.duckdb", "live.duckdb.lock"]


def test_restore_refuses_a_database_outside_the_backup(tmp_path, live):
    bk = tmp_path / "bk"
    bk.mkdir()
    outside = tmp_path / "elsewhere.duckdb"
    shutil.copyfile(live, outside)  # even a good database: a backup is what is in its folder
    _forge(bk, "../elsewhere.duckdb")
    _restore_refused(bk, live, "outside")
    (bk / "link.duckdb").symlink_to(outside)
    _forge(bk, "link.duckdb")
    _restore_refused(bk, live, "outside")
    _forge(bk, "../../../../../../etc/hostname")
    _restore_refused(bk, live, "outside")


def test_restore_refuses_a_truncated_empty_or_foreign_database(tmp_path, live):
    bk = tmp_path / "bk"
    backup.backup(bk, live)
    name = json.loads((bk / "manifest.json").read_text())["database"]
    data = (bk / name).read_bytes()
    (bk / name).write_bytes(data[: len(data) // 3])
    _forge(bk, name)
    _restore_refused(bk, live, "not a perfboard database")
    (bk / name).write_bytes(b"")
    _forge(bk, name)
    _restore_refused(bk, live, "not a perfboard database")
    (bk / name).unlink()
    con = duckdb.connect(str(bk / name))
    con.execute("CREATE TABLE reports (x INTEGER)")
    con.close()
    _forge(bk, name)
    _restore_refused(bk, live, "not a perfboard database")


def test_restore_counts_reports_from_the_database_not_the_manifest(tmp_path, live):
    bk = tmp_path / "bk"
    backup.backup(bk, live)
    manifest = json.loads((bk / "manifest.json").read_text())
    manifest["reports"] = 21
    (bk / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    load.ingest_items([("later.txt", SEED.read_text(encoding="utf-8").replace("2023", "2024").encode())], live)
    run = cli("restore", bk, "--db", live)
    assert run.returncode == 0, run.stderr
    assert "restored 5 reports" in run.stdout and count(live) == 5


@pytest.mark.parametrize("manifest", ["{", "[]", "{}", '{"database": 5, "sha256": "x"}',
                                      '{"database": "evaluations.duckdb"}', '"text"'])
def test_a_malformed_manifest_is_a_one_line_reason(tmp_path, live, manifest):
    bk = tmp_path / "bk"
    backup.backup(bk, live)
    (bk / "manifest.json").write_text(manifest, encoding="utf-8")
    _restore_refused(bk, live, "manifest")


def test_a_failed_backup_keeps_the_previous_one_restorable(tmp_path, live):
    bk = tmp_path / "bk"
    assert cli("backup", bk, "--db", live).returncode == 0
    before = sorted(p.name for p in bk.rglob("*"))
    for k in range(6):  # the live database grows past what the disk will take
        text = SEED.read_text(encoding="utf-8").replace("2023", str(2030 + k)) + "附注" * 20000 * (k + 1)
        load.ingest_items([(f"later{k}.txt", text.encode())], live)
    run = cli("backup", bk, "--db", live, fsize=live.stat().st_size - 4096)
    assert run.returncode == 1
    assert "/" in one_line(run)  # English / Chinese
    assert sorted(p.name for p in bk.rglob("*")) == before  # nothing half-written left beside it
    assert cli("restore", bk, "--db", live).returncode == 0
    assert count(live) == 5


def test_a_full_disk_during_ingest_is_one_line_and_leaves_no_copy(tmp_path, live):
    before = live.read_bytes()
    run = cli("ingest", SEED.with_name("000_6ba80dadf7886f78.txt"), "--db", live, fsize=live.stat().st_size // 2)
    assert run.returncode == 1
    assert "数据库未改变" in one_line(run)
    assert live.read_bytes() == before
    assert sorted(p.name for p in live.parent.iterdir()) == ["live.duckdb", "live.duckdb.lock"]


def test_a_full_disk_at_duckdbs_checkpoint_is_one_line_too(tmp_path, live):
    # room for the copy, not for what DuckDB then writes: its FatalException, not an OSError
    report = tmp_path / "天河2019.txt"
    report.write_text(SEED.with_name("000_6ba80dadf7886f78.txt").read_text(encoding="utf-8").replace("2022", "2019"),
                      encoding="utf-8")
    before = live.read_bytes()
    run = cli("ingest", report, "--db", live, fsize=live.stat().st_size + 1)
    assert run.returncode == 1
    assert "数据库未改变" in one_line(run)
    assert live.read_bytes() == before
    assert sorted(p.name for p in live.parent.iterdir()) == ["live.duckdb", "live.duckdb.lock"]


def test_a_full_disk_during_backup_leaves_nothing_behind(tmp_path, live):
    bk = tmp_path / "fresh"
    run = cli("backup", bk, "--db", live, fsize=live.stat().st_size // 2)
    assert run.returncode == 1
    one_line(run)
    assert not bk.exists() or not list(bk.iterdir())
