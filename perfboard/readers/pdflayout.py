"""A PDF page's text in reading order the way the extractor reads a text file (in the PDF
reader's child process): ruled tables as one line per row with cells joined by " | " (as
the DOCX reader writes them), wrapped paragraph lines joined again so that a label and its
value are on one line, and running headers and page numbers left out.

pdfplumber's plain extract_text gives each printed line as a line: a table row's cells
run together with single spaces ("年度资金总额 655.10 702.86 695.47"), a cell that wraps
puts half its label on the next line, and a paragraph breaks wherever the page was full
("年初预算" / "2,360.00万元"). The page's own ruling says where the cells are, and the
lines' widths say where a paragraph goes on."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

# Ruled tables only: "text" strategies invent tables out of any two aligned paragraphs.
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EDGE_ZONE = 0.1      # of the page height: where running headers and page numbers sit
SENTENCE_END = "。！？!?"
_PAGE_NUMBER = re.compile(
    r"^(第#+页(/?[,，]?共#+页)?|[-—–－]*#+[-—–－]*|#+/#+|(page)?#+(of#+)?|共#+页第#+页|#+页)$", re.I)


@dataclass
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    first_word: float = 0.0  # width of the line's first space-delimited run


@dataclass
class Table:
    top: float
    bottom: float
    rows: list[str]


@dataclass
class PageItems:
    width: float
    height: float
    items: list = field(default_factory=list)  # Line and Table, top to bottom
    raw: str | None = None  # the page's plain text, where its layout could not be read


def page_items(page) -> PageItems:
    """The page's text lines outside ruled tables and its tables' rows, top to bottom."""
    tables = [t for t in page.find_tables(TABLE_SETTINGS) if len(t.cells) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    out = PageItems(float(page.width), float(page.height))
    for ln in rest.extract_text_lines(return_chars=True, strip=True):
        text = ln["text"]
        if not text.strip():
            continue
        sizes = [c.get("size") or (c["bottom"] - c["top"]) for c in ln.get("chars", [])]
        size = statistics.median(sizes) if sizes else ln["bottom"] - ln["top"]
        out.items.append(Line(ln["top"], ln["bottom"], ln["x0"], ln["x1"], text, float(size),
                              _first_word(ln.get("chars", []), float(size)) or ln["x1"] - ln["x0"]))
    for table in tables:
        rows = table_rows(table)
        if rows:
            x0, top, x1, bottom = table.bbox
            out.items.append(Table(top, bottom, rows))
    out.items.sort(key=lambda it: it.top)
    return out


def _first_word(chars: list, size: float) -> float:
    """Width of the first run of characters up to a space (or a gap a space wide)."""
    x0 = end = None
    for c in chars:
        if x0 is None:
            if c["text"].isspace():
                continue
            x0 = c["x0"]
        elif c["text"].isspace() or c["x0"] - end > 0.25 * size:
            break
        end = c["x1"]
    return (end - x0) if x0 is not None and end is not None else 0.0


def table_rows(table) -> list[str]:
    """One line per row, cells joined by " | ". A cell merged over several rows repeats its
    text in each (so each row reads on its own, as the DOCX reader does); one merged over
    several columns appears once; trailing empty cells are dropped, rows with no text too."""
    texts = table.extract(x_tolerance=1.5)
    cells = table.cells
    rows = table.rows
    origin: dict[tuple, str] = {}  # cell bbox → its text
    for r, row in enumerate(rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                origin[tuple(bbox)] = _cell_text(texts[r][c])
    if rows and all(len(row.cells) == 1 for row in rows):
        # one column: a form flattened to a cell per line. Each cell ends in " |" as such a
        # flattening writes it, empty ones too, so that cells keep their places
        return [f"{origin.get(tuple(row.cells[0]), '')} |".lstrip() for row in rows if row.cells[0] is not None]
    lines = []
    for r, row in enumerate(rows):
        top = row.bbox[1]
        out: list[str] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(origin[tuple(bbox)])
                continue
            # no cell starts here: under a cell merged down from a row above, or inside one
            # merged across from the left (then it has been written already)
            col_x = _column_x(rows, c)
            if col_x is None:
                continue
            above = next((b for b in cells if b[1] < top - 0.5 and b[3] > top + 0.5
                          and b[0] <= col_x + 0.5 and b[2] > col_x + 0.5), None)
            if above is not None and abs(above[0] - col_x) < 0.5:
                out.append(origin.get(tuple(above), ""))
        while out and not out[-1]:
            out.pop()
        if any(out):
            lines.append(" | ".join(out))
    return lines


def _column_x(rows, c: int) -> float | None:
    for row in rows:
        if row.cells[c] is not None:
            return row.cells[c][0]
    return None


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for p in parts:
        out = join(out, p) if out else p
    return out


def join(left: str, right: str) -> str:
    """Two pieces of one wrapped line: Chinese and numbers run on without a space (the
    break fell between characters); Latin words keep one."""
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return left + " " + right
    return left + right


def compose(pages: list[PageItems]) -> list[str]:
    """Every page's text: running headers and page numbers dropped, wrapped lines joined."""
    _drop_running(pages)
    lines = [it for p in pages for it in p.items if isinstance(it, Line)]
    left, right = _text_column(lines, max((p.width for p in pages), default=0.0))
    # the usual gap between two lines of a paragraph, over the whole document: a page of
    # one-line paragraphs has only the wider gaps between them
    gaps = [b.top - a.bottom for p in pages for a, b in zip(p.items, p.items[1:])
            if isinstance(a, Line) and isinstance(b, Line) and b.top > a.bottom - 1]
    pitch = _usual_gap(gaps)
    outs: list[list[str]] = []
    for page in pages:
        if page.raw is not None:
            outs.append(page.raw.split("\n"))
            continue
        out: list[str] = []
        prev: Line | None = None
        last = None  # the item above, for the space between it and the next
        for it in page.items:
            if last is not None and pitch is not None and out and out[-1] and _spaced(last, it, pitch):
                out.append("")  # paragraph spacing reads as the blank line a text file has there
                prev = None
            if isinstance(it, Table):
                out.extend(it.rows)
                prev = None
            elif prev is not None and pitch is not None and (
                    glue := _continues(prev, it, left, right, pitch, page.width)) is not None:
                out[-1] = _glue(out[-1], it.text, glue)
                prev = it
            else:
                out.append(it.text)
                prev = it
            last = it
        outs.append(out)
    for k in range(1, len(pages)):
        _across(pages[k - 1], pages[k], outs[k - 1], outs[k], left, right)
    return ["\n".join(out) for out in outs]


