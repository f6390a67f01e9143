"""PDF → one string per page. pdfplumber does the work, and perfboard.readers.pdflayout
puts each page in reading order: a ruled table one row per line with its cells joined by
" | ", wrapped paragraph lines joined again, running headers and page numbers left out;
pypdfium2, which pdfplumber already depends on, reads pages whose fonts pdfminer cannot
decode and files whose structure pdfminer cannot repair. Pages with no usable text layer
(scans, or fonts that map to nothing) are rendered with pypdfium2 and read by OCR
(perfboard.ocr), within a time budget; each such page carries the recogniser's confidence.

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
from perfboard.readers import errors, pdflayout
from perfboard.readers.errors import ReadError

MAX_PAGES = 2000
MEMORY_LIMIT = 3 * 1024**3  # address space of the child, bytes
TIME_LIMIT = 600            # seconds, wall clock (CPU: this per core)
THIN_PAGE = 20             # characters: a text layer this short on a page with images is OCR'd too
OCR_SHARE = 0.8             # of TIME_LIMIT that OCR may use; later pages are left out, with a note

log = logging.getLogger(__name__)


def read_pdf(data: bytes, name: str) -> Document:
    if b"%PDF" not in data[:1024]:  # readers tolerate junk before the header, but not much
        raise errors.corrupt("PDF")
    verdict = in_child(data, "perfboard.readers.pdf", "PDF", MAX_PAGES, MEMORY_LIMIT, TIME_LIMIT)
    return document_from_verdict(name, verdict, "pdf")


def document_from_verdict(name: str, verdict: dict, fmt: str) -> Document:
    """The child's answer → Document; pages read by OCR keep the recogniser's text as their
    original and their boxes' confidence and repairs as OCR records."""
    from perfboard.ocr import OcrPage

    texts = verdict["texts"]
    ocr = {int(k): OcrPage.from_json(v) for k, v in (verdict.get("ocr") or {}).items()}
    originals = [ocr[k].raw if k in ocr else t for k, t in enumerate(texts)]
    doc = Document.from_pages(name, texts, fmt=fmt, paged=True, originals=originals)
    for k, page in sorted(ocr.items()):
        doc.add_ocr(k, page.spans, page.repairs)
    doc.notes.extend(verdict["notes"])
    return doc


def in_child(data: bytes, module: str, kind: str, max_pages: int, memory: int, seconds: float) -> dict:
    """Runs `python -m module max_pages memory seconds` with `data` on standard input and
    returns the JSON verdict it prints; a child killed by a limit, or one that takes longer
    than `seconds`, is a ReadError (too_complex), as is a crash (corrupt)."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    args = [sys.executable, "-m", module, str(max_pages), str(memory), str(seconds)]
    try:
        proc = subprocess.run(args, input=data, capture_output=True, timeout=seconds, env=env)
    except subprocess.TimeoutExpired as exc:
        raise errors.too_complex(kind) from exc
    try:
        verdict = json.loads(proc.stdout)
    except ValueError:
        verdict = None
    if not isinstance(verdict, dict):  # killed by a limit, crashed inside pdfium, or a bug
        log.warning("%s child exited with %s: %s", kind, proc.returncode,
                    proc.stderr.decode("utf-8", "replace")[-2000:])
        if proc.returncode < 0 or b"MemoryError" in proc.stderr:
            raise errors.too_complex(kind)
        raise errors.corrupt(kind)
    if "error" in verdict:
        if verdict.get("en") and verdict.get("zh"):
            raise ReadError(str(verdict["error"]), str(verdict["en"]), str(verdict["zh"]))
        raise _error(verdict["error"], kind)
    return verdict


def _error(code: str, kind: str = "PDF") -> ReadError:
    return {"encrypted": errors.encrypted, "no_text": errors.no_text, "no_ocr": errors.no_ocr,
            "too_complex": lambda: errors.too_complex(kind)}.get(code, lambda: errors.corrupt(kind))()


def apply_limits(memory: int, seconds: float) -> None:
    """In the child: cap its address space, and its CPU time at `seconds` per core (OCR
    keeps every core busy; the parent's wall-clock timeout is the real bound)."""
    cpu = max(int(seconds * (os.cpu_count() or 1)), 1)
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):
        pass  # no rlimits on this platform: the parent's wall-clock timeout still holds


# ------------------------------------------------------------------ in the child process

