"""A child process that ends with its parent. Kept apart from perfboard.load so that the
PDF and image readers' children, which import little, can arm it without importing the
whole loader (about a second each)."""
from __future__ import annotations

import os
import signal
import threading
import time


def die_with_parent(parent: int) -> None:
    """In a child (a pool worker, a reader's process): it ends when the process that
    started it dies (kill -9 of `ingest`, or of the dashboard during an upload, would
    otherwise leave the workers, and with them multiprocessing's resource tracker, or a
    reader running for minutes). Linux delivers SIGKILL on the parent's death
    (PR_SET_PDEATHSIG); elsewhere a thread checks the parent every second. (The signal
    follows the thread that started the child: the pool lives within one call of
    load._prepare_all, a reader's child within one subprocess.run, in that thread.)"""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)
        threading.Thread(target=watch, daemon=True, name="die-with-parent").start()
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)
