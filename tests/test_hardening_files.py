"""Issue 16, files: links and anything that is not a regular file are refused with a
reason (in folders and on the command line); a UTF-16 text without a BOM is read, not
called binary."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from perfboard import load
from perfboard.readers import ReadError, read_bytes, read_path

from conftest import ENTRY, ROOT  # noqa: E402
SEED = ROOT / "data" / "reports" / "004_03db85e7bcb5560f.txt"
SECRET = "root:x:0:0:root:/root:/bin/bash 预算执行率 99%"


def stored_texts(db_file) -> list[str]:
    if not Path(db_file).exists():
        return []
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT text FROM reports").fetchall()]
    finally:
        con.close()


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfboard", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture()
def folder(tmp_path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    f = tmp_path / "f"
    f.mkdir()
    (f / "report.txt").symlink_to(secret)
    (f / "good.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(f / "pipe.txt")
    (f / "sub").symlink_to(tmp_path, target_is_directory=True)  # a link to a folder is not entered
    return f


def test_links_and_pipes_in_a_folder_are_refused_with_a_reason(tmp_path, folder):
    db_file = tmp_path / "d.duckdb"
    outcomes = {o.file: o for o in load.ingest_paths([folder], db_file)}
    assert outcomes["good.txt"].status == "stored"
    assert outcomes["report.txt"].status == "failed" and "符号链接" in outcomes["report.txt"].zh
    assert outcomes["pipe.txt"].status == "failed" and "不是普通文件" in outcomes["pipe.txt"].zh
    assert outcomes["sub"].status == "failed" and "符号链接" in outcomes["sub"].zh
    assert len(outcomes) == 4
    assert not any("root:x:0:0" in t for t in stored_texts(db_file))


def test_links_and_devices_on_the_command_line_are_refused(tmp_path, folder):
    db_file = tmp_path / "c.duckdb"
    run = cli("ingest", folder / "report.txt", "/dev/zero", "--db", db_file)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and "symbolic link" in lines[0] and "not a regular file" in lines[1], run.stderr
    assert not any("root:x:0:0" in t for t in stored_texts(db_file))
    run = cli("extract", folder / "report.txt")
    assert run.returncode == 1 and "symbolic link" in run.stderr and "root:x" not in run.stdout
    with pytest.raises(ReadError) as err:
        read_path(folder / "report.txt")
    assert err.value.code == "symlink"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(codec):
    text = SEED.read_text(encoding="utf-8")
    doc = read_bytes(text.encode(codec), "report.txt")
    assert doc.encoding == codec
    assert "信访" in doc.text and doc.text.startswith(read_bytes(SEED.read_bytes(), "r.txt").text[:50])


def test_binary_with_zero_bytes_is_still_binary():
    with pytest.raises(ReadError) as err:
        read_bytes(bytes(range(256)) * 40, "x.txt")
    assert err.value.code == "binary"


def test_anonymous_viewers_see_figures_with_their_sentences_but_not_source_texts(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from perfboard.ui.auth import USER_KEY
    db_file = tmp_path / "r.duckdb"
    text = SEED.read_text(encoding="utf-8") + "\n附：本段落不含任何数字，只在原文全文中出现。\n"
    load.ingest_items([("seed.txt", text.encode()), ("secret-名单.txt", b"\x00\x01\x02" * 100)], db_file,
                      keep_failed=True)
    monkeypatch.setenv("PERFBOARD_DB", str(db_file))

    def page_text(at) -> str:
        parts = [e.value for kind in ("markdown", "caption", "text", "info") for e in getattr(at, kind)]
        parts += [frame.to_csv() for frame in (t.value for t in at.dataframe)]
        return "\n".join(parts)

    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.run()
    at.switch_page("../pages/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = page_text(at)
    assert "只在原文全文中出现" not in shown and "secret-名单" not in shown
    assert "原文全文仅对已登录的分析员显示" in shown
    assert "出处原文" in shown  # the figures, each with its sentence

    at.session_state[USER_KEY] = "analyst"
    at.run()
    shown = page_text(at)
    assert "只在原文全文中出现" in shown.replace("\\", "") and "secret-名单" in shown


def test_a_refused_file_in_a_batch_big_enough_for_the_process_pool(tmp_path):
    # found by the load test with the hostile inputs: a file refused while it was read (a
    # link, a file too large) could not be handed to the pool's workers (ReadError did not
    # survive pickling) and the whole ingest broke with a traceback
    import pickle
    err = pickle.loads(pickle.dumps(ReadError("symlink", "a link", "链接")))
    assert (err.code, err.en, err.zh) == ("symlink", "a link", "链接")
    f = tmp_path / "batch"
    f.mkdir()
    for k, year in enumerate((2019, 2020, 2021)):
        (f / f"report{k}.txt").write_text(SEED.read_text(encoding="utf-8").replace("2023", str(year)),
                                          encoding="utf-8")
    (f / "passwd.txt").symlink_to("/etc/passwd")
    with open(f / "huge.txt", "wb") as big:
        big.truncate(200 * 1024 * 1024)
    # in a process of its own (a pool's spawned workers re-run the main script: here
    # pytest's, which an AppTest run in this process may have replaced); the pool from 2 files
    code = ("import sys; from perfboard import load; load.PARALLEL_FROM = 2\n"
            "for o in load.ingest_paths([sys.argv[1]], sys.argv[2]): print(o.status, o.file, o.en, sep='|')")
    run = subprocess.run([sys.executable, "-c", code, str(f), str(tmp_path / "pool.duckdb")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    outcomes = {file: (status, en) for status, file, en in (line.split("|") for line in run.stdout.splitlines())}
    assert [outcomes[f"report{k}.txt"][0] for k in range(3)] == ["stored"] * 3
    assert "symbolic link" in outcomes["passwd.txt"][1] and "50 MB" in outcomes["huge.txt"][1]


def test_a_folder_is_listed_in_sorted_order_without_hidden_entries(tmp_path):
    """A subfolder's files come where its name sorts among its parent's files, as sorted paths
    would; hidden files and folders, unreadable suffixes and records files are left out."""
    top = tmp_path / "top"
    for name in ("b.txt", "a/z.pdf", "a/.hidden.txt", "a/b/c.docx", "c.TXT", "ab.txt", ".git/x.txt",
                 "notes.md", "truth.json", "d/e.png"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_bytes(b"x")
    (top / "link").symlink_to(tmp_path, target_is_directory=True)  # listed, never entered
    listed = [os.path.relpath(p, top) for p in load.iter_files([top, tmp_path / "given.csv"])]
    assert listed[:-1] == ["a/b/c.docx", "a/z.pdf", "ab.txt", "b.txt", "c.TXT", "d/e.png", "link"]
    assert listed[-1] == os.path.relpath(tmp_path / "given.csv", top)  # a file named is taken as given


def test_every_file_of_a_folder_is_stored_once_across_publishes(tmp_path):
    """The ingest's compact listing (load._Listing) gives each publish its own files, Chinese names
    included; a name in GBK (from a Windows zip) is stored under its Chinese name, one that no codec
    reads with a replacement character (DuckDB refused both before)."""
    top = tmp_path / "批次"
    top.mkdir()
    text = SEED.read_text(encoding="utf-8")
    names = ["盘龙区信访局2023.txt", "b.txt", os.fsdecode("天河区.txt".encode("gbk")), os.fsdecode(b"d\xff.txt"),
             "e.txt"]
    for k, name in enumerate(names):  # different bytes each, so none is a duplicate
        (top / name).write_text(text + f"\n附注 {k}", encoding="utf-8")
    names[2:4] = ["天河区.txt", "d\ufffd.txt"]
    published = []
    outcomes = load.ingest_paths([top], tmp_path / "p.duckdb", publish_every=2, progress=published.append)
    assert sorted(o.file for o in outcomes) == sorted(names)
    assert all(o.status == "stored" for o in outcomes), [o.line() for o in outcomes]
    assert published == [2, 4, 5]