def extract_pages(data: bytes, max_pages: int = MAX_PAGES, ocr_deadline: float | None = None,
                  ocr_pages: dict | None = None) -> tuple[list[str], list[str]]:
    """Page texts and notes; raises ReadError. Unguarded: call through read_pdf. Pages
    without readable text are read by OCR until time.monotonic() passes `ocr_deadline`
    (None: no OCR); their OcrPage goes into `ocr_pages` by page index."""
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
    if ocr_deadline is not None:
        # a scan's text layer may hold no more than a page number or a scanner's stamp
        unread = set(missing)
        thin = [i for i, t in enumerate(texts) if i not in unread and len(re.sub(r"\s", "", t)) < THIN_PAGE]
        todo = sorted(missing + _with_images(data, thin))
        read, late = _ocr_pages(data, todo, ocr_deadline, notes) if todo else ({}, [])
        used = []
        for i, page in sorted(read.items()):
            if i in unread or len(page.text) > 2 * len(texts[i]):
                texts[i] = page.text
                used.append(i + 1)
                if ocr_pages is not None:
                    ocr_pages[i] = page
        if used:
            notes.append("read by OCR: pages " + ", ".join(map(str, used[:50])))
        missing = [i for i in missing if i not in read]
        if late and len(missing) == len(texts):
            raise errors.too_complex("PDF")  # out of time before any page was read
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
        return pdflayout.compose([_page_items(page) for page in pages])
    finally:
        try:
            pdf.close()  # walks the page tree again, so a damaged tree fails here too
        except Exception:
            pass


def _page_items(page) -> pdflayout.PageItems:
    blank = pdflayout.PageItems(0.0, 0.0, raw="")
    try:
        # Word/WPS fake bold by drawing each glyph twice; dedupe or every bold heading doubles.
        deduped = page.dedupe_chars()
        try:
            return pdflayout.page_items(deduped)
        except Exception as exc:
            if _cause(exc, MemoryError):
                raise
            # a table finder that trips on odd ruling should not cost the page its text
            return pdflayout.PageItems(0.0, 0.0, raw=deduped.extract_text() or "")
    except Exception as exc:
        if _cause(exc, MemoryError):
            raise MemoryError from exc  # the child's memory cap: the whole file is refused
        return blank  # one broken page should not lose the rest; pdfium gets a second try
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


def _ocr_pages(data: bytes, indexes: list[int], deadline: float, notes: list[str]) -> tuple[dict, list[int]]:
    """OCR of the given pages, rendered with pdfium; pages without ink are skipped, and so
    are those left when the deadline has passed. Returns {index: OcrPage} of the pages
    with text, and the indexes left for lack of time."""
    import time

    import pypdfium2 as pdfium

    from perfboard import ocr

    out: dict = {}
    late: list[int] = []
    try:
        doc = pdfium.PdfDocument(data)
    except Exception:
        return out, late
    try:
        for i in indexes:
            if time.monotonic() > deadline:
                late.append(i)
                continue
            try:
                page = doc[i]
                image = page.render(scale=ocr.RENDER_DPI / 72, grayscale=True).to_pil()
                page.close()
            except Exception:
                continue
            if not _has_ink(image):
                continue
            try:
                result = ocr.recognise(image)
            except ImportError:  # installed without the OCR engine: scans stay unread
                notes.append("OCR is not installed: pages without a text layer were not read")
                break
            if result.text.strip():
                out[i] = result
    finally:
        doc.close()
    if late:
        notes.append("OCR time limit: pages not read: " + ", ".join(str(i + 1) for i in late[:50]))
    return out, late


def _with_images(data: bytes, indexes: list[int]) -> list[int]:
    """Those of the given pages that hold an image."""
    if not indexes:
        return []
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
        doc = pdfium.PdfDocument(data)
    except Exception:
        return []
    out = []
    try:
        for i in indexes:
            try:
                page = doc[i]
                if next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2), None) is not None:
                    out.append(i)
                page.close()
            except Exception:
                continue
    finally:
        doc.close()
    return out


def _has_ink(image) -> bool:
    """Whether a rendered page shows anything at all: a blank page is not worth OCR."""
    lo, hi = image.convert("L").getextrema()
    return lo < 200 and hi - lo > 40


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
    import time

    started = time.monotonic()
    from perfboard.lifetime import die_with_parent

    die_with_parent(os.getppid())  # a killed ingest (or dashboard) must not leave its reader running for minutes
    max_pages, memory = (int(float(a)) for a in argv[:2])
    seconds = float(argv[2])
    import pdfplumber  # noqa: F401  (imported before the cap: importing is not the risk)
    import pypdfium2  # noqa: F401
    apply_limits(memory, seconds)
    # pdfminer logs a warning per oddity; a sloppy but readable PDF would flood stderr.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    logging.getLogger("pdfplumber").setLevel(logging.ERROR)
    data = sys.stdin.buffer.read()
    ocr_pages: dict = {}
    try:
        texts, notes = extract_pages(data, max_pages, started + OCR_SHARE * seconds, ocr_pages)
        verdict: dict = {"texts": texts, "notes": notes,
                         "ocr": {str(k): page.to_json() for k, page in ocr_pages.items()}}
    except ReadError as exc:
        verdict = {"error": exc.code}
    except MemoryError:
        verdict = {"error": "too_complex"}
    except Exception:
        verdict = {"error": "corrupt"}
    sys.stdout.buffer.write(json.dumps(verdict, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
