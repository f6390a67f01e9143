"""The pages of the dashboard, and the guard every page starts with.

dashboard.py registers the pages with st.navigation, each with an explicit url_path.
Streamlit still has its older multipage mode for apps with a `pages/` folder beside the
entry file: until some run has called st.navigation, the server runs a requested page
file on its own. So a cold deep link (the first request after a restart is /budget)
would run pages/budget.py without dashboard.py — no page config, no sidebar filters,
and the sidebar listing file names. `ensure()` catches that: it registers the real
navigation (which switches the old mode off for the process) and reruns, and the
rerun goes through dashboard.py to the same page."""
from __future__ import annotations

import streamlit as st

# file, title, icon, url_path; the first is where the root URL leads
PAGES = (
    ("pages/overview.py", "总览", ":material/dashboard:", "overview"),
    ("pages/budget.py", "预算执行", ":material/account_balance:", "budget"),
    ("pages/petitions.py", "信访量", ":material/mail:", "petitions"),
    ("pages/satisfaction.py", "满意度", ":material/sentiment_satisfied:", "satisfaction"),
    ("pages/scores.py", "绩效得分", ":material/grade:", "scores"),
    ("pages/department.py", "单位画像", ":material/apartment:", "department"),
    ("pages/compare.py", "对比", ":material/compare_arrows:", "compare"),
    ("pages/data.py", "数据与来源", ":material/table_view:", "data"),
    ("pages/review.py", "上传与校对", ":material/fact_check:", "review"),
)
_MARK = "_perfboard_frame_ran"


def pages() -> list:
    """Our pages, each at its own URL (/overview, /budget …). The root URL is a hidden
    default page that forwards to /overview with the same query string, so that 总览 too
    has a URL of its own (the default page of st.navigation is always served at /)."""
    listed = [st.Page(path, title=title, icon=icon, url_path=url) for path, title, icon, url in PAGES]
    home = st.Page(lambda: _forward(listed[0]), title=PAGES[0][1], url_path="home", default=True,
                   visibility="hidden")
    return [home, *listed]


def _forward(page) -> None:
    st.switch_page(page, query_params={k: st.query_params.get_all(k) for k in st.query_params})


def mark_run() -> None:
    """dashboard.py: this run goes through the frame."""
    st.session_state[_MARK] = True


def ensure() -> None:
    """First line of every page: reruns through dashboard.py when the page was run alone."""
    if st.session_state.pop(_MARK, False):
        return
    st.navigation(pages(), position="hidden")
    st.rerun()
