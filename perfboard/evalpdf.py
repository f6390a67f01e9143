"""Text reports → text-layer PDFs laid out the way published ones are, to measure the PDF
reader against the text it came from (`make eval-pdf`, issue 12: a report as a PDF must
extract within 0.02 F1 of the same report as text).

A published PDF is not the text file printed line by line: its prose is set in justified
paragraphs that wrap wherever the line is full (so a label ends one line and its value
starts the next), its tables are ruled grids, and every page carries a running header or a
page number. `render` draws a report that way with fpdf2:
- a run of lines with `|` is a ruled table, one row per line, one cell per `|`-field (a
  run of one-field lines, the cell-per-line flattening of a 自评表, is a one-column table);
- a run of space-aligned lines (pdftotext -layout output of a ruled form) is a ruled table
  whose columns are where the text's columns start;
- every other line is a paragraph, wrapped at any character as Chinese typesetting does.

    python -m perfboard.evalpdf OUT_DIR CORPUS_DIR... [--score]

writes OUT_DIR/<corpus>/NNN.pdf with the truth file NNN.json beside it ("file" renamed),
and with --score runs ../shared/tools/score_extraction.py on each corpus as text and as
PDF and prints both F1s."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from perfboard.readers.text import decode_lenient

# TrueType outlines: fpdf2 embeds a CFF font (Noto CJK's .ttc) with an /Encoding CMap stream
# that pdfminer cannot decode, so such PDFs have no text for pdfplumber (pdfium reads them,
# but without the page's ruling). Debian: fonts-wqy-zenhei (the Makefile's SYSPKGS).
FONT_CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                   "/usr/share/fonts/truetype/arphic/uming.ttc")
PAGE_W = 210.0
MARGIN = 20.0
FONT_SIZE = 10.5
LINE_H = 6.0
CELL_FONT = 8.5
CELL_LINE_H = 4.5

_GAP = re.compile(r"\t+| {2,}|\u3000{2,}")


def cjk_font() -> str | None:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    except OSError:
        return None
    for line in sorted(out.splitlines()):
        path = line.split(":")[0].strip()
        if "/truetype/" in path and path.lower().endswith((".ttf", ".ttc")):
            return path
    return None


# ------------------------------------------------------------------ what a line is

def pipe_cells(line: str) -> list[str] | None:
    if "|" not in line:
        return None
    cells = [c.strip() for c in line.split("|")]
    if line.strip().startswith("|") and len(cells) > 1 and not cells[0]:
        cells = cells[1:]
    if line.strip().endswith("|") and len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return cells


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def aligned_cells(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each space-separated field of a layout-preserved line; a
    tab-separated line's fields are columns by their index."""
    if "\t" in line:
        return [(k * 10, c.strip()) for k, c in enumerate(line.split("\t")) if c.strip()]
    out = []
    pos = 0
    col = 0
    for m in _GAP.finditer(line):
        field = line[pos:m.start()]
        if field.strip():
            out.append((col + _width(field) - _width(field.lstrip()), field.strip()))
        col += _width(field) + (len(m.group()) * (2 if m.group()[0] == "\u3000" else 1)
                                if m.group()[0] != "\t" else 8 * len(m.group()))
        pos = m.end()
    field = line[pos:]
    if field.strip():
        out.append((col + _width(field) - _width(field.lstrip()), field.strip()))
    return out


def blocks(lines: list[str]) -> list[tuple[str, list]]:
    """[("pipe", [cells...]) | ("grid", [[(col, text)...]...]) | ("para", str) | ("blank", "")]."""
    out: list[tuple[str, list]] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i].rstrip()
        if not line.strip():
            out.append(("blank", ""))
            i += 1
            continue
        if pipe_cells(line) is not None:
            rows = []
            while i < n and lines[i].strip() and pipe_cells(lines[i].rstrip()) is not None:
                rows.append(pipe_cells(lines[i].rstrip()))
                i += 1
            out.append(("pipe", rows))
            continue
        if len(aligned_cells(line)) >= 3 or (len(aligned_cells(line)) >= 2 and _next_aligned(lines, i + 1)):
            rows = []
            while i < n:
                cur = lines[i].rstrip()
                if not cur.strip():
                    # a blank line inside a form: it goes on if the next line is aligned too
                    if _next_aligned(lines, i + 1):
                        if rows and rows[-1] is not None:
                            rows.append(None)  # the form's rows are the blank-separated groups
                        i += 1
                        continue
                    break
                cells = aligned_cells(cur)
                vertical = len(cur.strip()) <= 2 and _next_aligned(lines, i + 1)  # 绩/效/指/标 down a side
                if len(cells) < 2 and not (cells and cells[0][0] >= 4) and not vertical:
                    break  # an unindented one-field line is prose again
                if vertical and rows and rows[-1] is not None:
                    rows.append(None)  # a side label's character sits between two rows
                rows.append(cells)
                i += 1
            out.append(("grid", rows))
            continue
        out.append(("para", line))
        i += 1
    return out


