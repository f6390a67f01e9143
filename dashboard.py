"""信访绩效看板 — the frame of the dashboard: page config, navigation, the shared sidebar
filters. No SQL here; every page is a thin file in pages/ (listed in perfboard/ui/frame.py).

    PERFBOARD_DB=data/evaluations.duckdb streamlit run dashboard.py
"""
import streamlit as st

from perfboard import demo
from perfboard.ui import auth, data, exports, filters, frame

st.set_page_config(page_title="信访绩效看板", page_icon=":material/analytics:", layout="wide")
page = st.navigation(frame.pages(), position="sidebar", expanded=True)
frame.mark_run()
data.start_run()
exports.start_run()

if not data.database_exists():
    st.title("信访绩效看板")
    st.info(f"还没有数据库（{data.database_path()}）。请先导入报告：`python -m perfboard ingest data/reports`，"
            "或设置环境变量 PERFBOARD_DB 指向已有的数据库。")
    st.stop()

if (demo_note := data.run("db.demo")).height:  # `make demo`'s fictional database: said on every page
    st.warning(demo.banner(demo_note.item(0, 0)), icon=":material/science:")
auth.login_box()
filters.sidebar()
page.run()
