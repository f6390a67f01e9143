"""`make test-load`: 20 concurrent browser sessions for 60 s against one server, switching
pages and filters, while an analyst uploads a report (and an unreadable file with a
hostile name) through the page and a CLI ingest publishes a new database. The ingest
includes issue 16's hostile inputs (tests/hostile.py): the Markdown/HTML/formula corpus
as a report and a records file, an empty file, random bytes, a UTF-16 text without BOM,
a zip bomb DOCX, a symbolic link and a sparse 200 MB file. Every session must end with
its pages rendered, no exception element and nothing the corpus turned into markup; the
server's log must hold no error; each hostile input is stored or refused with its reason;
nothing stored before is lost. Prints the p95 page time."""
from __future__ import annotations

import asyncio
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LAUNCH_ARGS, ROOT, require, streamlit_server
from hostile import HOSTILE_FILE, INJECTED
from hostile import folder as hostile_folder

pytestmark = pytest.mark.load

CHROMIUM = "/usr/bin/chromium"
require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (make sysdeps)")


ARTIFACTS = ROOT / "tests" / "artifacts"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SESSIONS, SECONDS = 20, 60
TITLES = ["总览", "预算执行", "信访量", "满意度", "绩效得分", "单位画像", "对比", "数据与来源"]
PATHS = ["overview", "budget", "petitions", "satisfaction", "scores", "department", "compare", "data"]
QUERIES = ["", "?province=广东省", "?city=广州市", "?year_from=2023", "?kind=department_overall",
           "?province=云南省&kind=project", "?province=<script>alert(1)</script>"]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    db_file = work / "load.duckdb"
    shutil.copyfile(seed_db, db_file)
    with streamlit_server(db_file, "streamlit-load.log", PASSWORD, work) as url:
        yield url, db_file, ROOT / "tests" / "artifacts" / "streamlit-load.log", work


async def visit(context, url: str, times: list[float], failures: list[str], stop_at: float, n: int) -> None:
    """One user: opens a link with filters now and then, otherwise moves between pages
    through the sidebar menu, as people do."""
    page = await context.new_page()
    rng = random.Random(n)
    first = True
    while time.monotonic() < stop_at:
        title = rng.choice(TITLES)
        started = time.monotonic()
        try:
            if first or rng.random() < 0.2:
                first = False
                where = f"{url}/{rng.choice(PATHS)}{rng.choice(QUERIES)}"
                await page.goto(where, timeout=90_000)
            else:
                where = title
                await page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click(timeout=90_000)
            await page.wait_for_selector(IDLE, timeout=90_000)
            await page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
            await page.wait_for_selector(IDLE, timeout=90_000)
        except Exception as err:  # noqa: BLE001 - recorded and asserted below
            failures.append(f"session {n} {where}: {type(err).__name__}: {err}"[:300])
            continue
        times.append(time.monotonic() - started)
        if await page.locator('[data-testid="stException"]').count():
            failures.append(f"session {n} {where}: exception element")
        if await page.locator(f'[data-testid="stApp"] :is({INJECTED}), .js-plotly-plot a').count():
            failures.append(f"session {n} {where}: markup from the hostile corpus")
    await page.close()


async def upload(browser, url: str, work: Path, failures: list[str]) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(90_000)  # the machine is saturated by the 20 sessions
    report = work / "盐田区2024年度.txt"
    text = next((ROOT / "data" / "reports").glob("004_*.txt")).read_text(encoding="utf-8")
    report.write_text(text.replace("2023", "2024"), encoding="utf-8")
    try:
        await page.goto(f"{url}/review", timeout=60_000)
        await page.wait_for_selector(IDLE, timeout=60_000)
        login = page.get_by_test_id("stExpander").get_by_text("分析员登录", exact=True)
        await login.wait_for()
        for _ in range(3):  # a click during a rerun can be swallowed; the field appearing is what counts
            await login.click()
            try:
                await page.get_by_label("用户名").wait_for(timeout=15_000)
                break
            except Exception:  # noqa: BLE001
                continue
        await page.get_by_label("用户名").fill("analyst")
        await page.get_by_label("密码").fill(PASSWORD)
        await page.get_by_role("button", name="登录").click()
        await page.get_by_text("已登录：analyst").wait_for(timeout=60_000)
        unreadable = work / f"{HOSTILE_FILE}（上传）.txt"  # empty: kept in 待处理 under its hostile name
        unreadable.write_bytes(b"")
        await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            [str(report), str(unreadable)])
        await page.get_by_role("button", name="导入所选文件").click()
        await page.locator("td", has_text="已入库").first.wait_for(state="attached", timeout=60_000)
    except Exception as err:  # noqa: BLE001
        failures.append(f"upload: {type(err).__name__}: {err}"[:300])
    await context.close()


