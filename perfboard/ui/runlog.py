"""The server's own timing of its script runs, for the load test (tests/test_load.py, issue 15):
what a page costs the server, apart from how fast the clients draw it. Off unless
PERFBOARD_RUN_LOG names a file; then each script run appends one tab-separated line:
end time (Unix seconds), the run's wall seconds, its thread's CPU seconds, the page's URL
path, and how it ended (ok, rerun: cut short by a newer request or a page switch, stop:
st.stop, error: an exception). One short append per run (a lock, no fsync).

Also each full garbage collection (generation 2) as a line ending in `gc`: Streamlit runs one
after every script run by default (runner.postScriptGC), outside the script, holding the
interpreter lock for every session; the load test found it was most of a small page's server
time, so .streamlit/config.toml turns it off (BENCHMARKS.md, 2026-12-02 00:45) and the lines
left are Python's own collections."""
from __future__ import annotations

import contextlib
import gc
import os
import threading
import time

from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

PATH = os.environ.get("PERFBOARD_RUN_LOG")
_lock = threading.Lock()
_page = threading.local()  # each session's script runs on its own thread


def _write(line: str) -> None:
    with _lock, open(PATH, "a", encoding="utf-8") as f:
        f.write(line)


_gc_started: list[tuple[float, float]] = []


def _on_gc(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_started[:] = [(time.perf_counter(), time.thread_time())]
    elif _gc_started:
        (wall, cpu), = _gc_started
        _write(f"{time.time():.3f}\t{time.perf_counter() - wall:.4f}\t{time.thread_time() - cpu:.4f}\t-\tgc\n")


def page(url_path: str) -> None:
    """Names the page this run draws (dashboard.main, once st.navigation chose it)."""
    _page.name = url_path or "/"


@contextlib.contextmanager
def timed():
    """Around one script run (app/streamlit_app.py)."""
    if not PATH:
        yield
        return
    if _on_gc not in gc.callbacks:  # the server process only (its spawned workers never run a script)
        gc.callbacks.append(_on_gc)
    _page.name = "-"  # a run that ends before st.navigation chose its page
    wall, cpu, ended = time.perf_counter(), time.thread_time(), "ok"
    try:
        yield
    except RerunException:
        ended = "rerun"
        raise
    except StopException:
        ended = "stop"
        raise
    except BaseException:
        ended = "error"
        raise
    finally:
        _write(f"{time.time():.3f}\t{time.perf_counter() - wall:.4f}\t{time.thread_time() - cpu:.4f}\t"
               f"{_page.name}\t{ended}\n")