def _across(above: PageItems, below: PageItems, top: list[str], bottom: list[str],
            left: float, right: float) -> None:
    """A paragraph that goes on over a page break is one line again: the shorter of its two
    pieces moves to the other page (its characters then count as that page's) unless that
    is all its page has. One that
    ends at the break gets the blank line after it that it would have had on the page."""
    if above.raw is not None or below.raw is not None or not (above.items and below.items and top and bottom):
        return
    a, b = above.items[-1], below.items[0]
    if not (isinstance(a, Line) and isinstance(b, Line)) or not top[-1] or not bottom[0]:
        return
    glue = _wraps(a, b, left, right, above.width)
    if glue == "":  # only a line full to the edge: the space a page break hides says nothing
        # never empty a page: a page without text is taken for one pdfminer could not read
        up = len(bottom) > 1 and (len(bottom[0]) <= len(top[-1]) or len(top) == 1)
        if up:
            top[-1] = _glue(top[-1], bottom.pop(0), glue)
        elif len(top) > 1:
            bottom[0] = _glue(top.pop(), bottom[0], glue)
    else:
        bottom.insert(0, "")


def _spaced(above, below, pitch: float) -> bool:
    """Whether there is more space between two items than between lines of a paragraph."""
    size = getattr(below, "size", None) or getattr(above, "size", None) or 10.0
    return below.top - above.bottom > pitch + 0.5 * size