async def drive(url: str, db_file: Path, work: Path) -> tuple[list[float], list[str], int, str, dict]:
    from playwright.async_api import async_playwright
    corpus = work / "synth"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "60", "--years", "2",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    hostile_paths, expected = hostile_folder(work / "hostile")
    times: list[float] = []
    failures: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(SESSIONS)]
        stop_at = time.monotonic() + SECONDS
        tasks = [asyncio.create_task(visit(c, url, times, failures, stop_at, n)) for n, c in enumerate(contexts)]
        await asyncio.sleep(10)
        ingest = await asyncio.create_subprocess_exec(sys.executable, "-m", "perfboard", "ingest", str(corpus),
                                                      *map(str, hostile_paths), "--db", str(db_file), cwd=ROOT,
                                                      stdout=asyncio.subprocess.PIPE,
                                                      stderr=asyncio.subprocess.STDOUT)
        await upload(browser, url, work, failures)
        out, _ = await ingest.communicate()
        await asyncio.gather(*tasks)
        for c in contexts:
            await c.close()
        await browser.close()
    return (times, failures, ingest.returncode if ingest.returncode is not None else -1,
            out.decode("utf-8", "replace"), expected)


def stored_before(db_file: Path) -> set[tuple]:
    import duckdb
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return set(con.execute("SELECT report_id, metric, subject, value FROM v_metrics").fetchall())
    finally:
        con.close()


def test_twenty_sessions_during_upload_and_ingest(server):
    url, db_file, log_path, work = server
    before = stored_before(db_file)
    times, failures, ingest_code, ingest_out, expected = asyncio.run(
        asyncio.wait_for(drive(url, db_file, work), timeout=SECONDS + 240))
    p95 = sorted(times)[int(0.95 * (len(times) - 1))] if times else float("nan")
    print(f"\n{len(times)} page loads by {SESSIONS} sessions in {SECONDS} s; "
          f"median {statistics.median(times):.2f} s, p95 {p95:.2f} s")
    assert not failures, failures[:5]
    # the hostile inputs: each stored, or refused with its reason in one line; the rest went in
    assert ingest_code == 1, ingest_out[-3000:]
    lines = ingest_out.splitlines()
    assert "Traceback" not in ingest_out, ingest_out[-3000:]
    for name, reason in expected.items():
        [line] = [x for x in lines if x.startswith((f"stored   {name}: ", f"failed   {name}: "))]
        assert (line.startswith("stored") if reason is None else line.startswith("failed") and reason in line), line
    assert sum(x.startswith("stored") for x in lines) == 120 + 3
    assert len(times) >= SESSIONS
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Error" not in log, log[-2000:]
    import duckdb
    con = duckdb.connect(str(db_file), read_only=True)
    # the seeds, the synthetic corpus, the upload, the hostile report, its records file's
    # three rows and the UTF-16 report; the unreadable upload kept in 待处理
    assert con.execute("SELECT count(*) FROM v_reports").fetchall()[0][0] == 5 + 120 + 1 + 1 + 3 + 1
    # (Chromium sends the name's quotes as %22)
    assert con.execute("SELECT count(*) FROM pending_files WHERE source_file LIKE ? AND source_file LIKE ?",
                       ["%点此登录](https:evil.example)%", "%（上传）.txt"]).fetchall()[0][0] == 1
    con.close()
    assert before <= stored_before(db_file), "values stored before the load were lost"
