"""The text of one report, normalised for extraction, with a map back to pages and
to offsets in the decoded original."""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field


def normalise(raw: str) -> tuple[str, list[int]]:
    """NFKC per character (full-width digits and punctuation become ASCII) and
    unified line ends; returns the text and, per output character, its offset in `raw`.
    Only the characters that change are visited one by one (a report's few full-width
    digits and line ends); the runs between them are copied whole: per character, this
    was a ninth of extracting a report."""
    changing = [ch for ch in set(raw) if not _unchanged(ch)]
    if not changing:
        return _cn_years(raw), list(range(len(raw)))
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    for m in re.finditer("[" + "".join(map(re.escape, changing)) + "]", raw):
        i = m.start()
        pieces.append(raw[start:i])
        offsets.extend(range(start, i))
        start = i + 1
        ch = raw[i]
        if ch == "\r" and raw.startswith("\n", i + 1):  # \r\n: the \n stands for both
            continue
        norm = _CHANGED[ch]
        pieces.append(norm)
        offsets.extend([i] * len(norm))
    pieces.append(raw[start:])
    offsets.extend(range(start, len(raw)))
    return _cn_years("".join(pieces)), offsets


_CHANGED: dict[str, str] = {"\r": "\n", "\f": "\n", "\v": "\n", "\u2028": "\n", "\u2029": "\n", "\ufeff": ""}
_UNCHANGED: set[str] = {chr(c) for c in range(128)} - set(_CHANGED)


def _unchanged(ch: str) -> bool:
    """Whether normalise keeps this character as it is (learnt once per character)."""
    if ch in _UNCHANGED:
        return True
    if ch in _CHANGED:
        return False
    norm = unicodedata.normalize("NFKC", ch)
    if norm == ch:
        _UNCHANGED.add(ch)
        return True
    _CHANGED[ch] = norm
    return False


def _cn_years(text: str) -> str:
    # 二〇一九年 → 2019年: a year in Chinese digits is read as one in Arabic digits; the
    # same length, so the offsets still hold
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


_CN_YEAR = re.compile(r"[一二][〇○零][〇○零一二三四五六七八九]{2}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


@dataclass
class Document:
    name: str
    text: str                       # normalised text: what the extractor reads
    original: str                   # decoded text before normalisation (provenance)
    offsets: list[int]              # per character of `text`, its offset in `original`
    page_starts: list[int] = field(default_factory=list)  # offset in `text` of each page; empty: no pages
    fmt: str = "txt"
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    original_page_starts: list[int] = field(default_factory=list)  # offset in `original` of each page
    # Text read by OCR: (start, end, recogniser's confidence 0..1) in `text`; empty for a text layer.
    ocr_spans: list[tuple[int, int, float]] = field(default_factory=list)
    # OCR confusions repaired in numbers: (start, end, as recognised, as repaired) in `text`.
    ocr_repairs: list[tuple[int, int, str, str]] = field(default_factory=list)
    # Set when the source was in Traditional characters and `text` is its Simplified form.
    converted_from: str | None = None

    @classmethod
    def from_pages(cls, name: str, pages: list[str], fmt: str, encoding: str | None = None,
                   paged: bool = True, originals: list[str] | None = None) -> "Document":
        """`originals`, where given, is per page what the source said before a repair that
        kept its length (OCR digit repairs): the page's text comes from `pages`, its
        provenance from `originals`."""
        texts, offsets, starts, original_parts, original_starts = [], [], [], [], []
        pos = orig_pos = 0
        for k, page in enumerate(pages):
            text, offs = normalise(page)
            source = originals[k] if originals and len(originals[k]) == len(page) else page
            starts.append(pos)
            original_starts.append(orig_pos)
            texts.append(text)
            offsets.extend(o + orig_pos for o in offs)
            original_parts.append(source)
            pos += len(text) + 1
            orig_pos += len(page) + 1
            offsets.append(orig_pos - 1)  # the page separator
        text = "\n".join(texts)
        return cls(name=name, text=text, original="\n".join(original_parts), offsets=offsets[: len(text)],
                   page_starts=starts if paged else [], fmt=fmt, encoding=encoding,
                   original_page_starts=original_starts)

    def text_offset(self, original_offset: int) -> int:
        """The offset in `text` of the first character that comes from `original_offset` or later."""
        return bisect.bisect_left(self.offsets, original_offset)

    def add_ocr(self, page: int, spans, repairs=()) -> None:
        """Records that page `page` (0-based) was read by OCR: its boxes' spans with their
        confidence and its repairs, given in offsets of that page's original text."""
        base = self.original_page_starts[page] if page < len(self.original_page_starts) else 0
        for s, e, conf in spans:
            self.ocr_spans.append((self.text_offset(base + s), self.text_offset(base + e), float(conf)))
        for s, e, before, after in repairs:
            start, end = self.text_offset(base + s), self.text_offset(base + e)
            self.ocr_repairs.append((start, end, before, after))
            if len(self.ocr_repairs) <= 50:
                self.notes.append(f"OCR repair, page {page + 1}: '{before}' read as '{after}'")
        self.ocr_spans.sort()
        self.ocr_repairs.sort()

    def ocr_confidence(self, start: int | None, end: int | None) -> float | None:
        """The lowest recogniser confidence over the OCR'd text in [start, end); None when
        that text did not come from OCR."""
        if start is None or not self.ocr_spans:
            return None
        end = start + 1 if end is None or end <= start else end
        k = bisect.bisect_right(self.ocr_spans, (end,)) - 1
        found = None
        while k >= 0:  # boxes do not overlap: going left, the first that ends before start is the last
            s, e, conf = self.ocr_spans[k]
            if e <= start:
                break
            found = conf if found is None else min(found, conf)
            k -= 1
        return found

    def ocr_repaired(self, start: int | None, end: int | None) -> list[tuple[int, int, str, str]]:
        """The OCR repairs inside [start, end)."""
        if start is None or end is None:
            return []
        return [r for r in self.ocr_repairs if r[1] > start and r[0] < end]

    def page_of(self, offset: int) -> int | None:
        """1-based page of a text offset; None for formats without pages (plain text)."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)
