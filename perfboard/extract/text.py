"""Small helpers over the normalised text that every rule uses."""
from __future__ import annotations

import re
import unicodedata

from perfboard.numbers import NUMBER

SENTENCE_END = "。;!?\n"
CLAUSE_END = SENTENCE_END + ",、"
AMOUNT = rf"(?P<num>{NUMBER})\s*(?P<unit>亿元|万元|元)?"
PERCENT = rf"(?P<num>{NUMBER})\s*%"
CJK = "\u4e00-\u9fff"
SENTENCE_WINDOW = 500


def sentence(text: str, start: int, end: int | None = None, stops: str = SENTENCE_END) -> tuple[int, int]:
    """Bounds of the sentence (or clause, with other `stops`) around a span, at most
    SENTENCE_WINDOW characters either side of it."""
    end = start if end is None else end
    # bounded: a "sentence" longer than the window is a run of table cells, and an unbounded
    # search per figure would make long texts without stops quadratic
    lo, hi = max(0, start - SENTENCE_WINDOW), min(len(text), end + SENTENCE_WINDOW)
    left = max((text.rfind(c, lo, start) for c in stops), default=-1)
    left = lo if left == -1 else left + 1
    rights = [i for i in (text.find(c, end, hi) for c in stops) if i != -1]
    right = min(rights) if rights else hi
    return left, right


