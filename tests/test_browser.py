"""The dashboard in a real browser: `streamlit run app/streamlit_app.py` on the seed database and
Debian's Chromium driven by Playwright. Every page is opened cold (a new browser context,
straight to its URL with filters in the query string); no exception box, the right title,
a real number on screen, and a screenshot in tests/artifacts/. The first request the
server ever gets is a deep link to /budget: it must go through app/streamlit_app.py and dashboard.py (our
navigation, our filters) with no "Page not found" from Streamlit's file-based pages/ mode."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import LAUNCH_ARGS, ROOT, require, streamlit_server

CHROMIUM = "/usr/bin/chromium"
require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (make sysdeps)")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
TITLES = ["总览", "预算执行", "信访量", "满意度", "绩效得分", "单位画像", "对比", "数据与来源", "上传与校对"]
WAIT_MS = 60_000


class Server:
    def __init__(self, url: str):
        self.url = url
        self.pages_opened = 0


@pytest.fixture(scope="module")
def server(seed_db):
    with streamlit_server(seed_db, "streamlit.log") as url:
        yield Server(url)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=WAIT_MS)
        yield chromium
        chromium.close()


def open_cold(browser, server: Server, path: str, **query):
    """A new browser context straight to the URL; returns the page once the script has run."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{server.url}/{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")
    page.goto(url, wait_until="domcontentloaded", timeout=WAIT_MS)
    server.pages_opened += 1
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    page.errors = errors
    return page


def settle_and_screenshot(page, name: str) -> Path:
    """Waits for the charts, grows the window to the page's height, saves a full screenshot."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)
    if page.locator(".js-plotly-plot").count():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(1000, min(int(height) + 40, 8000))})
    page.wait_for_timeout(600)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def nav_labels(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNavLink"] span[label]')
    return [links.nth(i).get_attribute("label") for i in range(links.count())]


def assert_clean(page, title: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(title, timeout=WAIT_MS)
    assert nav_labels(page) == TITLES
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's file-based mode never ran
    assert not page.errors, page.errors


# ---------------------------------------------------------------- first: the cold deep link

def test_cold_deep_link_to_budget_goes_through_the_frame(server, browser):
    assert server.pages_opened == 0, "this must be the first request the server gets"
    page = open_cold(browser, server, "budget", province="广东省", year_from="2022", kind="department_overall")
    assert_clean(page, "预算执行")
    # the sidebar is ours: page titles, not file names, and the shared filters
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("筛选", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("combobox", name="省份")).to_have_value("广东省")
    expect(sidebar.get_by_role("combobox", name="报告类型")).to_have_value("部门整体")
    # the charts compare the latest year's units: 盐田's 2023 (天河's 2022 is one pick of 比较年度 away)
    expect(page.locator("svg text", has_text="99.59%").first).to_be_visible()
    assert "province=" in page.url and page.url.split("?")[0].endswith("/budget")
    settle_and_screenshot(page, "cold_deep_link_budget")
    page.context.close()


# ---------------------------------------------------------------- every page, cold, with filters

PAGES = [
    # url path, query, title, a number that must be visible (in a card, a chart or a caption)
    ("", {"city": "深圳市"}, "总览", '[data-testid="stMetricValue"]', "99.59%"),
    ("overview", {"province": "云南省"}, "总览", '[data-testid="stMetricValue"]', "99.80%"),
    ("budget", {"province": "广东省", "kind": "department_overall"}, "预算执行", "svg text", "99.59%"),
    ("petitions", {"year_to": "2022"}, "信访量", "svg text", "2,371（1–10月）"),
    ("satisfaction", {"province": "广东省"}, "满意度", "svg text", "97.42%"),
    ("scores", {"year_from": "2023"}, "绩效得分", "svg text", "99.87"),
    ("department", {"unit": "昆明市盘龙区信访局"}, "单位画像", '[data-testid="stMetricValue"]', "2,371"),
    ("compare", {"units": ["广州市天河区信访局", "昆明市盘龙区信访局"]}, "对比", "svg text", "94.01%"),
    ("data", {"kind": "department_overall"}, "数据与来源", '[data-testid="stCaptionContainer"]', "共 33 个数字"),
]


@pytest.mark.parametrize("path,query,title,where,number", PAGES, ids=[p[0] or "root" for p in PAGES])
def test_page_cold_with_filters_in_the_url(server, browser, path, query, title, where, number):
    page = open_cold(browser, server, path, **query)
    assert_clean(page, title)
    expect(page.locator(where, has_text=number).first).to_be_visible(timeout=WAIT_MS)
    if not path:      # the root URL forwards to /overview, query string and all
        expect(page).to_have_url(re.compile(r"/overview\?city=%E6%B7%B1%E5%9C%B3%E5%B8%82$"), timeout=WAIT_MS)
    shot = settle_and_screenshot(page, path or "root")
    assert shot.stat().st_size > 20_000
    assert page.locator('[data-testid="stException"]').count() == 0
    page.context.close()


def test_filter_change_updates_page_and_url(server, browser):
    page = open_cold(browser, server, "overview")
    assert_clean(page, "总览")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="省份").click()
    page.get_by_role("option", name="云南省").click()
    expect(page.locator('[data-testid="stMetricValue"]', has_text="99.80%").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)
    expect(page).to_have_url(re.compile(r"/overview\?province=%E4%BA%91%E5%8D%97%E7%9C%81$"), timeout=WAIT_MS)
    # the filter is kept on another page
    page.locator('[data-testid="stSidebarNavLink"]', has_text="预算执行").click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("预算执行", timeout=WAIT_MS)
    expect(page.locator("svg text", has_text="99.80%").first).to_be_visible(timeout=WAIT_MS)
    assert page.locator("svg text", has_text="94.01%").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    page.context.close()


def test_empty_result_and_invalid_url_values(server, browser):
    page = open_cold(browser, server, "budget", province="云南省", kind="project")
    assert_clean(page, "预算执行")
    expect(page.get_by_text("当前筛选条件下没有数据").first).to_be_visible()
    page.context.close()
    page = open_cold(browser, server, "petitions", province="火星", year_from="abc", kind="x", dept="无")
    assert_clean(page, "信访量")
    expect(page.locator("svg text", has_text="2,371（1–10月）").first).to_be_visible(timeout=WAIT_MS)
    page.context.close()


@pytest.mark.parametrize("query,footer", [
    ({}, "数据来源：5 个单位的 5 份报告，2022–2023 年 · 生成于 "),          # more than two reports: counted
    ({"province": "云南省"}, "数据来源：昆明市盘龙区信访局 · 2022 年 · "),   # two or fewer: named
], ids=["counted", "named"])
def test_a_chart_svg_download_names_or_counts_the_reports_in_view(server, browser, tmp_path, query, footer):
    import datetime as dt
    page = open_cold(browser, server, "budget", **query)
    assert_clean(page, "预算执行")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="SVG").first.click()
    out = tmp_path / "chart.svg"
    download.value.save_as(out)
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and footer in svg
    assert f"生成于 {dt.date.today().isoformat()}" in svg
    page.context.close()
