"""The text of one report, normalised for extraction, with a map back to pages and
to offsets in the decoded original."""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field


def normalise(raw: str) -> tuple[str, list[int]]:
    """NFKC per character (full-width digits and punctuation become ASCII) and
    unified line ends; returns the text and, per output character, its offset in `raw`."""
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            if i + 1 < n and raw[i + 1] == "\n":
                i += 1
                continue
            ch = "\n"
        elif ch in "\f\v\u2028\u2029":
            ch = "\n"
        elif ch == "\ufeff":
            i += 1
            continue
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm:
            out.append(c)
            offsets.append(i)
        i += 1
    return "".join(out), offsets


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

    @classmethod
    def from_pages(cls, name: str, pages: list[str], fmt: str, encoding: str | None = None,
                   paged: bool = True) -> "Document":
        texts, offsets, starts, originals = [], [], [], []
        pos = orig_pos = 0
        for page in pages:
            text, offs = normalise(page)
            starts.append(pos)
            texts.append(text)
            offsets.extend(o + orig_pos for o in offs)
            originals.append(page)
            pos += len(text) + 1
            orig_pos += len(page) + 1
            offsets.append(orig_pos - 1)  # the page separator
        text = "\n".join(texts)
        return cls(name=name, text=text, original="\n".join(originals), offsets=offsets[: len(text)],
                   page_starts=starts if paged else [], fmt=fmt, encoding=encoding)

    def page_of(self, offset: int) -> int | None:
        """1-based page of a text offset; None for formats without pages (plain text)."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)
