"""Issue 16, resources: the ingest's process pool does not outlive a `kill -9` of the
ingest; large TXT, XLSX and DOCX files are read in a capped child process; extraction
time grows linearly with the size of a text."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT  # noqa: E402


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_pool_workers_and_resource_tracker_die_with_a_killed_ingest(tmp_path):
    corpus = tmp_path / "synth"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "150", "--years", "2",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "perfboard", "ingest", str(corpus), "--db",
                             str(tmp_path / "p.duckdb")], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline, kids = time.monotonic() + 90, set()
        while time.monotonic() < deadline and len(kids) < 3:  # the resource tracker and two workers
            kids = {k for k in children(proc.pid) if alive(k)}
            time.sleep(0.2)
        assert len(kids) >= 3, kids
        time.sleep(1.0)
        kids |= children(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(k) for k in kids):
        time.sleep(0.2)
    left = [k for k in kids if alive(k)]
    for k in left:  # do not leave them behind for the next test
        os.kill(k, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(kids)} child processes outlived the ingest"


SEED = ROOT / "data" / "reports" / "004_03db85e7bcb5560f.txt"


def big_text(size: int) -> bytes:
    seed = SEED.read_text(encoding="utf-8")
    return (seed * (size // len(seed.encode()) + 1)).encode()[:size].decode("utf-8", "ignore").encode()


def big_xlsx(path: Path, rows: int) -> None:
    import xlsxwriter
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as wb:
        ws = wb.add_worksheet("自评表")
        ws.write_row(0, 0, ["深圳市盐田区信访局2023年度部门整体支出绩效自评表"])
        for r in range(1, rows):
            ws.write_row(r, 0, ["调整后预算数（万元）", 1300 + r, "执行率", "95%"])


def big_docx(path: Path, paragraphs: int) -> None:
    import io
    import zipfile

    import docx
    buf = io.BytesIO()
    docx.Document().save(buf)
    lines = (f"<w:p><w:r><w:t>第{k}项：年初预算数为{k * 7919 % 100003}.{k % 97}万元，"
             f"调整后预算数为{k * 104729 % 1000003}万元。</w:t></w:r></w:p>" for k in range(paragraphs))
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "".join(lines) + "</w:body></w:document>")
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, body if item.filename == "word/document.xml" else src.read(item))


def ingest_capped(tmp_path, path: Path, limit: str) -> list[str]:
    """Ingests `path` in a fresh process with the capped reader's `limit` (e.g.
    TIME_LIMIT = 3); returns status, reason, seconds taken and the parent's peak growth in MB."""
    code = ("import resource, sys, time; from perfboard import load; from perfboard.readers import capped\n"
            f"capped.{limit}\n"
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; t = time.monotonic()\n"
            f"[o] = load.ingest_paths([{str(path)!r}], {str(tmp_path / 'cap.duckdb')!r})\n"
            "print(o.status); print(o.en); print(round(time.monotonic() - t, 1))\n"
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.splitlines()


def test_a_large_text_that_needs_too_long_is_refused_in_time(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(big_text(12_000_000))
    status, reason, seconds, _ = ingest_capped(tmp_path, path, "TIME_LIMIT = 3")
    assert status == "failed" and "too much memory or time" in reason
    assert float(seconds) < 15


def test_a_large_text_that_needs_too_much_memory_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(big_text(12_000_000))
    status, reason, _, grown = ingest_capped(tmp_path, path, "MEMORY_LIMIT = 300 * 1024**2")
    assert status == "failed" and "too much memory or time" in reason
    assert int(grown) < 150  # the ingesting process never held the document


def test_a_huge_workbook_and_document_are_refused_in_time(tmp_path):
    book = tmp_path / "big.xlsx"
    big_xlsx(book, 300_000)
    status, reason, seconds, _ = ingest_capped(tmp_path, book, "TIME_LIMIT = 3")
    assert status == "failed" and "XLSX" in reason and "too much memory or time" in reason
    assert float(seconds) < 15
    document = tmp_path / "big.docx"
    big_docx(document, 200_000)
    status, reason, seconds, _ = ingest_capped(tmp_path, document, "TIME_LIMIT = 3")
    assert status == "failed" and "DOCX" in reason and "too much memory or time" in reason


def test_a_large_text_within_the_caps_is_stored_as_read_in_process(tmp_path):
    from perfboard.extract import extract
    from perfboard.readers import read_bytes
    from perfboard.readers.capped import read_and_extract
    data = big_text(3_000_000)
    doc, extraction = read_and_extract(data, "big.txt")
    inline = extract(read_bytes(data, "big.txt"))
    assert doc.text == read_bytes(data, "big.txt").text
    assert [(f.field, f.value, f.start, f.snippet) for f in extraction.all_facts()] == \
        [(f.field, f.value, f.start, f.snippet) for f in inline.all_facts()]
    assert extraction.value("department") == "深圳市盐田区信访局"


def _extract_seconds(size: int) -> float:
    from perfboard.extract import extract
    from perfboard.readers import read_bytes
    line = "深圳市盐田区信访局年初预算数为1,234.5万元,调整后预算数为1,300万元,执行率为95%。"
    text = "深圳市盐田区信访局2023年度部门整体支出绩效自评报告\n" + line * (size // len(line.encode()))
    doc = read_bytes(text.encode(), "t.txt")
    start = time.perf_counter()
    extract(doc)
    return time.perf_counter() - start


def test_extraction_time_grows_linearly_with_the_text():
    small = min(_extract_seconds(250_000) for _ in range(2))
    large = _extract_seconds(2_000_000)  # 8 times the text
    assert large < 14 * small, (small, large)


def test_a_large_records_workbook_is_worked_out_in_the_capped_child(tmp_path):
    import xlsxwriter

    from perfboard import records
    book = tmp_path / "records.xlsx"
    with xlsxwriter.Workbook(str(book), {"constant_memory": True}) as wb:
        ws = wb.add_worksheet()
        ws.write_row(0, 0, [c.header for c in records.COLUMNS])
        for r in range(1, 20_001):
            ws.write_row(r, 0, [f"广州市天河区信访局{r}", "", "", "", 2000 + r % 20, "", "", 100, 110, 105])
    status, reason, seconds, _ = ingest_capped(tmp_path, book, "TIME_LIMIT = 3")
    assert status == "failed" and "too much memory or time" in reason
    assert float(seconds) < 15


@pytest.mark.parametrize("module", ["perfboard.readers.pdf", "perfboard.readers.image"])
def test_a_reader_child_dies_with_its_parent(module):
    """The PDF and image readers' child (`python -m MODULE pages memory seconds`, as
    pdf.in_child starts it) ends when the process that started it is killed. Its input
    comes from a pipe this test keeps open, so an end of input cannot be what ends it."""
    read_end, write_end = os.pipe()
    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time\n"
         f"child = subprocess.Popen([sys.executable, '-m', {module!r}, '1', str(3 * 1024**3), '600'], "
         "stdin=int(sys.argv[1]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
         "print(child.pid, flush=True)\ntime.sleep(600)", str(read_end)],
        cwd=ROOT, pass_fds=(read_end,), stdout=subprocess.PIPE, text=True)
    os.close(read_end)
    try:
        child = int(parent.stdout.readline())
        deadline = time.monotonic() + 60
        # armed once it waits for its input: it has imported its reader (pdfplumber, PIL)
        while time.monotonic() < deadline and not (_waiting_for_input(child) and time.sleep(0.5) is None
                                                    and _waiting_for_input(child)):
            time.sleep(0.2)
        assert _waiting_for_input(child), "the child never started reading"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and alive(child):
            time.sleep(0.2)
        still = alive(child)
        if still:
            os.kill(child, signal.SIGKILL)
        assert not still, f"{module}'s child outlived its parent"
    finally:
        os.close(write_end)
        if parent.poll() is None:
            parent.kill()


def _waiting_for_input(pid: int) -> bool:
    """Whether the process sleeps in a read of its standard input (a pipe)."""
    try:
        stdin = os.readlink(f"/proc/{pid}/fd/0")
        wchan = Path(f"/proc/{pid}/wchan").read_text()
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return stdin.startswith("pipe:") and state == "S" and ("pipe" in wchan or wchan in ("", "0"))
