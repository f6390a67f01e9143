"""Every page of the router at phone size (390 × 844) and on a desktop (1440 × 1000), on the
seed database and on a synthetic national-scale corpus, in a real browser. A page fails on
- horizontal overflow: the page (or a table, card, chart or text block in it) wider than
  the window, so the reader has to scroll sideways;
- a KPI value, label or delta cut with an ellipsis ("…" by text-overflow);
- chart text cut off: a value label reaching past the chart's edge;
- overlapping chart text: the boxes of plotly's title, subplot titles and other
  annotations, legend and axis titles of one chart intersecting, or the chart's toolbar
  lying over its title;
- a page that points to "左侧" (the sidebar is hidden on a phone);
- on a phone, an interactive grid (st.dataframe) in view: it scrolls sideways, cards are shown instead;
- English a reader sees (outside the allowlist of tests/test_ui_language.py), also in
  Streamlit's own chrome (toolbar, menus, the grid's tooltips).
A screenshot of every page goes to tests/artifacts/layout/ (git-ignored).

The synthetic corpus is the issue's national scale: `perfboard synth --departments N --years 10`
ingested by `perfboard ingest` into a temporary database once per test session, N =
PERFBOARD_LAYOUT_UNITS (3000 unless set: 30,000 reports, ~1.5 min to build on two free cores).
PERFBOARD_LAYOUT_DB=FILE reuses a database already built that way (for reruns while working on a
page); it is checked to hold N units × 10 years before any page is opened."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LAUNCH_ARGS, ROOT, require, streamlit_server

CHROMIUM = "/usr/bin/chromium"
require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (make sysdeps)")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

import dashboard  # noqa: E402  (the router's page list: every page it serves is checked)
from perfboard.ui import layout  # noqa: E402  (the phone layout's width)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "layout"
WAIT_MS = 240_000  # a page of the national-scale corpus on a busy 2-core machine
SIZES = {"phone": dict(width=390, height=844), "desktop": dict(width=1440, height=1000)}
SYNTH_UNITS = int(os.environ.get("PERFBOARD_LAYOUT_UNITS", "3000"))
PAGES = [url for _, _, _, url in dashboard.PAGES]

from test_ui_language import ALLOWED, WORD  # noqa: E402  (one allowlist for AppTest and the browser)

PROBE = r"""() => {
  const ALLOWED = %s;
  const W = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const problems = [];
  const wide = Math.max(main.scrollWidth - main.clientWidth, document.documentElement.scrollWidth - W);
  if (wide > 1) problems.push(`page ${wide}px wider than the ${W}px window`);
  for (const el of main.querySelectorAll('table, [data-testid="stTable"], [data-testid="stMetric"], .js-plotly-plot, '
                                         + '[data-testid="stMarkdownContainer"], [data-testid="stDataFrame"]')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.right > W + 2)
      problems.push(`${el.getAttribute('data-testid') || el.tagName} reaches ${Math.round(r.right)}px of ${W}px: `
                    + el.innerText.slice(0, 40));
  }
  for (const el of main.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"], '
                                         + '[data-testid="stMetricDelta"]')) {
    for (const inner of [el, ...el.querySelectorAll('*')]) {
      const s = getComputedStyle(inner);
      if (inner.scrollWidth > inner.clientWidth + 1 && s.textOverflow === 'ellipsis' && s.overflow !== 'visible') {
        problems.push(`KPI text cut with an ellipsis: ${el.innerText.slice(0, 40)}`);
        break;
      }
    }
  }
  // on a phone a grid scrolls sideways inside the page: its rows are cards there (components.table)
  if (W <= %d) for (const grid of main.querySelectorAll('[data-testid="stDataFrame"]'))
    if (grid.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
      problems.push(`a grid at phone width (cards expected): ${grid.innerText.slice(0, 40)}`);
  const box = e => { const r = e.getBoundingClientRect(); return {r, t: (e.textContent || '').trim().slice(0, 30)}; };
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 4
                     && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 4;
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    const texts = [...plot.querySelectorAll('.gtitle, .annotation-text, .legend .bg, .xtitle, .ytitle, '
                                            + '[class^="x"][class$="title"], [class^="y"][class$="title"]')]
      .map(box).filter(b => b.r.width > 0 && b.r.height > 0);
    const seen = new Set();
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i], b = texts[j];
      if (a.r === b.r || (a.r.left === b.r.left && a.r.top === b.r.top)) continue;
      if (hit(a.r, b.r)) {
        const key = `${a.t}|${b.t}`;
        if (!seen.has(key)) { seen.add(key); problems.push(`chart text overlaps: "${a.t}" and "${b.t}"`); }
      }
    }
    // a value label drawn past the chart's edge is cut off there (cliponaxis is off, the svg is not)
    const edge = plot.querySelector('.main-svg').getBoundingClientRect();
    for (const label of plot.querySelectorAll('.bartext, .textpoint')) {
      const r = label.getBoundingClientRect();
      if (r.width > 0 && (r.right > edge.right + 1 || r.left < edge.left - 1))
        problems.push(`chart text cut at the chart's edge: "${(label.textContent || '').trim().slice(0, 30)}"`);
    }
    const bar = plot.querySelector('.modebar-container');
    const title = plot.querySelector('.gtitle');
    if (bar && title && bar.getBoundingClientRect().width > 0 && getComputedStyle(bar).display !== 'none'
        && hit(bar.getBoundingClientRect(), title.getBoundingClientRect()))
      problems.push(`the chart toolbar lies over the title "${title.textContent}"`);
  }
  if (main.innerText.includes('左侧')) problems.push('the page points to 左侧 (hidden on a phone)');
  // English a reader sees: visible text outside icons (drawn from ligatures), file names left out
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stApp"]'), NodeFilter.SHOW_TEXT);
  const english = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('[data-testid="stIconMaterial"], [translate="no"], style, script, .sr-only')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const text = n.textContent.replace(/\S+\.(txt|pdf|docx|xlsx|csv|json|png|jpe?g)\b/gi, ' ');
    for (const w of text.match(/[A-Za-z]{2,}/g) || []) if (!ALLOWED.includes(w)) english.add(w);
  }
  if (english.size) problems.push(`English on the page: ${[...english].join(', ')}`);
  return {problems, height: main.scrollHeight};
}""" % (json.dumps(sorted(ALLOWED)), layout.PHONE)


def _synth_database(folder: Path) -> Path:
    """`perfboard synth` N × 10 years, ingested through the CLI into a fresh database (or the one
    PERFBOARD_LAYOUT_DB names, if it holds that corpus)."""
    if os.environ.get("PERFBOARD_LAYOUT_DB"):
        return _checked(Path(os.environ["PERFBOARD_LAYOUT_DB"]))
    corpus, db = folder / "corpus", folder / "synth.duckdb"
    python = [sys.executable, "-m", "perfboard"]
    subprocess.run(python + ["synth", "--departments", str(SYNTH_UNITS), "--years", "10", "--out", str(corpus)],
                   cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(python + ["ingest", str(corpus), "--db", str(db)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    assert f"{SYNTH_UNITS * 10} stored" in done.stdout, done.stdout[-500:]
    return _checked(db)


def _checked(db: Path) -> Path:
    """The database holds SYNTH_UNITS departments × 10 years (never a smaller corpus by mistake)."""
    from perfboard import db as database, queries

    con = database.connect_read(db)
    try:
        fresh = queries.run(con, "data.freshness").row(0, named=True)  # the line every page starts with
    finally:
        con.close()
    found = (fresh["units"], len(fresh["years"]), fresh["reports"])
    assert found == (SYNTH_UNITS, 10, SYNTH_UNITS * 10), (db, found)
    return db


@pytest.fixture(scope="module")
def servers(seed_db, tmp_path_factory):
    """One dashboard server per corpus, started when a test first needs it."""
    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}

        def url(corpus: str) -> str:
            if corpus not in urls:
                db = seed_db if corpus == "seed" else _synth_database(tmp_path_factory.mktemp("synth"))
                urls[corpus] = stack.enter_context(streamlit_server(db, f"layout_{corpus}.log"))
            return urls[corpus]
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=WAIT_MS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, size: str):
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=1, is_mobile=phone,
                                  has_touch=phone, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url, wait_until="domcontentloaded")
    settle(page)
    return page


def settle(page) -> None:
    """The script has finished (twice: the root URL forwards once) and every chart is drawn."""
    running = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(running)
    page.wait_for_timeout(800)
    page.wait_for_selector(running)
    page.wait_for_selector('[data-testid="stMain"] h1')
    for i in range(page.locator('[data-testid="stPlotlyChart"]').count()):
        page.locator('[data-testid="stPlotlyChart"]').nth(i).locator(".main-svg").first.wait_for(state="attached")
    page.wait_for_timeout(800)


def screenshot(page, name: str, height: int, size: str) -> None:
    """The page scrolls inside stMain: the window grows to its height for one whole picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": SIZES[size]["width"], "height": min(height + 100, 10_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


