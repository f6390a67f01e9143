"""Optical character recognition for pages that have no text layer: scanned PDFs and
photographs of reports. Offline: RapidOCR's Chinese detection and recognition models ship
inside the rapidocr-onnxruntime wheel, nothing is downloaded at run time.

The readers call this inside their capped child process (readers/pdf.py, readers/image.py),
so a large scan costs one process's time and memory, never the dashboard's.

A page's OCR result remembers, per recognised text box, the recogniser's confidence
(`OcrPage.spans`), and every OCR-typical confusion it repaired in a number
(`OcrPage.repairs`: 72O.5万兀 → 720.5万元). Repairs never change the length of the text, so
the recogniser's own output stays the document's original text, character for character."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from perfboard.numbers import NUMBER

MIN_CONFIDENCE = 0.5       # boxes the recogniser is less sure of are dropped (RapidOCR's default)
MAX_SIDE = 2000            # pixels; larger images are scaled down by the engine anyway
RENDER_DPI = 170           # a PDF page is rendered at this resolution for OCR (A4: 1405 × 1988)
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX_SC = 2          # Noto Sans CJK SC inside the collection (0 is JP, 3 is TC)


@dataclass
class OcrPage:
    text: str                                   # recognised text after repairs
    raw: str                                    # as the recogniser said it (same length as text)
    spans: list[tuple[int, int, float]] = field(default_factory=list)   # (start, end, confidence) in text
    repairs: list[tuple[int, int, str, str]] = field(default_factory=list)  # (start, end, before, after)

    @property
    def confidence(self) -> float | None:
        """Mean confidence over recognised characters; None when nothing was recognised."""
        weight = sum(e - s for s, e, _ in self.spans)
        return sum((e - s) * c for s, e, c in self.spans) / weight if weight else None

    def to_json(self) -> dict:
        return {"text": self.text, "raw": self.raw, "spans": [list(s) for s in self.spans],
                "repairs": [list(r) for r in self.repairs]}

    @classmethod
    def from_json(cls, d: dict) -> "OcrPage":
        return cls(d["text"], d["raw"], [tuple(s) for s in d["spans"]], [tuple(r) for r in d["repairs"]])


@lru_cache(maxsize=1)
def engine():
    """The recogniser, loaded once per process (about a second)."""
    import logging

    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    # use_cls: the 180° classifier; pages come upright or nearly so (a photo's tilt is
    # handled by the detector's rotated boxes), and it costs time on every line.
    return RapidOCR(use_cls=False, max_side_len=MAX_SIDE, text_score=MIN_CONFIDENCE)


def recognise(image) -> OcrPage:
    """A page image (PIL image or numpy array) → OcrPage."""
    import numpy as np

    if isinstance(image, np.ndarray):
        gray = image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8)
    else:
        gray = np.asarray(image.convert("L"))
    boxes = []
    for quad, read_quad, text, conf, char_boxes, chars in _detect_and_read(gray):
        if not text.strip() or conf < MIN_CONFIDENCE:
            continue
        text = _with_spaces(gray, read_quad, text, char_boxes, chars).strip()
        boxes.append(Box.from_quad(quad, text, conf))
    raw, spans = layout(boxes)
    text, repairs = repair(raw)
    return OcrPage(text, raw, spans, repairs)


def _detect_and_read(gray) -> list[tuple]:
    """RapidOCR's detector and recogniser, with one change between them: each text box is
    widened to the right by up to half its height (not into the next box). The detector
    tends to leave a line's closing 。 outside its box, and the rules read 。 as the end
    of a sentence. Returns (quad as detected, quad as read, text, confidence, character
    boxes, characters) in the page image's pixels."""
    import numpy as np

    eng = engine()
    img = np.stack([gray] * 3, axis=-1)
    scaled, ratio_h, ratio_w = eng.preprocess(img)
    if scaled.shape[0] <= eng.min_height or scaled.shape[1] / scaled.shape[0] > eng.width_height_ratio:
        result, _ = eng(img, use_cls=False, return_word_box=True)  # odd shapes: the engine pads them
        return [(r[0], r[0], r[1], float(r[2]), r[3] if len(r) > 3 else [], r[4] if len(r) > 4 else [])
                for r in result or []]
    dt_boxes, _ = eng.auto_text_det(scaled)
    if dt_boxes is None or not len(dt_boxes):
        return []
    detected = [np.array(b, dtype=np.float32) for b in dt_boxes]
    wide = _widened(detected, scaled.shape)
    crops = eng.get_crop_img_list(scaled, wide)
    rec, _ = eng.text_rec(crops, True)
    rec = eng.cal_rec_boxes(crops, wide, rec)

    def page_pixels(points) -> list[list[float]]:
        return [[float(x) * ratio_w, float(y) * ratio_h] for x, y in points]

    return [(page_pixels(box), page_pixels(read), text, float(conf), [page_pixels(b) for b in char_boxes or []],
             list(chars or []))
            for box, read, (text, conf, char_boxes, chars, _confs) in zip(detected, wide, rec)]


