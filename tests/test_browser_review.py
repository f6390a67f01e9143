"""The 上传与校对 page in a real browser: an analyst logs in (password hash from a secrets
file), uploads a report through the page's file input and sees it imported and listed;
a cold deep link to /review lands on the page through the router."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import LAUNCH_ARGS, ROOT, require, streamlit_server

CHROMIUM = "/usr/bin/chromium"
require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (make sysdeps)")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
WAIT_MS = 60_000
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser-review")
    db_file = work / "review.duckdb"
    shutil.copyfile(seed_db, db_file)
    with streamlit_server(db_file, "streamlit-review.log", PASSWORD, work) as url:
        yield url, db_file


def test_analyst_logs_in_uploads_a_report_and_sees_it_listed(server, tmp_path):
    url, db_file = server
    upload = tmp_path / "盐田区2024年度自评报告.txt"
    text = next((ROOT / "data" / "reports").glob("004_*.txt")).read_text(encoding="utf-8")
    upload.write_text(text.replace("2023", "2024"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(f"{url}/review")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        expect(page.locator('[data-testid="stMain"] h1')).to_contain_text("上传与校对", timeout=WAIT_MS)
        expect(page.get_by_text("此操作需要分析员登录").first).to_be_visible()
        assert page.locator('[data-testid="stFileUploader"]').count() == 0

        page.get_by_test_id("stExpander").get_by_text("分析员登录", exact=True).click()
        page.get_by_label("用户名").fill("analyst")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("已登录：analyst")).to_be_visible(timeout=WAIT_MS)

        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
        page.get_by_role("button", name="导入所选文件").click()
        expect(page.locator("td", has_text="已入库")).to_have_count(1, timeout=WAIT_MS)  # canvas grid: cells exist, hidden
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        selected = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text="报告").first
        expect(selected.locator("input")).to_have_value(re.compile(rf"2024 年.*{re.escape(upload.name)}"),
                                                         timeout=WAIT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / "review_upload.png"), full_page=True)
        browser.close()
    import duckdb
    con = duckdb.connect(str(db_file), read_only=True)
    assert con.execute("SELECT count(*) FROM v_reports WHERE source_file = ?", [upload.name]).fetchall() == [(1,)]
    con.close()