CASES = [pytest.param(corpus, size, url, id=f"{corpus}-{size}-{url}")
         for corpus in ("seed", "synth") for size in SIZES for url in PAGES]


@pytest.mark.parametrize("corpus,size,page_url", CASES)
def test_page_fits_the_screen(servers, browser, corpus, size, page_url):
    page = open_page(browser, f"{servers(corpus)}/{page_url}", size)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0, \
            page.locator('[data-testid="stException"]').first.inner_text()
        found = page.evaluate(PROBE)
        screenshot(page, f"{corpus}_{size}_{page_url}", int(found["height"]), size)
        assert not found["problems"], "\n".join(found["problems"])
    finally:
        page.context.close()


def test_the_sidebar_closes_after_a_filter_is_picked_on_a_phone(servers, browser):
    page = open_page(browser, f"{servers('seed')}/overview", "phone")
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar).to_have_attribute("data-collapsed", "true")  # a phone starts with it closed
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        page.wait_for_timeout(1000)  # the sidebar slides in: a click during the slide can miss the box
        option = page.get_by_role("option", name="云南省")
        for _ in range(3):
            sidebar.get_by_role("combobox", name="省份").click()
            try:
                option.wait_for(state="visible", timeout=15_000)
                break
            except Exception:  # the list did not open (a busy machine): click the box again
                page.keyboard.press("Escape")
        option.click()
        expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=10_000)
        expect(page.locator('[data-testid="stMetricValue"]', has_text="99.80%").first).to_be_visible()
    finally:
        page.context.close()