def _next_aligned(lines: list[str], i: int) -> bool:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i < len(lines) and len(aligned_cells(lines[i].rstrip())) >= 2


def grid_columns(rows: list[list[tuple[int, str]]]) -> list[int]:
    """Start columns of a space-aligned form: the fields' starts, those within 3 columns of
    each other taken as one."""
    starts = sorted({c for row in rows for c, _ in row})
    cols: list[int] = []
    for s in starts:
        if not cols or s - cols[-1] > 3:
            cols.append(s)
    return cols


def grid_rows(rows: list) -> tuple[list[int], list[list[str]]]:
    """A form's rows of cells. Where blank lines part the form, each blank-separated group
    of lines is one row whose cells wrap over its lines (as pdftotext -layout prints a
    ruled row with wrapped cells); otherwise each line is a row."""
    lines = [r for r in rows if r is not None]
    cols = grid_columns(lines)
    groups: list[list] = [[]]
    for r in rows:
        if r is None:
            groups.append([])
        elif None in rows:
            groups[-1].append(r)
        else:
            groups[-1].append(r)
            groups.append([])
    table = []
    for group in groups:
        if not group:
            continue
        cells = [""] * len(cols)
        for row in group:
            for c, text in row:
                k = min(range(len(cols)), key=lambda j: abs(cols[j] - c))
                cells[k] = _join(cells[k], text)
        table.append(cells)
    return cols, table


def _join(left: str, right: str) -> str:
    if not left:
        return right
    if left[-1].isascii() and left[-1].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


# ------------------------------------------------------------------ drawing

