"""Past one machine, run (docs/storage-design.md, step 2; perfboard/lake.py): Debian's PostgreSQL
as the DuckLake catalog (a private cluster in a temporary folder, on a free port), two ingest
processes storing disjoint and overlapping files into the lake at the same time, and meanwhile
two real Streamlit dashboards reading the lake (PERFBOARD_LAKE, perfboard/lakeread.py), watched
by light clients on 总览, beside two `lake dashboard` processes running the pages' queries on
snapshots. Both Streamlit dashboards end up showing every report, and the same 总览 as a
dashboard on the DuckDB file of the same reports. Every report
arrives exactly once (each overlapping file stored by one ingest, skipped by the other), an
unreadable file is refused with its reason, both dashboards end up showing every report, no
page run of either saw half a write, and the lake's dashboard numbers equal, row for row,
those of the DuckDB file the project's own `perfboard ingest` makes of the same files. Then a
third ingest is killed (SIGKILL) in the middle of its writes: the lake still holds every
report once and only whole writes, the killed writer's lock is gone with it, and the same
ingest run again stores the rest.

Runs in .venv-lake (DuckDB 1.5.5 and the DuckLake extension packages, `make lake-venv`);
the cluster runs as the `postgres` user when the tests run as root (initdb refuses root)."""
from __future__ import annotations

import hashlib
import asyncio
import contextlib
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, streamlit_server
from lakefixtures import LAKE_PY, catalog, lake_check, lake_command, lake_dir, pg_cluster  # noqa: F401

# the line at the top of every page (queries/data/freshness.sql, present.format.freshness)
FRESHNESS = re.compile(r"^数据：已入库 (?:([\d,]+) 个单位的 )?([\d,]+) 份报告")
_lake = lake_command


