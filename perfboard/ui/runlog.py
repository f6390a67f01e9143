"""The server's own timing of its script runs, for the load test (tests/test_load.py, issue 15):
what a page costs the server, apart from how fast the clients draw it. Off unless
PERFBOARD_RUN_LOG names a file; then each script run appends one tab-separated line:
end time (Unix seconds), the run's wall seconds, its thread's CPU seconds, the page's URL
path, and how it ended (ok, rerun: cut short by a newer request or a page switch, stop:
st.stop, error: an exception). One short append per run (a lock, no fsync)."""
from __future__ import annotations

import contextlib
import os
import threading
import time

from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

PATH = os.environ.get("PERFBOARD_RUN_LOG")
_lock = threading.Lock()
_page = threading.local()  # each session's script runs on its own thread


def page(url_path: str) -> None:
    """Names the page this run draws (dashboard.main, once st.navigation chose it)."""
    _page.name = url_path or "/"


@contextlib.contextmanager
def timed():
    """Around one script run (app/streamlit_app.py)."""
    if not PATH:
        yield
        return
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
        line = (f"{time.time():.3f}\t{time.perf_counter() - wall:.4f}\t{time.thread_time() - cpu:.4f}\t"
                f"{_page.name}\t{ended}\n")
        with _lock, open(PATH, "a", encoding="utf-8") as f:
            f.write(line)
