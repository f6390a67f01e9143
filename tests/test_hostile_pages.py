"""Issue 16, Markdown injection on every page (the fast AppTest half; Chromium's is
tests/test_browser_hostile.py): with the hostile corpus stored (tests/hostile.py), every
page of the router, and 上传与校对 for an analyst, hands Streamlit's Markdown only the
escaped string, and plotly only escaped tags. Each page must show the corpus somewhere, so
a page that quietly drops it cannot pass."""
from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest
from google.protobuf.message import Message

import dashboard as router
from hostile import DEPARTMENT, HOSTILE, items
from perfboard import auth, load, markdown_safe

PASSWORD = "correct horse battery"
MARKER = "点此登录"
# what the hostile string is as Markdown when it is not escaped
LIVE = ["**b**", f"[{MARKER}](", "![t](", "$$", "<img", "<a", "</a>", "https:evil", "evil.example", '=HYPERLINK("']
# fields Streamlit renders as Markdown (bodies, labels, help texts, tab and expander labels);
# options, values and placeholders of widgets are plain text there
MARKDOWN_FIELDS = {"body", "label", "help", "labels", "title", "caption", "delta_description"}
# tags our charts write themselves; any other in a figure came from a report
OUR_TAGS = {"b", "br", "i", "extra"}
TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)")


@pytest.fixture(scope="module")
def hostile_db(seed_db, tmp_path_factory):
    db_file = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copyfile(seed_db, db_file)
    outcomes = load.ingest_items(items(), db_file, keep_failed=True)
    assert [o.status for o in outcomes] == ["stored", "stored", "failed"], [o.line() for o in outcomes]
    return db_file


@pytest.fixture
def hostile(hostile_db, monkeypatch):
    monkeypatch.setenv("PERFBOARD_DB", str(hostile_db))
    return hostile_db


def _strings(message: Message, field: str = ""):
    for descriptor, value in message.ListFields():
        values = value if isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v, descriptor.name)
            elif isinstance(v, str):
                yield descriptor.name, v


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def check(at) -> int:
    """Asserts every Markdown field and every figure of the run keeps the corpus inert;
    returns how many places show it."""
    assert not at.exception, [e.value for e in at.exception]
    shown = 0
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        for field, value in _strings(proto):
            if field == "spec":  # a plotly figure: its JSON
                for text in _figure_strings(json.loads(value)):
                    tags = {t.lower() for t in TAG.findall(text)} - OUR_TAGS
                    assert not tags, (tags, text[:300])
                    shown += MARKER in text
            elif field in MARKDOWN_FIELDS and (MARKER in value or "evil" in value):
                live = [s for s in LIVE if s in _unescaped(value)]
                assert not live, (type(node).__name__, field, live, value[:300])
                # and it reads as typed (a source sentence may hold only the corpus's tail: the
                # extractor's sentence starts after its "!")
                assert MARKER in markdown_safe.unescape(value) or "(https:evil.example)" in markdown_safe.unescape(value)
                shown += 1
    for frame in at.dataframe:  # the grid draws text, never Markdown: only counted
        shown += MARKER in frame.value.to_csv()
    return shown


def _unescaped(markdown: str) -> str:
    """`markdown` with every backslash-escaped sign blanked: what is left can be Markdown."""
    return re.sub(r"\\.", "\x00", markdown, flags=re.S)


def _figure_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _figure_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _figure_strings(v)


VIEWS = [(script[:-3], {}) for script, *_ in router.PAGES if script != "review.py"] + [
    ("overview", {"dept": DEPARTMENT}),
    ("department", {"unit": DEPARTMENT}),
    ("compare", {"units": [DEPARTMENT, "广州市天河区信访局"]}),
]


@pytest.mark.parametrize("page,query", VIEWS, ids=[f"{p}{'-' + next(iter(q)) if q else ''}" for p, q in VIEWS])
def test_every_page_keeps_the_hostile_corpus_as_text(hostile, dashboard, page, query):
    at = dashboard(page, **query)
    assert check(at) > 0, f"the corpus is not shown on {page}"


def test_the_review_page_keeps_it_as_text_for_an_analyst(hostile, dashboard):
    at = dashboard("review", secrets={"auth": {"users": {"analyst": auth.hash_password(PASSWORD)}}})
    at.sidebar.text_input(key="login_user").input("analyst")
    at.sidebar.text_input(key="login_password").input(PASSWORD)
    at.button(key="login").click().run()
    con = duckdb.connect(str(hostile), read_only=True)
    try:
        ids = [r for (r,) in con.execute("SELECT report_id FROM v_reports WHERE source_file LIKE ? ORDER BY year",
                                         [f"%{MARKER}%"]).fetchall()]
    finally:
        con.close()
    assert len(ids) == 4  # the report and the records file's three rows
    for report_id in ids:
        at.selectbox(key="review_select").select(report_id).run()
        assert check(at) > 0
        heading = [m.value for m in at.markdown if m.value.startswith("**原文**")]
        assert heading and markdown_safe.unescape(heading[0]).endswith(f"（{HOSTILE}.{'txt' if report_id == ids[0] else 'csv'}）")
    # the unreadable upload with a hostile name, in 待处理
    assert any(MARKER in e.proto.label for e in at.expander) or any(MARKER in f.value.to_csv() for f in at.dataframe)