def _pages(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _shown(run) -> tuple[int, int]:
    """(reports, units) the freshness line of a page run says are stored."""
    [line] = [t for t in run.texts if FRESHNESS.match(t)]
    units, reports = FRESHNESS.match(line).groups()
    return int(reports.replace(",", "")), int((units or "0").replace(",", ""))


async def _page(url: str, page: str):
    """One light client's run of a page (tests/light_client.py: the browser's WebSocket protocol)."""
    from light_client import Session
    session = Session(url)
    await session.open()
    try:
        return await session.page(page, timeout=120)
    finally:
        await session.close()


def _overview(url: str):
    return _page(url, "overview")


async def _watch(urls: list[str], until: int, seen: list[list], stop: threading.Event) -> None:
    """Each server's 总览, again and again in one session per server, until it shows `until` reports:
    appends (reports, units, exceptions) of every page run to seen[k]."""
    from light_client import Session

    async def one(url, log):
        session = Session(url)
        await session.open()
        try:
            while not stop.is_set():
                run = await session.page("overview", timeout=120)
                try:
                    log.append((*_shown(run), run.exceptions))
                except ValueError:  # no freshness line: the page stopped before it (the texts say why)
                    log.append((-1, -1, run.exceptions or run.texts[:5]))
                    return
                if log[-1][0] >= until:
                    return
                await asyncio.sleep(0.2)
        finally:
            await session.close()
    await asyncio.gather(*(one(url, log) for url, log in zip(urls, seen)))


def _page_text(run) -> list[str]:
    """What 总览 says, but for the freshness line (its 最近导入 is when each store was written)."""
    return [t for t in run.texts if not FRESHNESS.match(t)]


@pytest.fixture
def lake_dashboards(catalog, lake_dir, tmp_path):
    """Two real dashboards (`streamlit run app/streamlit_app.py` in .venv-lake) reading the lake
    through db.connect_read (PERFBOARD_LAKE: perfboard/lakeread.py); their URLs. They touch the lake
    only when a page runs."""
    lake_env = {"PERFBOARD_LAKE": catalog, "PERFBOARD_LAKE_DATA": str(lake_dir)}
    with contextlib.ExitStack() as servers:
        yield [servers.enter_context(streamlit_server(tmp_path / "no-such-file.duckdb", f"lake-dashboard-{n}.log",
                                                      env=lake_env, python=str(LAKE_PY)))
               for n in (1, 2)]


def test_two_ingests_and_two_dashboards_share_a_lake_on_postgres(catalog, lake_dir, lake_dashboards, tmp_path):
    from perfboard.load import report_id_for

    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "30", "--years", "2",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    files = sorted(corpus.glob("*.txt"))
    assert len(files) == 60
    empty = tmp_path / "空白报告.txt"  # unreadable: refused with its reason, nothing of it stored
    empty.write_bytes(b"")
    first, second = files[:40], [*files[20:], empty]  # 20 files in both
    expected = {report_id_for(hashlib.sha256(f.read_bytes()).hexdigest()) for f in files}
    data = lake_dir

    init = subprocess.run(_lake(catalog, data, "init"), cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert init.returncode == 0 and init.stdout.strip() == "created", init.stderr[-2000:]

    # both Streamlit dashboards show the empty lake; from now on a light client per server asks for 总览
    # again and again (the browser's protocol: a session, a script run, every element the page sends)
    urls = lake_dashboards
    empty_runs = [asyncio.run(_overview(url)) for url in urls]
    assert [(_shown(r), r.exceptions) for r in empty_runs] == [((0, 0), [])] * 2, [r.texts[:3] for r in empty_runs]
    seen: list[list] = [[], []]
    stop = threading.Event()
    watcher = threading.Thread(target=asyncio.run, args=(_watch(urls, len(files), seen, stop),), daemon=True)
    watcher.start()

    # their page runs go to files: a pipe nobody reads during the ingests would stall them
    logs = [tmp_path / f"dashboard-{n}.jsonl" for n in (1, 2)]
    dashboards = [subprocess.Popen(_lake(catalog, data, "dashboard", "--until", "60", "--timeout", "400"), cwd=ROOT,
                                   stdout=log.open("w"), stderr=subprocess.PIPE, text=True) for log in logs]
    # both dashboards have shown the empty lake before anything is written
    deadline = time.monotonic() + 180
    while not all(_pages(log.read_text()) for log in logs):
        assert time.monotonic() < deadline and all(d.poll() is None for d in dashboards), \
            [d.stderr.read()[-2000:] for d in dashboards if d.poll() is not None]
        time.sleep(0.2)
    assert all(_pages(log.read_text())[0]["report_ids"] == [] for log in logs)

    ingests = [subprocess.Popen(_lake(catalog, data, "ingest", *map(str, part), "--author", name, "--chunk", "3"),
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, part in (("ingest-a", first), ("ingest-b", second))]
    ingested = [p.communicate(timeout=400) for p in ingests]
    errors = [d.communicate(timeout=400)[1] for d in dashboards]
    watcher.join(timeout=300)
    stop.set()
    assert not watcher.is_alive(), f"the Streamlit dashboards did not show all {len(files)} reports: {seen}"

    # the first ingest stores or skips all of its files; the second the same, and refuses the empty one
    assert ingests[0].returncode == 0, ingested[0][1][-3000:]
    assert ingests[1].returncode == 1, ingested[1][1][-3000:]
    lines = [out.splitlines() for out, _ in ingested]
    assert all("Traceback" not in err for _, err in ingested), [err[-3000:] for _, err in ingested]
    [refused] = [x for x in lines[1] if x.startswith(f"failed   {empty.name}: ")]
    assert "/ 失败：" in refused
    stored = Counter(x.split(":")[0].split()[1] for out in lines for x in out if x.startswith("stored   "))
    skipped = Counter(x.split(":")[0].split()[1] for out in lines for x in out if x.startswith("skipped  "))
    assert stored == Counter(f.name for f in files), "each file stored by exactly one ingest"
    assert skipped == Counter(f.name for f in files[20:40]), "each overlapping file skipped by the other"

    # every report once, every file's bytes once; the incrementally kept dashboard table equals a rebuild
    check = subprocess.run(_lake(catalog, data, "check"), cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert check.returncode == 0, check.stderr[-3000:]
    lake = json.loads(check.stdout)
    counts = lake["counts"]
    assert (counts["reports"], counts["distinct_reports"], counts["distinct_report_contents"]) == (60, 60, 60)
    assert (counts["raw_files"], counts["distinct_raw_files"]) == (60, 60)
    only_rebuilt, only_kept, rows = lake["drift"]
    assert (only_rebuilt, only_kept) == (0, 0) and rows == counts["dashboard_rows"] > 0
    authors = Counter(lake["authors"])
    assert authors["init"] == 1 and authors["ingest-a"] >= 1 and authors["ingest-b"] >= 1, lake["authors"]
    order = "".join(a[-1] for a in lake["authors"] if a.startswith("ingest-"))
    print(f"\nlake commits in order (a = ingest-a, b = ingest-b): {order}")

    # both dashboards: every page run saw a whole snapshot; snapshots and reports only grew; the last shows all
    for n, (d, err, log) in enumerate(zip(dashboards, errors, logs)):
        assert d.returncode == 0, err[-3000:]
        pages = _pages(log.read_text())
        for page in pages:
            whole = page["whole"]
            assert all(v == 0 for k, v in whole.items() if k != "reports"), page
            assert whole["reports"] == len(page["report_ids"]), page  # data.reports shows every stored report
        assert all(a["snapshot"] <= b["snapshot"] and set(a["report_ids"]) <= set(b["report_ids"])
                   for a, b in zip(pages, pages[1:]))
        assert set(pages[-1]["report_ids"]) == expected
        assert pages[-1]["cards"] > 0 and pages[-1]["rows"]["overview.yearly_trend"] > 0
        assert len({p["snapshot"] for p in pages}) >= 2
        print(f"dashboard {n + 1}: {len(pages)} page runs over {len({p['snapshot'] for p in pages})} snapshots, "
              f"reports seen: {sorted({len(p['report_ids']) for p in pages})}")

    # both Streamlit dashboards: no page run failed, the reports they showed only grew, both show all 60
    # reports of 30 units, and both show the same 总览
    for n, log in enumerate(seen):
        assert all(not exceptions for *_, exceptions in log), log
        shown = [reports for reports, *_ in log]
        assert shown == sorted(shown) and shown[-1] == len(files) and log[-1][1] == 30, log
        print(f"Streamlit dashboard {n + 1}: {len(log)} page runs of 总览, reports shown: {sorted(set(shown))}")
    finals = [asyncio.run(_overview(url)) for url in urls]
    assert [(_shown(r), r.exceptions) for r in finals] == [((60, 30), [])] * 2
    assert _page_text(finals[0]) == _page_text(finals[1])
    # every page runs on the lake, 上传与校对 too (its writes go to the lake: tests/test_lake_writes.py)
    from dashboard import PAGES
    runs = {url_path: asyncio.run(_page(urls[1], url_path)) for *_, url_path in PAGES}
    assert {p: (r.title, r.exceptions) for p, r in runs.items()} == {p: (t, []) for _, t, _, p in PAGES}
    assert "校对" in runs["review"].texts and not any("只读" in t for t in runs["review"].texts), runs["review"].texts

    # the lake holds what the DuckDB file holds: the same numbers, comparisons and headline flags
    native = tmp_path / "native.duckdb"
    done = subprocess.run([sys.executable, "-m", "perfboard", "ingest", *map(str, files), "--db", str(native)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    import duckdb
    from perfboard import queries
    con = duckdb.connect(str(native), read_only=True)
    try:
        theirs = [tuple(r) for r in queries.execute(con, "lake.dashboard_numbers")]
        columns = [tuple(r) for r in queries.execute(con, "lake.columns", database="native")]
    finally:
        con.close()
    # schema/lake_tables.sql has schema/tables.sql's columns, in its order, with its types
    assert [tuple(c) for c in lake["columns"]] == columns
    assert Counter(tuple(r) for r in lake["numbers"]) == Counter(theirs) and len(theirs) == rows
    # and the dashboard on the lake shows what the dashboard on that file shows: 总览's every heading,
    # caption, ranking row and figure
    with streamlit_server(native, "lake-native-dashboard.log") as url:
        on_file = asyncio.run(_overview(url))
    assert _shown(on_file) == (60, 30) and not on_file.exceptions
    assert _page_text(finals[0]) == _page_text(on_file)
    assert any("| 1 |" in t for t in _page_text(on_file))  # a ranking table with its figures is among them


_check = lake_check


def test_a_writer_killed_mid_write_leaves_whole_reports_once_and_its_lock_free(catalog, lake_dir, tmp_path):
    # on the lake the test above filled (or a new one when it runs alone)
    data = lake_dir
    assert subprocess.run(_lake(catalog, data, "init"), cwd=ROOT, capture_output=True, timeout=180).returncode == 0
    before = _check(catalog, data)["counts"]["reports"]
    corpus = tmp_path / "more"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "8", "--years", "2", "--seed", "15",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    files = sorted(corpus.glob("*.txt"))
    parquet = lambda: sum(1 for _ in data.rglob("*.parquet"))  # noqa: E731
    written = parquet()
    # one report per transaction; killed once its writes have begun (new data files), whatever it committed
    writer = subprocess.Popen(_lake(catalog, data, "ingest", *map(str, files), "--author", "killed", "--chunk", "1"),
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while parquet() < written + 6 and writer.poll() is None:
        assert time.monotonic() < deadline, "the writer wrote nothing in 240 s"
        time.sleep(0.02)
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL, "the writer ended before it was killed"
    after_kill = _check(catalog, data)
    counts = after_kill["counts"]
    assert counts["reports"] == counts["distinct_reports"] == counts["raw_files"] == counts["distinct_raw_files"]
    assert before <= counts["reports"] <= before + len(files)
    assert all(v == 0 for k, v in after_kill["whole"].items() if k != "reports"), after_kill["whole"]
    assert after_kill["drift"][:2] == [0, 0]
    committed = counts["reports"] - before
    assert committed < len(files)
    # the next writer gets the lock (PostgreSQL dropped the killed one's with its connection) and stores the rest
    again = subprocess.run(_lake(catalog, data, "ingest", *map(str, files), "--author", "again"), cwd=ROOT,
                           capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-3000:]
    lines = again.stdout.splitlines()
    assert sum(x.startswith("stored   ") for x in lines) == len(files) - committed
    assert sum(x.startswith("skipped  ") for x in lines) == committed
    final = _check(catalog, data)
    counts = final["counts"]
    assert counts["reports"] == counts["distinct_reports"] == counts["raw_files"] == before + len(files)
    assert all(v == 0 for k, v in final["whole"].items() if k != "reports") and final["drift"][:2] == [0, 0]
    print(f"\nkilled after {committed} of {len(files)} reports were committed; the rerun stored the other "
          f"{len(files) - committed}")


def test_a_dashboard_on_a_lake_refuses_whole_file_writes_and_leaves_the_file_alone(tmp_path, monkeypatch):
    # no lake needed: with PERFBOARD_LAKE set, a write of the whole database (re-extraction, an upgrade) is
    # refused before anything is opened (not built on a lake), and the DuckDB file is never written: it is
    # not what this process serves
    from perfboard import db, load
    monkeypatch.setenv("PERFBOARD_LAKE", "dbname=lake host=/nonexistent")
    monkeypatch.setenv("PERFBOARD_LAKE_DATA", str(tmp_path / "lake"))
    target = tmp_path / "evaluations.duckdb"
    with pytest.raises(db.LakeReadOnly, match="not built for a DuckLake lake") as refused:
        load.reextract(target)
    assert "数据湖暂不支持重新抽取" in refused.value.zh
    assert not target.exists() and not list(tmp_path.iterdir())
    assert db.readable(target) and db.on_lake()  # the lake is what there is to read and write, not the file
    monkeypatch.delenv("PERFBOARD_LAKE_DATA")
    with pytest.raises(RuntimeError, match="PERFBOARD_LAKE_DATA"):
        db.readable(target)