def test_ranking_is_cards_on_a_phone_and_a_table_on_a_desktop(servers, browser):
    for size, table, cards in (("phone", 0, True), ("desktop", 1, False)):
        page = open_page(browser, f"{servers('seed')}/overview", size)
        try:
            ranking = page.locator('[data-testid="stMain"] table:visible')
            assert ranking.count() >= table if table else ranking.count() == 0
            # the first by score of the latest year on the seed data (2023: 盐田 alone), as a card's heading
            card = page.locator('[data-testid="stMain"] strong', has_text="1 · 深圳市盐田区信访局 · 2023").first
            if cards:
                expect(card).to_be_visible()
            else:
                expect(card).to_be_hidden()
                expect(page.locator("table:visible td", has_text="深圳市盐田区信访局").first).to_be_visible()
        finally:
            page.context.close()


def _english(text: str) -> set[str]:
    return {w for w in WORD.findall(text or "") if w not in ALLOWED}


def _settled(read, within: float = 2.0):
    """What `read()` gives once the page's translator has run: it translates Streamlit's chrome at
    the next idle moment, at most 300 ms after a change (layout's requestIdleCallback timeout), so
    on a loaded machine a tooltip that has just appeared can still be in English for that long (it
    was once, in a full suite run). Still English after `within` seconds is a failure."""
    deadline = time.monotonic() + within
    value = read()
    while _english(" ".join(value) if isinstance(value, list) else value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_url,element", [("data", "stDataFrame"), ("overview", "stPlotlyChart")])
def test_streamlit_chrome_speaks_chinese(servers, browser, size, page_url, element):
    """Streamlit's own controls: no ⋮ main menu and no Deploy (client.toolbarMode), and the
    toolbar over a grid or chart — its buttons' names and the tooltips they show — in Chinese."""
    page = open_page(browser, f"{servers('seed')}/{page_url}", size)
    try:
        assert page.locator('[data-testid="stMainMenu"], [data-testid="stAppDeployButton"]').count() == 0
        assert page.get_by_text("Deploy", exact=True).count() == 0
        shown = page.locator(f'[data-testid="stMain"] [data-testid="{element}"]:visible')
        if size == "phone" and element == "stDataFrame":
            assert shown.count() == 0  # on a phone a grid's rows are cards (the layout test checks every page)
            return
        target = shown.first
        target.scroll_into_view_if_needed()
        target.hover()
        if element == "stPlotlyChart":  # plotly's toolbar: each button's tooltip is its data-title
            titles = target.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
            assert titles and not _english(" ".join(titles)), titles
            return
        toolbar = page.locator('[data-testid="stElementToolbar"]:visible').first
        buttons = toolbar.locator('[data-testid="stElementToolbarButton"] button')
        expect(buttons.first).to_be_visible()
        names = _settled(lambda: buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label') || '')"))
        assert names and not _english(" ".join(names)), names
        tips = []
        for i in range(buttons.count()):
            buttons.nth(i).hover()
            tip = page.locator('[data-testid="stTooltipContent"]:visible').last
            tip.wait_for(state="visible", timeout=10_000)
            tips.append(_settled(tip.inner_text))
            page.mouse.move(0, 0)
            tip.wait_for(state="hidden", timeout=10_000)
            target.hover()
        assert tips and not _english(" ".join(tips)), tips
    finally:
        page.context.close()
