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
        out.items.append(Line(ln["top"], ln["bottom"], ln["x0"], ln["x1"], text, float(size)))
    for table in tables:
        rows = table_rows(table)
        if rows:
            x0, top, x1, bottom = table.bbox
            out.items.append(Table(top, bottom, rows))
    out.items.sort(key=lambda it: it.top)
    return out


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
    left, right = _text_column(lines)
    outs: list[list[str]] = []
    for page in pages:
        if page.raw is not None:
            outs.append(page.raw.split("\n"))
            continue
        out: list[str] = []
        prev: Line | None = None
        gaps = [b.top - a.bottom for a, b in zip(page.items, page.items[1:])
                if isinstance(a, Line) and isinstance(b, Line) and b.top > a.bottom - 1]
        pitch = sorted(gaps)[len(gaps) // 4] if gaps else None  # the usual gap within a paragraph
        last = None  # the item above, for the space between it and the next
        for it in page.items:
            if last is not None and pitch is not None and out and out[-1] and _spaced(last, it, pitch):
                out.append("")  # paragraph spacing reads as the blank line a text file has there
                prev = None
            if isinstance(it, Table):
                out.extend(it.rows)
                prev = None
            elif prev is not None and pitch is not None and _continues(prev, it, left, right, pitch, page.width):
                out[-1] = join(out[-1], it.text)
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
    if _wraps(a, b, left, right, above.width):
        # never empty a page: a page without text is taken for one pdfminer could not read
        up = len(bottom) > 1 and (len(bottom[0]) <= len(top[-1]) or len(top) == 1)
        if up:
            top[-1] = join(top[-1], bottom.pop(0))
        elif len(top) > 1:
            bottom[0] = join(top.pop(), bottom[0])
    else:
        bottom.insert(0, "")


def _spaced(above, below, pitch: float) -> bool:
    """Whether there is more space between two items than between lines of a paragraph."""
    size = getattr(below, "size", None) or getattr(above, "size", None) or 10.0
    return below.top - above.bottom > pitch + 0.5 * size


def _text_column(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of the body text: where most lines start, and where full ones end."""
    if not lines:
        return 0.0, 0.0
    left = statistics.median_low(sorted(round(ln.x0) for ln in lines))
    right = max(ln.x1 for ln in lines)
    return float(left), float(right)


def _continues(prev: Line, cur: Line, left: float, right: float, pitch: float, width: float) -> bool:
    """Whether `cur` goes on the paragraph `prev` ends, right below it."""
    gap = cur.top - prev.bottom
    return _wraps(prev, cur, left, right, width) and -1 < gap <= max(pitch * 1.3, pitch + 1.0)


def _wraps(prev: Line, cur: Line, left: float, right: float, width: float) -> bool:
    """Whether `prev` is full to the right edge and stops mid-sentence, and `cur` starts
    at the left edge (not indented as a new paragraph is) in the same type size."""
    size = prev.size or 10
    if right - left < 0.5 * width:
        return False  # no body column to judge by (a page of short lines)
    if prev.x1 < right - 1.5 * size or prev.text.rstrip()[-1:] in SENTENCE_END:
        return False
    return abs(cur.x0 - left) <= 0.6 * size and abs(cur.size - prev.size) <= 0.5


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
