"""一键生成简报 in a real browser, on `make demo`'s fictional database (40 units × 5 years):
the page shows 示例数据，虚构, and the deck downloaded from 总览 with the sidebar's default
years (every year) is the latest year's, 16:9, marked as fictional, sources named."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make sysdeps)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from conftest import LAUNCH_ARGS, streamlit_server  # noqa: E402

from conftest import ROOT  # noqa: E402
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run = subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "40", "--years", "5",
                          "--first-year", "2020", "--demo-db", str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    return path


def test_the_brief_downloaded_from_the_overview_of_the_demo(demo_db, tmp_path):
    from pptx import Presentation
    with streamlit_server(demo_db, "streamlit_brief.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=WAIT_MS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page.set_default_timeout(WAIT_MS)
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        expect(page.get_by_text("示例数据，虚构").first).to_be_visible()
        with page.expect_download(timeout=WAIT_MS) as download:
            page.get_by_role("button", name=re.compile("一键生成简报")).first.click()
        out = tmp_path / "brief.pptx"
        download.value.save_as(out)
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "demo_overview.png"))
        browser.close()
    deck = Presentation(str(out))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    slides = list(deck.slides)
    assert "示例数据，虚构" in slides[0].placeholders[1].text
    charts = [s.shapes.title.text for s in slides if any(shape.shape_type == 13 for shape in s.shapes)]
    assert charts and all(title.endswith(" · 2024 年") for title in charts), charts
    text = "\n".join(shape.text_frame.text for s in slides for shape in s.shapes if shape.has_text_frame)
    assert re.search(r"示例.+ · 2024 年 · 部门整体支出绩效自评报告", text)
    assert not re.search(r"[0-9a-f]{16}|\.txt\b|synth_\d+", text)
