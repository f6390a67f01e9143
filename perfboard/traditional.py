"""Traditional characters → Simplified, before extraction, so that 溫州市甌海區信訪局 and
温州市瓯海区信访局 are one department and the rules (written in Simplified) read both.

A document is converted only when a clear share of its Chinese characters change under
OpenCC's t2s (a Simplified report changes in none or next to none); its `original` stays
the source text, and `offsets` still lead from each Simplified character to it."""
from __future__ import annotations

import re
from functools import lru_cache

from perfboard.document import Document

CONFIG = "t2s"          # OpenCC: Traditional (OpenCC standard, which takes Taiwan and HK forms) → Simplified
MIN_SHARE = 0.05        # of the CJK characters that t2s changes: below, the text is Simplified
MIN_CHANGED = 3
SAMPLE = 20_000         # characters looked at to decide
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC(CONFIG)


def simplified(text: str) -> str:
    """`text` in Simplified characters (unchanged if it already is)."""
    if not text or not _CJK.search(text):
        return text
    return _converter().convert(text)


def traditional_share(text: str) -> tuple[int, int]:
    """(characters t2s changes, CJK characters) of a text."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return 0, 0
    changed = 0
    for line in text.split("\n"):
        if not _CJK.search(line):
            continue
        converted = _converter().convert(line)
        if converted == line:  # nearly every line of a Simplified report: nothing to count
            continue
        if len(converted) == len(line):
            changed += sum(a != b for a, b in zip(line, converted))
        else:
            changed += max(len(line), len(converted))  # a phrase rewritten: count the line
    return changed, cjk


def is_traditional(text: str) -> bool:
    changed, cjk = traditional_share(text)
    return changed >= MIN_CHANGED and changed >= MIN_SHARE * cjk


def to_simplified(doc: Document) -> Document:
    """Converts `doc.text` in place when the document is in Traditional characters; pages,
    offsets into the original and OCR records follow. Returns the document."""
    try:
        changed, cjk = traditional_share(doc.text[:SAMPLE])
    except ImportError:  # installed without OpenCC: read as it is
        return doc
    if changed < MIN_CHANGED or changed < MIN_SHARE * cjk:
        return doc
    old = doc.text
    new_text, new_of_old, old_of_new = _convert_mapped(old)
    doc.text = new_text
    if len(new_text) != len(old):
        doc.offsets = [doc.offsets[old_of_new[j]] if old_of_new[j] < len(doc.offsets) else len(doc.original)
                       for j in range(len(new_text))]
        doc.page_starts = [new_of_old[s] for s in doc.page_starts]
        doc.ocr_spans = [(new_of_old[s], new_of_old[e], c) for s, e, c in doc.ocr_spans]
        doc.ocr_repairs = [(new_of_old[s], new_of_old[e], b, a) for s, e, b, a in doc.ocr_repairs]
    doc.converted_from = "traditional"
    doc.notes.append(f"Traditional characters converted to Simplified (OpenCC {CONFIG}): "
                     f"{changed} of {cjk} Chinese characters changed" + (" in the first part" if len(old) > SAMPLE else ""))
    return doc


def _convert_mapped(text: str) -> tuple[str, list[int], list[int]]:
    """Converted text, and the index maps both ways (new_of_old has len(text) + 1 entries).
    Line by line; a line whose length changes maps its characters proportionally."""
    out: list[str] = []
    new_of_old: list[int] = []
    old_of_new: list[int] = []
    pos_old = pos_new = 0
    lines = text.split("\n")
    for k, line in enumerate(lines):
        converted = _converter().convert(line) if _CJK.search(line) else line
        n, m = len(line), len(converted)
        if n == m:
            new_of_old.extend(range(pos_new, pos_new + n))
            old_of_new.extend(range(pos_old, pos_old + n))
        else:
            new_of_old.extend(pos_new + (i * m) // max(n, 1) for i in range(n))
            old_of_new.extend(pos_old + min((j * n) // max(m, 1), max(n - 1, 0)) for j in range(m))
        out.append(converted)
        pos_old += n
        pos_new += m
        if k < len(lines) - 1:
            new_of_old.append(pos_new)
            old_of_new.append(pos_old)
            out.append("\n")
            pos_old += 1
            pos_new += 1
    new_of_old.append(pos_new)
    return "".join(out), new_of_old, old_of_new
