"""Files → Document. One reader per format; this module picks it and applies the limits
that hold for every format. Every failure is a ReadError with a one-line reason."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.errors import ReadError

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".txt", ".text", ".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")  # what a folder is searched for
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
RECORD_SUFFIXES = (".csv", ".json")  # records (perfboard.records): read only when named, never found in a folder

__all__ = ["read_bytes", "read_path", "read_file", "ReadError", "MAX_BYTES", "SUFFIXES"]


def read_path(path: str | Path) -> Document:
    path = Path(path)
    return read_bytes(read_file(path), path.name)


def read_file(path: str | Path) -> bytes:
    """A file's bytes; a symbolic link (a report.txt pointing at /etc/passwd would be shown
    to every viewer), a device, pipe or socket, or a file over MAX_BYTES is a ReadError.
    The file is opened without following links and checked on the open descriptor, so
    it cannot be swapped between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise errors.symlink() from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise errors.not_regular()
        if info.st_size > MAX_BYTES:  # refuse before reading it into memory
            raise errors.too_large(MAX_BYTES // (1024 * 1024))
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # grew while we read
        raise errors.too_large(MAX_BYTES // (1024 * 1024))
    return data


def read_bytes(data: bytes, name: str) -> Document:
    if not data:
        raise errors.empty()
    if len(data) > MAX_BYTES:
        raise errors.too_large(MAX_BYTES // (1024 * 1024))
    suffix = Path(name).suffix.lower()
    if suffix in (".txt", ".text"):
        from perfboard.readers.text import read_text
        doc = read_text(data, name)
    elif suffix == ".pdf":
        from perfboard.readers.pdf import read_pdf
        doc = read_pdf(data, name)
    elif suffix == ".docx":
        from perfboard.readers.docx import read_docx
        doc = read_docx(data, name)
    elif suffix == ".xlsx":
        from perfboard.readers.xlsx import read_xlsx
        doc = read_xlsx(data, name)
    elif suffix in IMAGE_SUFFIXES:
        from perfboard.readers.image import read_image
        doc = read_image(data, name)
    elif suffix in RECORD_SUFFIXES:
        raise errors.records_file()
    else:
        raise errors.unknown_type(suffix)
    if not doc.text.strip():
        raise errors.no_text()
    from perfboard.traditional import to_simplified
    return to_simplified(doc)
