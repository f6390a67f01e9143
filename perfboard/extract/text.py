"""Small helpers over the normalised text that every rule uses."""
from __future__ import annotations

import re

from perfboard.numbers import NUMBER

SENTENCE_END = "。;!?\n"
CLAUSE_END = SENTENCE_END + ",、"
AMOUNT = rf"(?P<num>{NUMBER})\s*(?P<unit>亿元|万元|元)?"
PERCENT = rf"(?P<num>{NUMBER})\s*%"
CJK = "\u4e00-\u9fff"


def sentence(text: str, start: int, end: int | None = None, stops: str = SENTENCE_END) -> tuple[int, int]:
    """Bounds of the sentence (or clause, with other `stops`) around a span."""
    end = start if end is None else end
    left = max((text.rfind(c, 0, start) for c in stops), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i != -1]
    right = min(rights) if rights else len(text)
    return left, right


def snippet(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence a value came from, trimmed to `limit` characters around it."""
    left, right = sentence(text, start, end)
    if right - left > limit:
        pad = max(0, (limit - (end - start)) // 2)
        left, right = max(left, start - pad), min(right, end + pad)
    return re.sub(r"\s+", " ", text[left:right]).strip()


def squash(s: str) -> str:
    """Drop all whitespace and table pipes (cells broken over lines join up again)."""
    return re.sub(r"[\s|]+", "", s)


def header(text: str, max_lines: int = 6, max_chars: int = 400) -> tuple[str, int]:
    """The title block: the first non-empty lines before the first numbered section."""
    lines, pos = [], 0
    for line in text[:max_chars].splitlines(keepends=True):
        if re.match(r"\s*[一二三四五六七八九十]+、", line):
            break
        if line.strip():
            lines.append(line)
        pos += len(line)
        if len(lines) >= max_lines:
            break
    return "".join(lines), pos


_JOINABLE = rf"[{CJK},、“”()%:]"


def flow(text: str) -> tuple[str, list[int]]:
    """The text with line wraps inside sentences removed (执\\n\\n行数为 → 执行数为), for
    rules that read prose; returns it with, per character, its offset in `text`.
    Table rules read `text` itself, where line layout carries meaning."""
    out: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in re.finditer(r"[ \t]*\n\s*", text):
        left = text[m.start() - 1] if m.start() else ""
        right = text[m.end()] if m.end() < len(text) else ""
        left_cjk, right_cjk = bool(re.match(f"[{CJK}]", left or " ")), bool(re.match(f"[{CJK}]", right or " "))
        join = (re.match(_JOINABLE, left or " ") and re.match(_JOINABLE, right or " ")) or \
               (left_cjk and right.isdigit()) or (left.isdigit() and right_cjk)
        keep_to = m.start() if join else m.end()
        out.append(text[last:keep_to])
        offsets.extend(range(last, keep_to))
        last = m.end()
    out.append(text[last:])
    offsets.extend(range(last, len(text)))
    return "".join(out), offsets
