"""Text from a report, a file name or a records file, made inert for Streamlit's Markdown.

Streamlit renders Markdown (CommonMark with GitHub's extensions, KaTeX maths, emoji and
colour directives) in st.markdown, st.caption, headers, tables, widget and metric labels
and help texts. A file named `[点此登录](https:evil.example) ![t](https:evil.example)
$$x^2$$.txt` would otherwise be a link, an image loaded from outside and a formula, in
front of anonymous viewers. Every string that did not come from our own code goes
through `text` (Markdown bodies) or `label` (one-line places) before it meets Markdown.

CommonMark lets any ASCII punctuation be escaped with a backslash and shows it as
itself, so every such character is escaped: links, images, emphasis, code, HTML and
entities, tables, headings and lists, KaTeX `$`, directives `:red[…]`, and GitHub's bare
autolinks (`https://…`, `www.…`, `a@b.cn`), which need an unescaped `:`, `.` or `@`. What
the viewer reads is the string itself."""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_SPACE = re.compile(r"\s+")
_LINE_START_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)


def text(value: object) -> str:
    """`value` as Markdown that shows exactly it: line breaks kept (as hard breaks),
    leading indentation dropped (four spaces would start a code block)."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = _LINE_START_SPACE.sub("", s)
    return _PUNCTUATION.sub(r"\\\1", s).replace("\n", "  \n")


def label(value: object) -> str:
    """`value` for a one-line place (a label, caption, metric label, help text, heading):
    white space, line breaks included, becomes single spaces."""
    if value is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", str(value)).strip())


def unescape(markdown: str) -> str:
    """What `text` and `label` escaped, as read (for tests and for comparing with the source)."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))
