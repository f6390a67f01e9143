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

ROOT = Path(__file__).resolve().parents[1]


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
