"""DOCX → one text, paragraphs and tables in document order; a table row is one line with
its cells joined by " | " so that a label and its value stay together for the extractor."""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.zipguard import check_zip

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
# Wrappers whose children are ordinary body content (content controls, custom XML).
_BLOCK_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# Inside a paragraph: text that is not (or no longer) part of the document.
_SKIP_IN_P = {qn("w:pPr"), qn("w:del"), qn("w:moveFrom")}
_TCPR, _HMERGE, _VAL = qn("w:tcPr"), qn("w:hMerge"), qn("w:val")


def read_docx(data: bytes, name: str) -> Document:
    check_zip(data, "DOCX")
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        lines = list(_block_lines(body))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise errors.corrupt("DOCX") from exc
    return Document.from_pages(name, ["\n".join(lines)], fmt="docx", paged=False)


def _block_lines(parent):
    for child in parent.iterchildren():
        if child.tag == _P:
            yield _paragraph_text(child)
        elif child.tag == _TBL:
            yield from _table_lines(child)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _block_lines(child)


def _paragraph_text(p) -> str:
    # python-docx's Paragraph.text sees only direct runs and hyperlinks; tracked insertions,
    # inline content controls and fields hide runs one level deeper. Runs themselves are
    # not entered, so text boxes (drawn inside a run, and stored twice) are left out.
    parts: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            if child.tag == _R:
                parts.append(child.text or "")
            elif isinstance(child.tag, str) and child.tag not in _SKIP_IN_P:
                walk(child)

    walk(p)
    return "".join(parts)


def _table_lines(tbl):
    above: dict[int, str] = {}  # grid column → text of the cell there in the previous row
    for tr in _children(tbl, _TR):
        col = tr.grid_before
        cells: list[str] = []
        current: dict[int, str] = {}
        for tc in _children(tr, _TC):
            if _legacy_merge_continues(tc):
                continue  # its text is in the cell where the merge starts
            # A vertically merged cell repeats the text of the cell it continues, so each
            # row reads on its own ("产出指标 | 数量指标 | ..." on every line of the block).
            if tc.vMerge == "continue":
                text = above.get(col, "")
            else:
                text = " ".join(t.strip() for t in _block_lines(tc) if t.strip()).replace("\n", " ")
            cells.append(text)  # a horizontal merge is one w:tc, so it appears once
            current[col] = text
            col += max(tc.grid_span, 1)
        above = current
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield " | ".join(cells)


def _children(parent, tag):
    """Children with `tag`, looking through content-control wrappers (rows and cells can be
    wrapped too)."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _legacy_merge_continues(tc) -> bool:
    # Word 97-era horizontal merge (w:hMerge), still written by some converters; python-docx
    # only knows w:gridSpan.
    tcPr = tc.find(_TCPR)
    merge = tcPr.find(_HMERGE) if tcPr is not None else None
    return merge is not None and merge.get(_VAL) != "restart"