def _widened(quads: list, shape) -> list:
    import numpy as np

    height, width = shape[:2]
    out = []
    for q in quads:
        along = q[1] - q[0]
        length = float(np.linalg.norm(along))
        h = float(np.linalg.norm(q[3] - q[0]))
        if length < 1 or length < h:  # vertical or tiny: leave it
            out.append(q)
            continue
        unit = along / length
        reach = 0.5 * h
        y_mid = (q[0][1] + q[3][1]) / 2
        for other in quads:  # stop short of the next box on the same line
            if other is q:
                continue
            o_mid = (other[0][1] + other[3][1]) / 2
            if abs(o_mid - y_mid) < 0.5 * h and other[0][0] >= q[1][0] - 1:
                reach = min(reach, max(0.0, other[0][0] - q[1][0] - 0.15 * h))
        wide = q.copy()
        wide[1] = q[1] + unit * reach
        wide[2] = q[2] + unit * reach
        wide[:, 0] = wide[:, 0].clip(0, width - 1)
        out.append(wide)
    return out


# Where a blank column after or before these is the glyph's own, not a space.
_OPENS = set("（(“‘《〈【[")
_CLOSES = set("，。、；：！？）)”’》〉】],.;:!?")
# Of the box height: blank columns inside a box wider than this are a space. Between two
# Chinese characters the bar is higher: narrow glyphs (了, 目) leave wide margins of their own.
SPACE_GAP = 0.22
SPACE_GAP_CJK = 0.25


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u3400" <= ch <= "\u9fff"


def _with_spaces(gray, quad, text: str, char_boxes, chars) -> str:
    """The recogniser drops the spaces inside a box (部门名称 广州市… → 部门名称广州市…), and a
    space between table cells carries meaning. Blank columns of the box's own pixels that
    are wider than a space's share of its height go back in as spaces, between the
    characters on either side of them."""
    import cv2
    import numpy as np

    if not chars or len(chars) != len(char_boxes) or "".join(chars) != text.replace(" ", ""):
        return text
    q = np.array(quad, dtype=np.float32)
    width = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3])))
    height = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
    if width < 2 * height or height < 8:
        return text  # a short or vertical box: nothing to split
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    crop = cv2.warpPerspective(gray, cv2.getPerspectiveTransform(q, target), (width, height),
                               borderMode=cv2.BORDER_REPLICATE)
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = ink.sum(axis=0) >= 2
    centres = [(min(p[0] for p in b) + max(p[0] for p in b)) / 2 - q[0][0] for b in char_boxes]
    out = list(chars)
    x = 0
    while x < width:
        if inked[x]:
            x += 1
            continue
        start = x
        while x < width and not inked[x]:
            x += 1
        if start == 0 or x >= width or x - start < SPACE_GAP * height:
            continue
        middle = (start + x) / 2
        k = next((i for i in range(len(centres) - 1) if centres[i] < middle < centres[i + 1]), None)
        if k is None or chars[k][-1] in _CLOSES | _OPENS or chars[k + 1][:1] in _OPENS | _CLOSES:
            continue
        if _is_cjk(chars[k][-1]) and _is_cjk(chars[k + 1][:1]) and x - start < SPACE_GAP_CJK * height:
            continue
        if not out[k].endswith(" "):
            out[k] += " "
    return "".join(out)


