"""Issue 16, Markdown injection on every page in Chromium (AppTest's faster half is
tests/test_hostile_pages.py): with the hostile corpus stored (tests/hostile.py), no page of
the router, nor 上传与校对 for a logged-in analyst, has a link, an image or a KaTeX formula
from it, nor its **b** in bold; no chart has a link in its ticks, legend, titles or hover
box; and the string shows as typed."""
from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make sysdeps)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

import dashboard as router  # noqa: E402
from conftest import LAUNCH_ARGS, streamlit_server  # noqa: E402
from hostile import DEPARTMENT, HOSTILE, INJECTED, items  # noqa: E402
from perfboard import load  # noqa: E402

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
WAIT_MS = 90_000
PASSWORD = "correct horse battery"
MARKER = "点此登录"
VIEWS = [(url, {}) for _, _, _, url in router.PAGES if url != "review"] + [
    ("overview", {"dept": DEPARTMENT}),
    ("budget", {"dept": DEPARTMENT}),  # the corpus's department alone: its bar is drawn, hovered below
    ("department", {"unit": DEPARTMENT}),
    ("compare", {"units": [DEPARTMENT, "广州市天河区信访局"]}),
]


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser-hostile")
    db_file = work / "hostile.duckdb"
    shutil.copyfile(seed_db, db_file)
    outcomes = load.ingest_items(items(), db_file, keep_failed=True)
    assert [o.status for o in outcomes] == ["stored", "stored", "failed"], [o.line() for o in outcomes]
    with streamlit_server(db_file, "streamlit-hostile.log", PASSWORD, work) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def inert(page) -> None:
    """Nothing on the page is markup from the corpus."""
    app = page.locator('[data-testid="stApp"]')
    assert app.locator(f":is({INJECTED})").count() == 0
    assert app.locator("strong", has_text=re.compile(r"^b$")).count() == 0
    assert app.locator('[data-testid="stException"]').count() == 0
    # plotly turns <a href> in any label into an SVG link; none may exist in a chart
    assert page.locator(".js-plotly-plot a").count() == 0
    assert page.locator("img[src='x'], img[onerror]").count() == 0


def shown(page) -> int:
    """Places that show the string as typed: the page's text (escaped Markdown reads as
    the text itself), and the charts' text."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    charts = page.locator(".js-plotly-plot svg text").all_text_contents()
    return text.count("[点此登录](https:evil.example)") + sum("y</a>" in t for t in charts)


@pytest.mark.parametrize("path,query", VIEWS, ids=[f"{p}{'-' + next(iter(q)) if q else ''}" for p, q in VIEWS])
def test_every_page_keeps_the_hostile_corpus_as_text(server, browser, path, query):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.goto(f"{server}/{path}" + (f"?{urllib.parse.urlencode(query, doseq=True)}" if query else ""))
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(2000)  # plotly draws after the script run ends (slowly on a busy machine)
    inert(page)
    # 数据与来源 shows it only in grids (canvas text); the bar charts of 预算执行 and 满意度 cut a
    # name past 16 characters with "…" (their detail tables are grids too): there the hover
    # box has the whole name, checked below on 预算执行
    if path not in ("data", "budget", "satisfaction"):
        assert shown(page) > 0, f"the corpus is not shown on {path}"
    # a hover box that names the corpus must show its tags as text (hover_a_bar asserts it);
    # since the charts show one year and wrap hover lines at about 20 characters, finding the
    # box by its text is not certain, so a box not found is not a failure here: the chart's
    # own texts, hover included, are checked for live tags in tests/test_hostile_pages.py
    if path == "budget" and query:
        hover_a_bar(page)
    inert(page)
    page.context.close()


def hover_a_bar(page) -> bool | None:
    """Hovers the bars of the first chart with bars until a hover box names the corpus's
    department: the box must show its tags as text."""
    bars = page.locator(".js-plotly-plot .bars path")
    for k in range(min(bars.count(), 40)):
        try:
            bars.nth(k).hover(timeout=2_000, force=True)
        except Exception:  # noqa: BLE001 - a bar of height 0 cannot be hovered
            continue
        box = page.locator(".js-plotly-plot .hoverlayer")
        if MARKER in (box.first.text_content() or ""):
            assert "</a>" in box.first.text_content()
            assert box.locator("a").count() == 0
            return True
    return False if bars.count() else None


def test_the_review_page_keeps_it_as_text_for_an_analyst(server, browser):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.goto(f"{server}/review")
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.get_by_test_id("stExpander").get_by_text("分析员登录", exact=True).click()
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("已登录：analyst")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    inert(page)
    # the report (2020, a seed department) and the records file's row for 2022 (its department hostile)
    for search, wanted in (("天河区信访局 · 2020 年", f"{HOSTILE}.txt"), ('"y")信访局 · 2022 年', f"{HOSTILE}.csv")):
        box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text="报告").first
        box.locator("input").click()
        box.locator("input").fill(search)
        page.keyboard.press("Enter")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        heading = page.locator('[data-testid="stMarkdownContainer"]', has_text="原文").filter(
            has_text=wanted[-12:])
        expect(heading.first).to_be_visible(timeout=WAIT_MS)
        assert wanted in heading.first.inner_text().replace("\n", "")
        inert(page)
        if wanted.endswith(".txt"):  # the source text, highlighted, with the corpus in its sentences
            source = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"]').filter(
                has_text="存在问题")
            assert "[点此登录](https:evil.example)" in source.last.inner_text()
    page.context.close()
