"""DOCX and XLSX are zip archives: refuse ones that would expand to an absurd size before
a parser inflates them. The sizes in the central directory are enough: zipfile stops
reading a member at its declared size, so a member that lies only gets cut short."""
from __future__ import annotations

import io
import zipfile

from perfboard.readers import errors

MAX_TOTAL = 200 * 1024 * 1024
MAX_RATIO = 200
LARGE_MEMBER = 10 * 1024 * 1024  # small members (styles, themes) legitimately compress very well
MAX_MEMBERS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(data: bytes, kind: str) -> None:
    """Raise ReadError unless `data` is a zip archive of reasonable expanded size."""
    if data.startswith(_OLE_MAGIC):
        # Office saves password-protected DOCX/XLSX as an OLE container holding an
        # EncryptedPackage stream; anything else OLE is an old .doc/.xls renamed.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise errors.encrypted()
        raise errors.corrupt(kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, but also ValueError/OverflowError on mangled headers
        raise errors.corrupt(kind) from exc
    if len(infos) > MAX_MEMBERS:
        raise errors.zip_bomb()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size >= LARGE_MEMBER and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise errors.zip_bomb()
    if total > MAX_TOTAL:
        raise errors.zip_bomb()
