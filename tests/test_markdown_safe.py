"""Issue 16, Markdown injection: the one escaping helper every report, file or records
string goes through before Streamlit's Markdown (perfboard.markdown_safe)."""
from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfboard import markdown_safe as md

HOSTILE = [
    "**b** [点此登录](https:evil.example) ![t](https:evil.example) $$x^2$$.txt",
    "<img src=x onerror=alert(1)> <a href='https://evil.example'>登录</a> &lt;b&gt;",
    "$x$ 与 $$\\frac{1}{2}$$ 和 \\(x\\)",
    "https://evil.example/登录 www.evil.example admin@evil.example",
    ":red[红字] :material/lock: :smile: `code` ~~删~~ _斜_",
    "# 标题\n- 列表\n1. 编号\n> 引用\n    缩进代码\n| a | b |\n|---|---|",
    "[x][ref]\n\n[ref]: https://evil.example",
    "<https://evil.example> \\[already\\] \\\\",
]


def unescaped_signs(markdown: str) -> list[str]:
    """Markdown signs not preceded by an escaping backslash (a backslash escaped by
    another counts as text)."""
    out, i = [], 0
    while i < len(markdown):
        c = markdown[i]
        if c == "\\" and i + 1 < len(markdown):
            i += 2
            continue
        if c in string.punctuation:
            out.append(c)
        i += 1
    return out


@pytest.mark.parametrize("value", HOSTILE)
def test_every_sign_is_escaped_and_the_text_reads_as_itself(value):
    assert unescaped_signs(md.label(value)) == []
    assert unescaped_signs(md.text(value)) == []
    assert md.unescape(md.label(value)) == " ".join(value.split())
    assert md.unescape(md.text(value)) == "\n".join(line.lstrip(" \t") for line in value.split("\n"))


def test_labels_are_one_line_and_bodies_keep_their_line_breaks():
    assert "\n" not in md.label("第一行\n第二行\r\n第三行")
    assert md.text("第一行\n第二行") == "第一行  \n第二行"
    assert md.text("    四个空格") == "四个空格"  # not an indented code block
    assert md.label(None) == md.text(None) == ""
    assert md.label(95.5) == "95\\.5"


def test_plain_chinese_is_left_alone():
    assert md.label("昆明市盘龙区信访局 信访满意率") == "昆明市盘龙区信访局 信访满意率"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(string.punctuation + " \n\tab信访$:/.@"), max_size=60))
def test_nothing_escapes_the_helper(value):
    assert unescaped_signs(md.label(value)) == []
    assert unescaped_signs(md.text(value)) == []
    assert md.unescape(md.label(value)) == " ".join(value.split())
