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
_AFTER_BREAK_SPACE = re.compile(r"(?<=\n)[ \t]+")
# 94.01% · -7.29% · 1,234.50 · 95.50 分（※推算）: a number, then only non-ASCII text
_NUMBER = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?%?")
_ASCII_SIGN = re.compile(r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~\n\r]""")


def text(value: object) -> str:
    """`value` as Markdown that shows exactly it: line breaks kept (as hard breaks),
    leading indentation dropped (four spaces would start a code block)."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = _LINE_START_SPACE.sub("", s)
    return _PUNCTUATION.sub(r"\\\1", s).replace("\n", "  \n")


def fragment(value: object) -> str:
    """A piece of a longer Markdown text (the source text between two highlighted
    values): like `text`, but white space at its very start is kept, since it continues
    the line before it."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = _AFTER_BREAK_SPACE.sub("", s)
    return _PUNCTUATION.sub(r"\\\1", s).replace("\n", "  \n")


def label(value: object) -> str:
    """`value` for a one-line place (a label, caption, metric label, help text, heading):
    white space, line breaks included, becomes single spaces."""
    if value is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", str(value)).strip())


def cell(value: object) -> str:
    """`value` for a cell of a Markdown table: as `label` (a `|` escaped cannot end the
    cell), except that a number with only Chinese after it (94.01%, -7.29%, 1,234.50
    万元, 99.80%（※推算）) is left as it is: it is inert, and a leaderboard has hundreds."""
    if value is None:
        return ""
    s = str(value)
    number = _NUMBER.match(s)
    if number and not _ASCII_SIGN.search(s, number.end()):
        return s
    return label(s)


def unescape(markdown: str) -> str:
    """What `text` and `label` escaped, as read (for tests and for comparing with the source)."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))
