"""Plain text: UTF-8 (with or without BOM) first, then UTF-16 (with a BOM, or without one
when the zero bytes of its ASCII characters give it away), then GB18030 (a superset of GBK)."""
import re

from perfboard.document import Document
from perfboard.readers import errors

_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_lenient(data: bytes) -> str:
    """Bytes that must become some text, never a refusal (a truth file, a file's name): UTF-8 (a
    BOM dropped), then GB18030, else UTF-8 with U+FFFD for what neither reads."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def read_text(data: bytes, name: str) -> Document:
    if b"\x00" in data[:4096] and not data.startswith(_BOMS):
        # Notepad's "Unicode" without a BOM: digits, spaces and line ends carry a zero
        # byte in UTF-16; random binary does not decode as mostly CJK and ASCII text.
        for codec in _utf16_order(data):
            try:
                raw = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _plausible(raw):
                return Document.from_pages(name, [raw], fmt="txt", encoding=codec, paged=False)
        raise errors.binary_text()
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith(_BOMS):
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


def _utf16_order(data: bytes) -> tuple[str, str]:
    """Little-endian first when the zero bytes sit mostly at odd offsets (ASCII 'a' is 61 00)."""
    sample = data[:8192]
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    return ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")


def _plausible(text: str) -> bool:
    """Mostly what a Chinese report is made of: CJK, CJK punctuation, full-width forms,
    printable ASCII and whitespace."""
    sample = text[:20000]
    if not sample:
        return False
    good = sum(1 for c in sample if c.isspace() or " " <= c <= "~" or "\u4e00" <= c <= "\u9fff"
               or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u206f")
    return good / len(sample) > 0.95


def _looks_binary(text: str) -> bool:
    # GB18030 decodes almost any byte string; random bytes betray themselves by control
    # characters and private-use code points.
    sample = text[:20000]
    if not sample:
        return False
    bad = len(_BINARY.findall(sample))
    return bad / len(sample) > 0.02


# control characters but \t \n \f \r, private-use code points, the replacement character
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufffd]")