def render(text: str, font: str | None = None, header: str | None = None, footer: str = "第 {n} 页",
           prose: str = "justified") -> bytes:
    """One report as a PDF (bytes). `header`: a running header on every page; `footer`: the
    page number line, "{n}" for the number; `prose`: "justified" (broken at any character
    and set flush to both edges, as Chinese is typeset) or "ragged" (broken at spaces only,
    flush left, as a word processor sets a paragraph with Latin-style wrapping)."""
    import logging

    from fpdf import FPDF
    from fpdf.enums import WrapMode

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # bitmap tables it cannot subset
    font = font or cjk_font()
    if font is None:
        raise RuntimeError("no TrueType CJK font: install fonts-wqy-zenhei")

    class Page(FPDF):
        def header(self):
            if header:
                self.set_font("cjk", size=8)
                self.set_y(10)
                self.cell(0, 4, header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.set_y(MARGIN)
                self.set_font("cjk", size=FONT_SIZE)

        def footer(self):
            if footer:
                self.set_y(-14)
                self.set_font("cjk", size=8)
                self.cell(0, 4, footer.format(n=self.page_no()), align="C")
                self.set_font("cjk", size=FONT_SIZE)

    pdf = Page(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("cjk", "", font)
    pdf.set_font("cjk", size=FONT_SIZE)
    pdf.add_page()
    width = PAGE_W - 2 * MARGIN
    for kind, body in blocks(text.splitlines()):
        if kind == "blank":
            pdf.ln(LINE_H * 0.6)  # paragraph spacing
        elif kind == "para":
            ragged = prose == "ragged"
            pdf.multi_cell(width, LINE_H, body.strip(), align="L" if ragged else "J",
                           wrapmode=WrapMode.WORD if ragged else WrapMode.CHAR,
                           new_x="LMARGIN", new_y="NEXT")
        elif kind == "pipe":
            _draw_table(pdf, body, width, None)
        else:
            cols, rows = grid_rows(body)
            _draw_table(pdf, rows, width, cols)
    return bytes(pdf.output())


def _draw_table(pdf, rows: list[list[str]], width: float, cols: list[int] | None) -> None:
    """Each row as a ruled row of its own cells: rows with fewer cells have wider ones, as a
    merged cell has; `cols` (display columns) sizes a form's columns by where they start."""
    from fpdf.enums import WrapMode

    pdf.set_font("cjk", size=CELL_FONT)
    if cols is not None:
        # a column as wide as its widest field (up to a short sentence), as a form is drawn
        shares = [min(max([_width(row[k]) for row in rows] + [4]), 36) for k in range(len(cols))]
        total = sum(shares)
        widths_for = lambda n: [width * s / total for s in shares]  # noqa: E731
    else:
        widths_for = lambda n: [width / n] * n  # noqa: E731
    pdf.c_margin = 0.5
    for row in rows:
        # no cell narrower than two characters: fpdf2 cannot break a line inside one
        widths = [max(w, 8.0) for w in widths_for(len(row))]
        widths = [w * width / sum(widths) for w in widths] if sum(widths) > width else widths
        lines = [pdf.multi_cell(w - 2, CELL_LINE_H, c or " ", wrapmode=WrapMode.CHAR, dry_run=True,
                                output="LINES") for w, c in zip(widths, row)]
        h = max(len(x) for x in lines) * CELL_LINE_H + 2
        if pdf.get_y() + h > pdf.h - 20:
            pdf.add_page()
            pdf.set_font("cjk", size=CELL_FONT)
        y = pdf.get_y()
        x = pdf.l_margin
        for w, c in zip(widths, row):
            pdf.rect(x, y, w, h)
            pdf.set_xy(x + 1, y + 1)
            if c:
                pdf.multi_cell(w - 2, CELL_LINE_H, c, wrapmode=WrapMode.CHAR, align="L")
            x += w
        pdf.set_xy(pdf.l_margin, y + h)
    pdf.set_font("cjk", size=FONT_SIZE)


# ------------------------------------------------------------------ the measurement

def write_corpus(src: Path, out: Path, font: str | None = None, prose: str = "justified") -> Path:
    """Every report of `src` that has a truth file, as out/<src name>/NNN.pdf + NNN.json."""
    dest = out / src.name
    dest.mkdir(parents=True, exist_ok=True)
    for k, path in enumerate(sorted(p for p in src.iterdir() if p.suffix != ".json"
                                    and p.with_suffix(".json").exists())):
        text = decode_lenient(path.read_bytes())
        # running headers and page-number styles vary as they do between publishers
        header = (next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:30]
                  if k % 2 else None)
        footer = ("第 {n} 页", "- {n} -", "{n}")[k % 3]
        (dest / (path.stem + ".pdf")).write_bytes(render(text, font, header=header, footer=footer,
                                                                       prose=prose))
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        truth["file"] = path.stem + ".pdf"
        (dest / (path.stem + ".json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
    return dest


def score(corpus: Path, scorer: Path, python: str = sys.executable) -> tuple[float, str]:
    """(overall F1, the scorer's last two lines) of `perfboard extract` on `corpus`."""
    cmd = f"{python} -m perfboard extract {{files}} --json"
    run = subprocess.run([python, str(scorer), str(corpus), "--command", cmd],
                         capture_output=True, text=True, check=True)
    tail = run.stdout.strip().splitlines()[-2:]
    f1 = float(re.search(r"f1=([0-9.]+)", tail[-1]).group(1))
    return f1, "\n".join(tail)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--score", action="store_true", help="score each corpus as text and as PDF")
    ap.add_argument("--prose", choices=("justified", "ragged"), default="justified",
                    help="paragraphs broken at any character and justified (default), or at spaces, flush left")
    ap.add_argument("--scorer", default=str(Path(__file__).resolve().parents[2] / "shared/tools/score_extraction.py"))
    args = ap.parse_args(argv)
    try:  # a layout bug in fpdf2 should cost this run, not the machine it shares
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))
    except (ImportError, ValueError, OSError):
        pass
    worst = 0.0
    for src in map(Path, args.corpora):
        dest = write_corpus(src, Path(args.out), prose=args.prose)
        if args.score:
            text_f1, text_tail = score(src, Path(args.scorer))
            pdf_f1, pdf_tail = score(dest, Path(args.scorer))
            print(f"== {src.name} as text\n{text_tail}\n== {src.name} as PDF\n{pdf_tail}")
            print(f"gap {src.name}: {text_f1 - pdf_f1:+.3f}")
            worst = max(worst, text_f1 - pdf_f1)
    return 1 if args.score and worst > 0.02 else 0


if __name__ == "__main__":
    sys.exit(main())
