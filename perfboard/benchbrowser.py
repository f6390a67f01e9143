"""Time to first chart in a real browser, for 总览 and for a bare one-chart Streamlit
page served the same way (the framework's floor), plus the server's peak memory."""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_PAGE = '''
import plotly.graph_objects as go
import streamlit as st
st.title("bare")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
'''
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_to_chart(targets: list[tuple[int, str]], runs: int = 9) -> list[list[float]]:
    """Seconds from navigation to the first drawn plotly chart, per target (port, path),
    each in a fresh browser context. The targets take turns, so that a slower spell of a
    shared machine falls on all of them alike."""
    from playwright.sync_api import sync_playwright
    times: list[list[float]] = [[] for _ in targets]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            for k, (port, path) in enumerate(targets):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                times[k].append(time.perf_counter() - t)
                context.close()
        browser.close()
    return times


def first_chart(db_file: Path) -> list[str]:
    rows = ["### Time to first chart (headless Chromium, cold browser context each run, 总览 and the bare "
            "page taking turns)", "", f"Database: {_describe(db_file)}", ""]
    if not Path("/usr/bin/chromium").exists():
        return rows + ["skipped: no /usr/bin/chromium", ""]
    env = {**os.environ, "PERFBOARD_DB": str(db_file)}
    bare_file = Path(os.environ.get("TMPDIR", "/tmp")) / "perfboard_bare_page.py"
    bare_file.write_text(BARE_PAGE, encoding="utf-8")
    load_before = os.getloadavg()[0]
    app, app_port = start("app/streamlit_app.py", env)
    bare, bare_port = start(str(bare_file), env)
    try:
        # warm the servers once, as a running service is (query caches, the browser's first start)
        time_to_chart([(app_port, "overview"), (bare_port, "")], runs=1)
        app_times, bare_times = time_to_chart([(app_port, "overview"), (bare_port, "")])  # 总览's own URL
        rss = peak_rss_mib(app.pid)
        load_after = os.getloadavg()[0]
    finally:
        app.kill()
        bare.kill()
    a, b = statistics.median(app_times), statistics.median(bare_times)
    return rows + ["| page | median s | runs | target |", "|---|---|---|---|",
                   f"| 总览 | {a:.2f} | {len(app_times)} | ≤ 1.5 × bare |",
                   f"| bare one-chart page | {b:.2f} | {len(bare_times)} | — |",
                   f"| ratio | {a / b:.2f} | | ≤ 1.5 |", "",
                   f"Machine load (1-min average) {load_before:.1f} before, {load_after:.1f} after "
                   f"({os.cpu_count()} cores; other work on the machine slows both pages alike).", "",
                   f"Dashboard server peak RSS (VmHWM) after these visits: {rss:.0f} MiB (target ≤ 1024 MiB)", ""]


def _describe(db_file: Path) -> str:
    """Which database was measured: its file name and what the freshness line says of it."""
    from perfboard import db, queries
    con = db.connect_read(db_file)
    try:
        fresh = queries.run(con, "data.freshness").row(0, named=True)
    finally:
        con.close()
    years = fresh["years"] or []
    span = f"{years[0]}–{years[-1]}" if years else "no year"
    return f"{db_file.name}: {fresh['units']:,} units, {fresh['reports']:,} reports, {span}"
