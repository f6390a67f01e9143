"""PDF with a text layer → one string per page. pdfplumber does the work (it keeps a table
row on one line); pypdfium2, which pdfplumber already depends on, reads pages whose fonts
pdfminer cannot decode and files whose structure pdfminer cannot repair.

The parsing runs in a child process with a memory and time cap: one wrong digit in a
font's width table makes pdfminer build a dict of a billion entries, and that must cost
one file, not the dashboard or the batch."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.errors import ReadError

MAX_PAGES = 2000
MEMORY_LIMIT = 3 * 1024**3  # address space of the child, bytes
TIME_LIMIT = 600            # seconds, wall clock and CPU

log = logging.getLogger(__name__)


def read_pdf(data: bytes, name: str) -> Document:
    if b"%PDF" not in data[:1024]:  # readers tolerate junk before the header, but not much
        raise errors.corrupt("PDF")
    texts, notes = _in_child(data)
    doc = Document.from_pages(name, texts, fmt="pdf", paged=True)
    doc.notes.extend(notes)
    return doc


def _in_child(data: bytes) -> tuple[list[str], list[str]]:
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    args = [sys.executable, "-m", "perfboard.readers.pdf", str(MAX_PAGES), str(MEMORY_LIMIT), str(TIME_LIMIT)]
    try:
        proc = subprocess.run(args, input=data, capture_output=True, timeout=TIME_LIMIT, env=env)
    except subprocess.TimeoutExpired as exc:
        raise errors.too_complex("PDF") from exc
    try:
        verdict = json.loads(proc.stdout)
    except ValueError:
        verdict = None
    if not isinstance(verdict, dict):  # killed by a limit, crashed inside pdfium, or a bug
        log.warning("PDF child exited with %s: %s", proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:])
        if proc.returncode < 0 or b"MemoryError" in proc.stderr:
            raise errors.too_complex("PDF")
        raise errors.corrupt("PDF")
    if "error" in verdict:
        raise _error(verdict["error"])
    return verdict["texts"], verdict["notes"]


def _error(code: str) -> ReadError:
    return {"encrypted": errors.encrypted, "no_text": errors.no_text,
            "too_complex": lambda: errors.too_complex("PDF")}.get(code, lambda: errors.corrupt("PDF"))()


# ------------------------------------------------------------------ in the child process

def extract_pages(data: bytes, max_pages: int = MAX_PAGES) -> tuple[list[str], list[str]]:
    """Page texts and notes; raises ReadError. Unguarded: call through read_pdf."""
    notes: list[str] = []
    try:
        texts = _plumber_texts(data, max_pages, notes)
    except ReadError as exc:
        rescued = _pdfium_texts(data, None, max_pages) if exc.code == "corrupt" else {}
        if not rescued:
            raise
        texts = [rescued.get(i, "") for i in range(max(rescued) + 1)]
        notes.append("damaged PDF: text recovered with pdfium")
    if not texts:
        raise errors.corrupt("PDF")
    missing = [i for i, t in enumerate(texts) if not _readable(t)]
    if missing:
        for i, text in _pdfium_texts(data, missing, max_pages).items():
            texts[i] = text
        missing = [i for i in missing if not _readable(texts[i])]
        for i in missing:
            texts[i] = ""  # (cid:123) soup is not text; an empty page is more honest
    texts = [_CID.sub("\ufffd", t).encode("utf-8", "replace").decode("utf-8") for t in texts]
    if len(missing) == len(texts):
        raise errors.no_text()
    if missing:
        notes.append("pages without readable text: " + ", ".join(str(i + 1) for i in missing[:50]))
    return texts, notes


# pdfminer writes a glyph it cannot map to Unicode as "(cid:123)": a font without a ToUnicode
# table, common in Chinese PDFs from old converters.
_CID = re.compile(r"\(cid:\d+\)")


def _readable(text: str) -> bool:
    unmapped = len(_CID.findall(text))
    mapped = sum(1 for c in _CID.sub("", text) if not c.isspace())
    return mapped > 0 and unmapped <= 0.3 * (mapped + unmapped)


def _plumber_texts(data: bytes, max_pages: int, notes: list[str]) -> list[str]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise _classify(exc) from exc
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise _classify(exc) from exc
        if len(pages) > max_pages:
            notes.append(f"only the first {max_pages} of {len(pages)} pages were read")
            pages = pages[:max_pages]
        return [_page_text(page) for page in pages]
    finally:
        try:
            pdf.close()  # walks the page tree again, so a damaged tree fails here too
        except Exception:
            pass


def _page_text(page) -> str:
    try:
        # Word/WPS fake bold by drawing each glyph twice; dedupe or every bold heading doubles.
        return page.dedupe_chars().extract_text() or ""
    except Exception as exc:
        if _cause(exc, MemoryError):
            raise MemoryError from exc  # the child's memory cap: the whole file is refused
        return ""  # one broken page should not lose the rest; pdfium gets a second try
    finally:
        try:
            page.close()  # drop the page's cached layout objects: long reports add up
        except Exception:
            pass


def _pdfium_texts(data: bytes, indexes: list[int] | None, max_pages: int) -> dict[int, str]:
    """Text of the given pages (all, up to max_pages, for None) by index; {} if pdfium
    cannot open the file either."""
    try:
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(data)
    except Exception:
        return {}
    out: dict[int, str] = {}
    try:
        for i in indexes if indexes is not None else range(min(len(doc), max_pages)):
            try:
                page = doc[i]
                textpage = page.get_textpage()
                out[i] = textpage.get_text_range()
                textpage.close()
                page.close()
            except Exception:
                continue
    finally:
        doc.close()
    return out


def _classify(exc: BaseException) -> ReadError:
    from pdfminer.pdfdocument import PDFEncryptionError

    if _cause(exc, MemoryError):
        return errors.too_complex("PDF")
    if _cause(exc, PDFEncryptionError):  # includes PDFPasswordIncorrect
        return errors.encrypted()
    return errors.corrupt("PDF")


def _cause(exc: BaseException | None, kind: type) -> bool:
    """Whether `kind` is behind `exc`: pdfplumber wraps pdfminer's exception as the first
    argument of its own rather than chaining it."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, kind):
            return True
        exc = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
    return False


def _child_main(argv: list[str]) -> None:
    max_pages, memory, seconds = (int(float(a)) for a in argv[:3])
    import pdfplumber  # noqa: F401  (imported before the cap: importing is not the risk)
    import pypdfium2  # noqa: F401
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (max(seconds, 1), max(seconds, 1)))
    except (ImportError, ValueError, OSError):
        pass  # no rlimits on this platform: the parent's wall-clock timeout still holds
    # pdfminer logs a warning per oddity; a sloppy but readable PDF would flood stderr.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    logging.getLogger("pdfplumber").setLevel(logging.ERROR)
    data = sys.stdin.buffer.read()
    try:
        texts, notes = extract_pages(data, max_pages)
        verdict: dict = {"texts": texts, "notes": notes}
    except ReadError as exc:
        verdict = {"error": exc.code}
    except MemoryError:
        verdict = {"error": "too_complex"}
    except Exception:
        verdict = {"error": "corrupt"}
    sys.stdout.buffer.write(json.dumps(verdict, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
