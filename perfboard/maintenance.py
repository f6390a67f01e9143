"""The dashboard's server keeps the databases it serves one file while nobody writes: a thread, once per
process, looks every minute (or every `idle` seconds, if shorter) and merges a database's changes file
once it has gone `idle` seconds without a write (db.merge_now). Readers of the bulk file with its changes
file pay for their union in every query (the dashboard's queries at 30,000 reports ~30-45 % more,
BENCHMARKS.md 2026-12-03), and an office that never sets up cron for `perfboard maintain --idle` should
not pay that for good. PERFBOARD_MAINTAIN_IDLE: the idle time in seconds (default 600); 0 turns it off.
Nothing on a lake (its upkeep is `python -m perfboard.lake maintain`)."""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from perfboard import db

log = logging.getLogger(__name__)

IDLE = 600.0  # seconds without a write before a merge: an analyst correcting one report after another never waits on it
_paths: set[Path] = set()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def idle_seconds() -> float:
    return float(os.environ.get("PERFBOARD_MAINTAIN_IDLE") or IDLE)


def tick(paths=None) -> list[Path]:
    """One look at `paths` (default: every database this process serves): merges those whose changes
    file has gone idle_seconds() unwritten; returns them. Never raises: a merge that fails changes
    nothing, and the next look tries again."""
    idle = idle_seconds()
    if idle <= 0:
        return []
    if paths is None:
        with _lock:
            paths = sorted(_paths)
    merged = []
    for path in map(Path, paths):
        try:
            if db.merge_now(path, idle=idle):
                merged.append(path)
        except FileNotFoundError:  # removed (a test's folder) or not created yet: nothing to keep
            continue
        except Exception as err:  # noqa: BLE001  (a full disk, a merge out of memory: said, tried again later)
            log.warning("perfboard: the idle merge of %s did not run: %s", path, err)
    return merged


def serve(path: str | os.PathLike) -> None:
    """Called on every script run: keeps `path` one file while nobody writes (starts the thread once)."""
    global _thread
    if idle_seconds() <= 0 or db.on_lake():
        return
    with _lock:
        _paths.add(Path(path))
        if _thread is not None:
            return
        _thread = threading.Thread(target=_loop, name="perfboard-maintain", daemon=True)
    _thread.start()


def _loop() -> None:
    while True:
        idle = idle_seconds()
        time.sleep(min(60.0, idle) if idle > 0 else 60.0)
        tick()