def _text_column(lines: list[Line], page_width: float) -> tuple[float, float]:
    """Left and right edge of the body text: where most lines start, and where full ones
    end, or as far from the page's right edge as the text is from its left one (a report
    whose paragraphs are all set flush left may have no line full to the edge; official
    documents' right margin is the narrower one)."""
    if not lines:
        return 0.0, 0.0
    # the leftmost start that recurs: paragraphs' first lines are indented, and in a report
    # of short paragraphs they are most of its lines
    counts: dict[int, int] = {}
    for ln in lines:
        counts[round(ln.x0)] = counts.get(round(ln.x0), 0) + 1
    need = max(2, 0.05 * len(lines))
    recurring = [x for x, n in counts.items() if n >= need]
    left = min(recurring) if recurring else statistics.median_low(sorted(round(ln.x0) for ln in lines))
    right = max(max(ln.x1 for ln in lines), page_width - left)
    return float(left), float(right)


def _usual_gap(gaps: list[float]) -> float | None:
    """The narrowest gap that recurs (in 5% of the gaps, or at least twice): a form whose
    cells are set as spaced one-line paragraphs has mostly the wider gaps between them."""
    if not gaps:
        return None
    counts: dict[float, int] = {}
    for g in gaps:
        counts[round(g * 2) / 2] = counts.get(round(g * 2) / 2, 0) + 1
    need = max(2, 0.05 * len(gaps))
    recurring = [g for g, n in counts.items() if n >= need]
    return min(recurring) if recurring else sorted(gaps)[len(gaps) // 4]


def _glue(left: str, right: str, glue: str) -> str:
    return left + glue + right if glue else join(left, right)


def _continues(prev: Line, cur: Line, left: float, right: float, pitch: float, width: float) -> str | None:
    """What joins `cur` to the paragraph `prev` ends right above it (see _wraps)."""
    gap = cur.top - prev.bottom
    if not -1 < gap <= max(pitch * 1.3, pitch + 1.0):
        return None
    return _wraps(prev, cur, left, right, width)


def _wraps(prev: Line, cur: Line, left: float, right: float, width: float) -> str | None:
    """Whether `cur` goes on the line `prev`: `prev` stops mid-sentence and `cur` starts at
    the left edge (not indented as a new paragraph is) in the same type size, and either
    `prev` is full to the right edge (broken between characters: joined as they are, "") or
    `cur`'s first word would not have fitted after it (broken at a space: " "). None when
    `cur` begins a line of its own."""
    size = prev.size or 10
    column = right - left
    if column < 0.5 * width:
        return None  # no body column to judge by (a page of short lines)
    if prev.text.rstrip()[-1:] in SENTENCE_END:
        return None
    if abs(cur.x0 - left) > 0.6 * size or abs(cur.size - prev.size) > 0.5:
        return None
    if prev.x1 >= right - 1.05 * size:  # short of the edge by less than a Chinese character
        return ""
    # a short first word that would have fitted is a line of its own; a long one (up to
    # 0.4 of the column: longer ones say nothing) that would not have is a word moved down
    if cur.first_word < 0.4 * column and prev.x1 + 0.3 * size + cur.first_word > right:
        return " "
    return None


def _drop_running(pages: list[PageItems]) -> None:
    """Drops the first and last line of a page when it sits in the page's top or bottom
    margin and is a page number, or when the same line (digits aside) is there on most pages."""
    def key(it: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text))

    def candidates(page: PageItems):
        found = []
        if page.items and isinstance(page.items[0], Line) and page.items[0].bottom < EDGE_ZONE * page.height:
            found.append(("top", page.items[0]))
        if page.items and isinstance(page.items[-1], Line) and page.items[-1].top > (1 - EDGE_ZONE) * page.height:
            found.append(("bottom", page.items[-1]))
        return found

    counts: dict[tuple[str, str], int] = {}
    for page in pages:
        for where, it in candidates(page):
            counts[(where, key(it))] = counts.get((where, key(it)), 0) + 1
    for page in pages:
        for where, it in candidates(page):
            k = key(it)
            repeated = len(pages) >= 2 and counts[(where, k)] >= max(2, (len(pages) + 1) // 2)
            if _PAGE_NUMBER.match(k) or repeated:
                page.items.remove(it)
