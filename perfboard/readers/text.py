"""Plain text: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
from perfboard.document import Document
from perfboard.readers import errors


def read_text(data: bytes, name: str) -> Document:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise errors.binary_text()
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            raw = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(raw):
            raise errors.binary_text()
        label = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
        return Document.from_pages(name, [raw], fmt="txt", encoding=label, paged=False)
    raise errors.undecodable()


def _looks_binary(text: str) -> bool:
    # GB18030 decodes almost any byte string; random bytes betray themselves by control
    # characters and private-use code points.
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or 0xE000 <= ord(c) <= 0xF8FF
              or c == "\ufffd")
    return bad / len(sample) > 0.02
