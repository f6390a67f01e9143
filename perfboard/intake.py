"""What a file is, decided in one place: the rows of a records file (the template's
columns, perfboard.records) or a report (perfboard.readers, one reader per format).
`ingest`, `reextract`, `extract` and uploads all open files through here."""
from __future__ import annotations

from pathlib import Path

from perfboard import records
from perfboard.document import Document
from perfboard.readers import MAX_BYTES, errors, read_bytes


def open_bytes(data: bytes, name: str) -> Document | records.Records:
    """A report's Document, or a records file's validated rows; ReadError when it is neither
    (with the one-line reason)."""
    if records.is_records(data, name):
        return records.read_records(data, name)
    return read_bytes(data, name)


def open_path(path: str | Path) -> Document | records.Records:
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:  # refused before it is read into memory
        raise errors.too_large(MAX_BYTES // (1024 * 1024))
    return open_bytes(path.read_bytes(), path.name)