def snippet(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence a value came from, trimmed to `limit` characters around it."""
    left, right = sentence(text, start, end)
    if right - left > limit:
        pad = max(0, (limit - (end - start)) // 2)
        left, right = max(left, start - pad), min(right, end + pad)
    return _SPACES.sub(" ", text[left:right]).strip()


_SPACES = re.compile(r"\s+")


def squash(s: str) -> str:
    """Drop all whitespace and table pipes (cells broken over lines join up again)."""
    return re.sub(r"[\s|]+", "", s)


def header(text: str, max_lines: int = 6, max_chars: int = 400) -> tuple[str, int]:
    """The title block: the first non-empty lines before the first numbered section."""
    lines, pos = [], 0
    for line in text[:max_chars].splitlines(keepends=True):
        if re.match(r"\s*[一二三四五六七八九十]+、", line):
            break
        if line.strip(" \t\r\n|"):  # a line of bare '|' is an empty table row, no title line
            lines.append(line)
        pos += len(line)
        if len(lines) >= max_lines:
            break
    return "".join(lines), pos


def header_offset(text: str, offset: int) -> int:
    """An offset in `header(text)` (which leaves blank lines out) as an offset in `text`."""
    head_pos = text_pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            if offset < head_pos + len(line):
                return text_pos + offset - head_pos
            head_pos += len(line)
        text_pos += len(line)
    return offset


_JOINABLE = rf"[{CJK},、“”()%:]"


def flow(text: str) -> tuple[str, list[int]]:
    """The text with line wraps inside sentences removed (执\\n\\n行数为 → 执行数为) and
    two-column passages read column by column, for rules that read prose; returns it with,
    per character, its offset in `text`. Table rules read `text` itself, where line layout
    carries meaning."""
    columns, column_map = _columns_apart(text)
    joined, joined_map = _join_wraps(columns)
    return joined, [column_map[i] for i in joined_map]


def _display_chunks(line: str) -> list[tuple[int, int, str]]:
    """(display column, character offset, text) of the pieces of a line that are separated
    by three or more spaces; one- or two-character pieces at the far left are vertical
    captions of a table (年/度/目/标) and are left out."""
    out = []
    col = done = 0  # the display column of line[:done], counted once along the line
    for m in _CHUNK.finditer(line):
        col += sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[done:m.start()])
        done = m.start()
        if col < 8 and len(m.group()) <= 2 and not out:
            continue
        out.append((col, m.start(), m.group()))
    return out


_CHUNK = re.compile(r"\S+(?: {1,2}\S+)*")


def _columns_apart(text: str) -> tuple[str, list[int]]:
    """Two columns of prose side by side (预期目标 | 实际完成情况) arrive interleaved line by
    line; rewrite each such block as its left column followed by its right column."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    split_at: list[int | None] = []
    for line in lines:
        chunks = _display_chunks(line)
        two = len(chunks) == 2 and all(_CJK_CHAR.search(c[2]) for c in chunks) and chunks[1][0] >= 16
        split_at.append(chunks[1][0] if two else None)
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and split_at[j] is not None and abs(split_at[j] - (split_at[i] or 0)) <= 3:
            j += 1
        if j - i >= 3:
            chunk_lists = [_display_chunks(lines[k]) for k in range(i, j)]
            for side in (0, 1):
                for k, chunks in zip(range(i, j), chunk_lists):
                    _, offset, piece = chunks[side]
                    out.append(piece + "\n")
                    offsets.extend(range(starts[k] + offset, starts[k] + offset + len(piece)))
                    offsets.append(starts[k] + offset + len(piece) - 1)
            i = j
            continue
        out.append(lines[i] + ("\n" if i < len(lines) - 1 else ""))
        offsets.extend(range(starts[i], starts[i] + len(lines[i]) + (1 if i < len(lines) - 1 else 0)))
        i += 1
    return "".join(out), offsets


# compiled once: _join_wraps asks them at every line break
_WRAP = re.compile(r"[ \t]*\n\s*")
_CJK_CHAR = re.compile(f"[{CJK}]")
_JOINABLE_CHAR = re.compile(_JOINABLE)


def _join_wraps(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    last = 0
    full = _full_width(text)
    for m in _WRAP.finditer(text):
        left = text[m.start() - 1] if m.start() else ""
        right = text[m.end()] if m.end() < len(text) else ""
        left_cjk, right_cjk = bool(_CJK_CHAR.match(left or " ")), bool(_CJK_CHAR.match(right or " "))
        join = (_JOINABLE_CHAR.match(left or " ") and _JOINABLE_CHAR.match(right or " ")) or \
               (left_cjk and right.isdigit()) or (left.isdigit() and right_cjk)
        if not join and full and (left.isdigit() or left in ".,") and right.isdigit() and m.group() == "\n":
            # a number broken by the page's line wrap (调整后预算90,118,4 / 52.31元): only where the
            # line above runs to the full width of the page's prose, so table cells stay apart
            line_start = text.rfind("\n", 0, m.start()) + 1
            line = text[line_start:m.start()]
            join = "|" not in line and _width(line) >= full and len(re.findall(f"[{CJK}]", line)) >= 8
        if join and ("|" in left + right or _row_of_cells(text, m.start(), m.end())):
            # a row of a '|'-separated table ends where its line ends: the next row is not the
            # rest of its last cell (…年初结转和结余 | 7.46 | 4.75 / 支出总计 | 297.64)
            join = False
        keep_to = m.start() if join else m.end()
        out.append(text[last:keep_to])
        offsets.extend(range(last, keep_to))
        last = m.end()
    out.append(text[last:])
    offsets.extend(range(last, len(text)))
    return "".join(out), offsets


def _row_of_cells(text: str, wrap_start: int, wrap_end: int) -> bool:
    """The line before or after a line break is a row of two or more '|'-separated cells."""
    before = text[text.rfind("\n", 0, wrap_start) + 1:wrap_start]
    after_end = text.find("\n", wrap_end)
    after = text[wrap_end:after_end if after_end >= 0 else len(text)]
    return before.count("|") >= 2 or after.count("|") >= 2


def _full_width(text: str) -> int | None:
    """The length of a line wrapped by the page (most wrapped lines are as long as the
    longest ones); None when lines are paragraphs (a text file: few lines share a length)."""
    lengths = sorted(_width(line) for line in text.split("\n") if len(line) >= 20)
    if len(lengths) < 8:
        return None
    top = lengths[int(len(lengths) * 0.9)]
    floor = int(top * 0.9)
    near = sum(1 for n in lengths if n >= floor)
    return floor if near >= len(lengths) // 4 else None


def _width(line: str) -> int:
    """Display width: a CJK character (or full-width sign) counts two, as it is printed."""
    return sum(2 if ord(c) > 0x2e80 else 1 for c in line)


_YEAR = re.compile(r"(20\d\d)\s*年")
_FORM_DATE = re.compile(r"(?:填报|填表|报告|报送|编制|打印)(?:日期|时间)\s*:?\s*20\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")


def other_year(text: str, pos: int, year: int | None) -> bool:
    """The sentence before `pos` is about another year than `year` (2023年同一项目安排资金…
    in a report on 2024): its figures are not this year's."""
    if year is None:
        return False
    left, _ = sentence(text, pos, stops="。;\n")
    # a year in brackets is an aside (含2023年转列…), not what the sentence is about; nor is
    # the date a form was filled in (填报日期:2020年2月18日 自评总分:69)
    before = _FORM_DATE.sub("", re.sub(r"\([^()]*\)", "", text[left:pos]))
    # …nor the day a form run together was signed in the next year (水利局2024年1月8日项目绩效目标自评表)
    before = re.sub(rf"{year + 1}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日", "", before)
    years = _YEAR.findall(before)
    return bool(years) and int(years[-1]) != year  # the year nearest before the figure
