"""Issue 16, Markdown injection in a real browser: a hostile file name (the 原文 heading on
上传与校对) and a hostile satisfaction subject from a records file (a metric label on 总览)
show as text — no link, no image, no KaTeX element comes from them."""
from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make sysdeps)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from conftest import LAUNCH_ARGS, streamlit_server  # noqa: E402

from conftest import ROOT  # noqa: E402
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
WAIT_MS = 60_000
PASSWORD = "correct horse battery"
HOSTILE = "**b** [点此登录](https:evil.example) ![t](https:evil.example) $$x^2$$"
INJECTED = 'a[href*="evil"], img[src*="evil"], .katex'


def injected(page) -> int:
    """Elements the hostile string made: links, images, formulas, and its **b** in bold."""
    return (page.locator(f'[data-testid="stMain"] :is({INJECTED})').count()
            + page.locator('[data-testid="stMain"] strong', has_text=re.compile(r"^b$")).count())


def records_csv() -> bytes:
    from perfboard import records
    header = [c.header for c in records.COLUMNS]
    row = {"单位名称": "广州市海珠区信访局", "被评价年度": "2023", "满意度对象": HOSTILE, "满意率（%）": "97.5"}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    from perfboard import load
    work = tmp_path_factory.mktemp("browser-markdown")
    db_file = work / "md.duckdb"
    shutil.copyfile(seed_db, db_file)
    text = next((ROOT / "data" / "reports").glob("004_*.txt")).read_text(encoding="utf-8").replace("2023", "2021")
    outcomes = load.ingest_items([(f"{HOSTILE}.txt", text.encode()), ("满意度.csv", records_csv())], db_file)
    assert [o.status for o in outcomes] == ["stored", "stored"], [o.line() for o in outcomes]
    with streamlit_server(db_file, "streamlit-markdown.log", PASSWORD, work) as url:
        yield url


def test_a_hostile_subject_is_text_in_the_overview_cards(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(f"{server}/overview")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        label = page.locator('[data-testid="stMetricLabel"]', has_text="点此登录").first
        expect(label).to_be_visible(timeout=WAIT_MS)
        assert "[点此登录](https:evil.example)" in label.inner_text()
        assert injected(page) == 0
        browser.close()


def test_a_hostile_file_name_is_text_in_the_source_heading(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(f"{server}/review")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        page.get_by_test_id("stExpander").get_by_text("分析员登录", exact=True).click()
        page.get_by_label("用户名").fill("analyst")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("已登录：analyst")).to_be_visible(timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text="报告").first
        box.locator("input").click()
        box.locator("input").fill("点此登录")
        page.keyboard.press("Enter")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        heading = page.locator('[data-testid="stMarkdownContainer"]', has_text="原文").filter(has_text="点此登录")
        expect(heading.first).to_be_visible(timeout=WAIT_MS)
        assert f"{HOSTILE}.txt" in heading.first.inner_text().replace("\n", "")
        assert injected(page) == 0
        browser.close()
