"""信访绩效看板 — the dashboard's one router: page config, the page list, the shared
sidebar filters. No SQL here; every page is a thin script in pages/.

Streamlit runs app/streamlit_app.py, which calls main() here:

    PERFBOARD_DB=data/evaluations.duckdb streamlit run app/streamlit_app.py

Why not `streamlit run dashboard.py`: Streamlit 1.x switches on its older file-based
multipage mode for any entry file with a folder named `pages` beside it (whatever the
folder holds). While that mode is on (the first script run of every server process, and
every AppTest run) Streamlit runs a requested pages/*.py on its own, without this router,
or answers a deep link with "Page not found". app/ has no pages/ folder, so that mode never
starts there and every run of every page goes through main() and its st.navigation."""
from pathlib import Path

import streamlit as st

from perfboard import demo, maintenance
from perfboard.present.format import freshness
from perfboard.ui import auth, data, exports, filters, layout, mapview, runlog

ROOT = Path(__file__).resolve().parent

# script in pages/, title, icon, url_path; the first is where the root URL leads
PAGES = (
    ("overview.py", "总览", ":material/dashboard:", "overview"),
    ("budget.py", "预算执行", ":material/account_balance:", "budget"),
    ("petitions.py", "信访量", ":material/mail:", "petitions"),
    ("satisfaction.py", "满意度", ":material/sentiment_satisfied:", "satisfaction"),
    ("scores.py", "绩效得分", ":material/grade:", "scores"),
    ("department.py", "单位画像", ":material/apartment:", "department"),
    ("compare.py", "对比", ":material/compare_arrows:", "compare"),
    ("data.py", "数据与来源", ":material/table_view:", "data"),
    ("review.py", "上传与校对", ":material/fact_check:", "review"),
)


def _forward(page) -> None:
    st.switch_page(page, query_params={k: st.query_params.get_all(k) for k in st.query_params})


def _pages() -> list:
    """Our pages, each at its own URL (/overview, /budget …). The root URL is a hidden
    default page that forwards to /overview with the same query string, so that 总览 too
    has a URL of its own (the default page of st.navigation is always served at /)."""
    listed = [st.Page(ROOT / "pages" / script, title=title, icon=icon, url_path=url)
              for script, title, icon, url in PAGES]
    home = st.Page(lambda: _forward(listed[0]), title=PAGES[0][1], url_path="home", default=True,
                   visibility="hidden")
    return [home, *listed]


def main() -> None:
    """One script run: the frame, then the page the URL names."""
    st.set_page_config(page_title="信访绩效看板", page_icon=":material/analytics:", layout="wide")
    page = st.navigation(_pages(), position="sidebar", expanded=True)
    runlog.page(page.url_path)
    data.start_run()
    exports.start_run()
    mapview.warm_in_background()  # once per process: the boundaries load while the first page draws

    if not data.database_exists():
        st.title("信访绩效看板")
        st.info(f"还没有数据库（{data.database_path()}）。请先导入报告：`python -m perfboard ingest data/reports`，"
                "或设置环境变量 PERFBOARD_DB 指向已有的数据库。")
        st.stop()
    if (reason := data.outdated()) is not None:
        st.title("信访绩效看板")
        st.warning(reason, icon=":material/update:")
        st.stop()
    maintenance.serve(data.database_path())  # once per process: merged into one file while nobody writes

    if (demo_note := data.run("db.demo")).height:  # `make demo`'s fictional database: said on every page
        st.warning(demo.banner(demo_note.item(0, 0)), icon=":material/science:")
    # how fresh the data is, on every page: an old database is not read as today's
    st.caption(freshness(**data.run("data.freshness").row(0, named=True)))
    auth.login_box()
    filters.sidebar()
    layout.frame()
    page.run()


if __name__ == "__main__":  # `streamlit run dashboard.py` still works, minus cold deep links (see above)
    main()
