"""`make demo`: a fictional demo database built by the CLI the Makefile runs, served by the
dashboard with 示例数据，虚构 on every page; the real database shows no such banner, is
never overwritten by a demo build, and `make run` stays on it."""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT  # noqa: E402
DASHBOARD = ROOT / "app" / "streamlit_app.py"  # what `make run` / `make demo` serve
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")


def make_dry_run(*args: str) -> list[str]:
    """The commands `make` would run (nothing is run)."""
    run = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    commands = make_dry_run("demo", f"DEMO_DB={path}")
    build = [c for c in commands if "perfboard synth" in c]
    assert len(build) == 1, commands
    serve = [c for c in commands if "streamlit run app/streamlit_app.py" in c]
    assert serve and serve[0].startswith(f"PERFBOARD_DB={path} ")
    run = subprocess.run(shlex.split(build[0]), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "示例数据库（虚构），200 份报告" in run.stdout
    return path


def banners(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "示例数据，虚构" in w.value]


def open_page(page: str | None) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90).run()
    if page and page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_demo_database_says_it_is_fictional(demo_db, monkeypatch, page):
    monkeypatch.setenv("PERFBOARD_DB", str(demo_db))
    at = open_page(page)
    found = banners(at)
    assert len(found) == 1, [w.value for w in at.warning]
    assert "40 个虚构单位 × 5 年（2020–2024 年）" in found[0] and "200 份示例报告" in found[0]


def test_the_demo_has_two_years_per_unit_so_changes_show(demo_db, monkeypatch):
    import duckdb
    con = duckdb.connect(str(demo_db), read_only=True)
    years = con.execute("SELECT min(n), max(n) FROM (SELECT count(DISTINCT year) AS n FROM v_reports "
                        "GROUP BY department_key)").fetchall()
    prior = con.execute("SELECT count(*) FROM dashboard_metrics WHERE prior_value IS NOT NULL").fetchall()
    names = con.execute("SELECT count(*) FROM v_reports WHERE department NOT LIKE '示例%'").fetchall()
    con.close()
    assert years == [(5, 5)] and prior[0][0] > 100 and names == [(0,)]


def test_the_real_database_shows_no_banner(seed_db, monkeypatch):
    monkeypatch.setenv("PERFBOARD_DB", str(seed_db))
    for page in ("overview.py", "data.py"):
        assert banners(open_page(page)) == []


def test_a_demo_build_never_overwrites_a_real_database(seed_db, tmp_path):
    real = tmp_path / "real.duckdb"
    shutil.copyfile(seed_db, real)
    before = real.read_bytes()
    run = subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "2", "--years", "1",
                          "--demo-db", str(real)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "not a demo one" in run.stderr and "真实数据库" in run.stderr
    assert real.read_bytes() == before


@needs_make
def test_make_run_stays_on_the_real_reports_and_the_demo_file_is_ignored():
    serve = [c for c in make_dry_run("run") if "streamlit run app/streamlit_app.py" in c]
    assert serve and "PERFBOARD_DB" not in serve[0] and "demo" not in serve[0]
    ignored = subprocess.run(["git", "check-ignore", "-q", "data/demo.duckdb"], cwd=ROOT)
    assert ignored.returncode == 0


@pytest.mark.skipif(shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists(),
                    reason="no Chromium on this machine")
def test_a_brief_of_the_demo_database_says_it_is_fictional(demo_db, tmp_path):
    from pptx import Presentation
    out = tmp_path / "demo.pptx"
    run = subprocess.run([sys.executable, "-m", "perfboard", "brief", "--out", str(out), "--db", str(demo_db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    slides = list(Presentation(str(out)).slides)
    assert "示例数据，虚构" in slides[0].placeholders[1].text
    assert slides[1].shapes.title.text == "预算执行率 · 2024 年"
    for slide in slides:
        footer = max((s for s in slide.shapes if s.has_text_frame), key=lambda s: s.top)
        assert footer.text_frame.text.startswith("示例数据，虚构 ｜ ")
