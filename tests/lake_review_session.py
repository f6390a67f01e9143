"""An analyst's session on the 上传与校对 page of a dashboard that serves a DuckLake lake, through
AppTest (the app's own router, pages and write path: perfboard.ui.review → perfboard.writes →
db.writing → the lake). Run by tests/test_lake_writes.py in .venv-lake (the lake needs DuckDB
1.5.5), with PERFBOARD_LAKE and PERFBOARD_LAKE_DATA set:

    python tests/lake_review_session.py UPLOAD.txt PASSWORD_HASH

It logs in, uploads UPLOAD.txt and an empty file, corrects the new report's score.total to 95.5,
makes a second correction and undoes it, accepts the report, adds an alias, and prints one JSON line of what
the page showed (import results, the report's status line, exceptions, the report id)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

PASSWORD = "correct horse battery"


def _submit(at: AppTest, label: str) -> None:
    [button] = [b for b in at.button if b.label == label and (b.key or "").startswith("FormSubmitter:")]
    button.click()
    at.run()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


def main(upload: Path, password_hash: str) -> dict:
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=180)
    at.secrets["auth"] = {"users": {"analyst": password_hash}}
    at.run()
    at.switch_page("../pages/review.py").run()
    seen: dict = {"opened": _errors(at)}
    at.sidebar.text_input(key="login_user").input("analyst")
    at.sidebar.text_input(key="login_password").input(PASSWORD)
    at.button(key="login").click().run()
    at.get("file_uploader")[0].set_value([(upload.name, upload.read_bytes(), "text/plain"),
                                          ("空文件.txt", b"", "text/plain")])
    at.run()
    at.button(key="import").click().run()
    [results] = [d.value for d in at.dataframe if "结果" in d.value.columns]
    seen["import"] = [list(results["结果"]), list(results["说明"])]
    seen["import_errors"] = _errors(at)
    report_id = at.selectbox(key="review_select").value
    seen["report_id"] = report_id
    at.selectbox(key="fix_metric").select("score.total")
    at.text_input(key="fix_value").input("95.5")
    at.text_input(key="fix_reason").input("附件评分表为 95.5 分")
    _submit(at, "保存修改")
    seen["correct_errors"] = _errors(at)
    # a second correction, then undone: the first one stands
    at.selectbox(key="fix_metric").select("score.total")
    at.text_input(key="fix_value").input("90")
    at.text_input(key="fix_reason").input("误填，稍后撤销")
    _submit(at, "保存修改")
    [undo] = [b for b in at.button if b.key == "undo_2"]
    undo.click().run()
    seen["undo_errors"] = _errors(at)
    seen["log"] = [t.value for t in at.text if t.value.startswith("#")]
    at.button(key="accept").click().run()
    seen["status"] = [c.value for c in at.caption if c.value.startswith("状态：")]
    at.text_input(key="alias_name").input("盐田信访")
    at.text_input(key="alias_key").input("深圳市盐田区信访局")
    _submit(at, "保存别名")
    seen["alias_errors"] = _errors(at)
    seen["aliases"] = [list(d.value.iloc[:, 0]) for d in at.dataframe if "别名（报告中的名称）" in d.value.columns]
    return seen


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2]), ensure_ascii=False, default=str))