# ------------------------------------------------------------------ layout

@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float
    slope: float = 0.0      # of its top edge: dy/dx (a photographed page is rarely level)
    tall: float = 0.0       # its own height, across the line

    @classmethod
    def from_quad(cls, quad, text: str, conf: float) -> "Box":
        (ax, ay), (bx, by), _, (dx, dy) = quad[:4]
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        slope = (by - ay) / (bx - ax) if bx - ax > 2 * abs(dy - ay) else 0.0
        return cls(min(xs), min(ys), max(xs), max(ys), text, conf, slope, ((dx - ax) ** 2 + (dy - ay) ** 2) ** 0.5)

    @property
    def height(self) -> float:
        return max(self.tall or (self.y1 - self.y0), 1.0)

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def layout(boxes: list[Box]) -> tuple[str, list[tuple[int, int, float]]]:
    """Boxes → lines of text as a PDF's text layer would give them: boxes whose middles lie
    within half a line of each other form one line, read left to right, one space between
    boxes (three where the gap is wide, as between a table's columns); a blank line where
    the vertical gap is more than a line. A tilted page is levelled first (by the median
    slope of its long boxes). Returns the text and the spans of the boxes."""
    long = sorted(b.slope for b in boxes if b.x1 - b.x0 > 4 * b.height)
    slope = long[len(long) // 2] if long else 0.0

    def level(b: Box) -> float:  # the box's middle, as if the page were level
        return b.middle - slope * (b.x0 + b.x1) / 2

    rows: list[list[Box]] = []
    for box in sorted(boxes, key=level):
        if rows:
            row = rows[-1]
            middle = sum(level(b) for b in row) / len(row)
            height = sorted(b.height for b in row)[len(row) // 2]
            if abs(level(box) - middle) <= 0.5 * min(height, box.height):
                row.append(box)
                continue
        rows.append([box])
    out: list[str] = []
    spans: list[tuple[int, int, float]] = []
    pos = 0
    previous: list[Box] | None = None
    for row in rows:
        row.sort(key=lambda b: b.x0)
        height = sorted(b.height for b in row)[len(row) // 2]
        if previous is not None:
            pitch = sum(level(b) for b in row) / len(row) - sum(level(b) for b in previous) / len(previous)
            before = sorted(b.height for b in previous)[len(previous) // 2]
            gap = pitch - (height + before) / 2
            sep = "\n\n" if gap > 1.2 * min(height, before) else "\n"
            out.append(sep)
            pos += len(sep)
        for k, box in enumerate(row):
            if k:
                sep = "   " if box.x0 - row[k - 1].x1 > 2.5 * height else " "
                out.append(sep)
                pos += len(sep)
            out.append(box.text)
            spans.append((pos, pos + len(box.text), round(box.conf, 4)))
            pos += len(box.text)
        previous = row
    return "".join(out), spans


# ------------------------------------------------------------------ repairs

# Letters the recogniser reads for digits inside numbers, and what they stand for.
DIGIT_LOOKALIKES = {"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1"}
_LOOK = re.escape("".join(DIGIT_LOOKALIKES))
# A run of digits and look-alikes (with separators) not glued to a Latin word.
_RUN = re.compile(rf"(?<![A-Za-z])[0-9{_LOOK}](?:[0-9{_LOOK},.]*[0-9{_LOOK}])?(?![A-Za-z])")
# What may follow a number in a report: its unit.
_UNIT_AFTER = re.compile(r"\s*(?:万元|亿元|元|万|亿|%|件次|件|人次|人|分|个|次|项|户|名|天|小时)")
# 兀 read for 元 after an amount: 727.41万兀 → 727.41万元
_YUAN = re.compile(rf"(?:{NUMBER})\s*[万亿]?(兀)")


def repair(text: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """OCR-typical confusions repaired where the result then reads as a number in its
    context: a run that mixes digits with look-alike letters (72O.5, 1l.3%) or stands
    before a unit (IO件); 兀 after an amount. Never changes the text's length. Returns the
    repaired text and (start, end, before, after) of each repair."""
    chars = list(text)
    repairs: list[tuple[int, int, str, str]] = []
    for m in _RUN.finditer(text):
        run = m.group()
        if all(c in "0123456789,." for c in run):
            continue
        fixed = "".join(DIGIT_LOOKALIKES.get(c, c) for c in run)
        if not re.fullmatch(NUMBER, fixed):
            continue
        has_digit = any(c.isdigit() for c in run)
        has_unit = bool(_UNIT_AFTER.match(text, m.end()))
        if len(run) == 1 or not (has_digit or has_unit):
            continue  # a lone l or O, even before 个, is more likely a word than a number
        chars[m.start():m.end()] = fixed
        repairs.append((m.start(), m.end(), run, fixed))
    fixed_text = "".join(chars)
    for m in _YUAN.finditer(fixed_text):
        chars[m.start(1)] = "元"
        repairs.append((m.start(1), m.end(1), "兀", "元"))
    repairs.sort()
    return "".join(chars), repairs


# ------------------------------------------------------------------ synthetic pages

def render_text_pages(text: str, dpi: int = 150, size_pt: float = 12, font_index: int = FONT_INDEX_SC,
                      width_in: float = 8.27, height_in: float = 11.69, margin_in: float = 0.8):
    """Text → A4 page images (PIL, greyscale), long lines wrapped: synthetic scans for the
    benchmark and the tests."""
    from PIL import Image, ImageDraw, ImageFont

    px = max(8, round(size_pt * dpi / 72))
    width, height, margin = round(width_in * dpi), round(height_in * dpi), round(margin_in * dpi)
    font = ImageFont.truetype(FONT, px, index=font_index)
    lines: list[str] = []
    for line in text.replace("\t", "    ").splitlines():
        lines += _wrap(line.rstrip(), font, width - 2 * margin) if line.strip() else [""]
    step = round(px * 1.6)
    per_page = max(1, (height - 2 * margin) // step)
    pages = []
    for first in range(0, max(len(lines), 1), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for k, line in enumerate(lines[first:first + per_page]):
            draw.text((margin, margin + k * step), line, font=font, fill=0)
        pages.append(page)
    return pages


def _wrap(line: str, font, width: int) -> list[str]:
    """Wrapped as a word processor would: anywhere between Chinese characters, never inside
    a number or a Latin word."""
    out, current = [], ""
    for token in re.findall(r"[0-9A-Za-z.,%]+|.", line):
        if current and font.getlength(current + token) > width:
            out.append(current)
            current = token
        else:
            current += token
    out.append(current)
    return out


def benchmark_pages(n: int = 3, dpi: int = 150) -> dict:
    """Seconds per page to OCR n synthetic A4 pages of a bundled report (engine loaded
    beforehand, not counted). For the benchmark suite."""
    from pathlib import Path

    source = sorted((Path(__file__).resolve().parent.parent / "data" / "reports").glob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in source[:3]) or "预算执行率 94.01%\n" * 40
    pages = render_text_pages(text, dpi=dpi)[:n]
    engine()
    started = time.perf_counter()
    chars = 0
    for page in pages:
        chars += len(recognise(page).text)
    seconds = time.perf_counter() - started
    return {"pages": len(pages), "dpi": dpi, "seconds": round(seconds, 2),
            "seconds_per_page": round(seconds / max(len(pages), 1), 2), "characters": chars}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(benchmark_pages(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
