"""Reading and extracting a large TXT, DOCX or XLSX (or records file) in a child process with a memory and
time cap, as the PDF reader does (perfboard.readers.pdf): a 49 MB text or a workbook of a
million rows must cost that one file, not the dashboard server that received the upload
or the batch. Small files (nearly every report) are read in the calling process: a child
costs about half a second of start-up.

The child answers with a pickle of the document's stored fields and the extraction (the
document's per-character offset map stays in the child: for a large text it is the
biggest thing in memory, and nothing after extraction needs it)."""
from __future__ import annotations

import io
import json
import logging
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.errors import ReadError

CAPPED_SUFFIXES = {".txt": "text", ".text": "text", ".docx": "DOCX", ".xlsx": "XLSX"}
LARGE_TEXT = 1024 * 1024          # bytes of a TXT from which it is read in the child
LARGE_EXPANDED = 8 * 1024 * 1024  # bytes a DOCX/XLSX expands to (its zip directory says) from which …
LARGE_RECORDS = 64 * 1024         # bytes of a records file (CSV, JSON, XLSX) from which …
MEMORY_LIMIT = 2 * 1024**3        # address space of the child, bytes
TIME_LIMIT = 180                  # seconds, wall clock

log = logging.getLogger(__name__)


def read_and_extract(data: bytes, name: str):
    """(Document, Extraction) of a report file; ReadError for what cannot be read, or needs
    more than MEMORY_LIMIT or TIME_LIMIT."""
    from perfboard.extract import extract
    from perfboard.readers import read_bytes

    if not _large(data, name):
        doc = read_bytes(data, name)
        return doc, extract(doc)
    return in_child(data, name, MEMORY_LIMIT, TIME_LIMIT)


def _large(data: bytes, name: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix not in CAPPED_SUFFIXES:
        return False
    if suffix in (".txt", ".text"):
        return len(data) >= LARGE_TEXT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist()) >= LARGE_EXPANDED
    except Exception:
        return False  # not a zip: the reader says so at once


def prepare_records(data: bytes, name: str, sha256: str):
    """perfboard.prepare's rows of a records file (Prepared, or a failed Outcome), worked out
    in the capped child when the file is large: a records workbook of 100,000 rows takes
    minutes and gigabytes."""
    from perfboard import prepare

    if len(data) < LARGE_RECORDS:
        return prepare.prepare_records(name, data, sha256)
    return _run(data, name, {"mode": "records", "sha256": sha256}, MEMORY_LIMIT, TIME_LIMIT)["prepared"]


def in_child(data: bytes, name: str, memory: int, seconds: float):
    verdict = _run(data, name, {"mode": "report"}, memory, seconds)
    return Document(offsets=[], **verdict["doc"]), verdict["extraction"]


def _run(data: bytes, name: str, request: dict, memory: int, seconds: float) -> dict:
    kind = CAPPED_SUFFIXES.get(Path(name).suffix.lower()) or Path(name).suffix.lstrip(".").upper() or "text"
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    args = [sys.executable, "-m", "perfboard.readers.capped", str(memory), str(seconds)]
    header = json.dumps({"name": name, **request}).encode("utf-8") + b"\n"
    try:
        proc = subprocess.run(args, input=header + data, capture_output=True, timeout=seconds, env=env)
    except subprocess.TimeoutExpired as exc:
        raise errors.too_complex(kind) from exc
    try:
        verdict = pickle.loads(proc.stdout) if proc.returncode == 0 else None
    except Exception:
        verdict = None
    if not isinstance(verdict, dict):  # killed by a limit (or crashed)
        log.warning("%s child exited with %s: %s", kind, proc.returncode,
                    proc.stderr.decode("utf-8", "replace")[-2000:])
        if proc.returncode < 0 or b"MemoryError" in proc.stderr:
            raise errors.too_complex(kind)
        raise errors.corrupt(kind)
    if "error" in verdict:
        raise ReadError(*verdict["error"])
    return verdict


def _child_main(argv: list[str]) -> None:
    from perfboard.extract import extract
    from perfboard.readers import read_bytes
    from perfboard.lifetime import die_with_parent
    from perfboard.readers.pdf import apply_limits

    die_with_parent(os.getppid())  # a killed ingest must not leave its reader running for minutes
    memory, seconds = int(float(argv[0])), float(argv[1])
    import docx  # noqa: F401  (imported before the cap: importing is not the risk)
    import openpyxl  # noqa: F401
    import opencc  # noqa: F401
    apply_limits(memory, seconds)
    stdin = sys.stdin.buffer
    request = json.loads(stdin.readline())
    name = request["name"]
    data = stdin.read()
    try:
        if request["mode"] == "records":
            from perfboard import prepare
            sys.stdout.buffer.write(pickle.dumps({"prepared": prepare.prepare_records(name, data, request["sha256"])},
                                                 protocol=pickle.HIGHEST_PROTOCOL))
            return
        doc = read_bytes(data, name)
        extraction = extract(doc)
        fields = ("name", "text", "original", "page_starts", "fmt", "encoding", "notes", "original_page_starts",
                  "ocr_spans", "ocr_repairs", "converted_from")
        verdict: dict = {"doc": {f: getattr(doc, f) for f in fields}, "extraction": extraction}
    except ReadError as exc:
        verdict = {"error": (exc.code, exc.en, exc.zh)}
    except MemoryError:
        err = errors.too_complex(CAPPED_SUFFIXES.get(Path(name).suffix.lower(), "text"))
        verdict = {"error": (err.code, err.en, err.zh)}
    except Exception as exc:  # an extractor bug: said as such, as in the calling process
        verdict = {"error": ("bug", f"extraction failed ({type(exc).__name__}: {exc})", "抽取出错（程序错误）")}
    sys.stdout.buffer.write(pickle.dumps(verdict, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
