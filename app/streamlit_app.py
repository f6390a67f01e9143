"""The file Streamlit runs (`make run`: `streamlit run app/streamlit_app.py`); the router
itself is dashboard.py at the top level. This file sits in app/ because Streamlit switches
on its older file-based multipage mode for an entry file with a `pages/` folder beside it
(see dashboard.py); no such folder is here."""
import sys
from pathlib import Path

# Streamlit puts this file's folder (app/) on sys.path; the project root comes first
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dashboard  # noqa: E402
from perfboard.ui import runlog  # noqa: E402

# Streamlit runs this file as __main__; a process pool's spawned worker imports it again as
# __mp_main__ and must not draw the dashboard
if __name__ == "__main__":
    with runlog.timed():  # the server's time per script run, when PERFBOARD_RUN_LOG is set (load test)
        dashboard.main()
