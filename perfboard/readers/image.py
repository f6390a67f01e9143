"""A photo or scan of a report page (PNG, JPEG) → one page read by OCR (perfboard.ocr).

Decoding and recognition run in a child process with the PDF reader's memory and time
caps: a decompression bomb or a pathological image costs that one file."""
from __future__ import annotations

import json
import logging
import os
import sys

from perfboard.document import Document
from perfboard.readers import errors
from perfboard.readers.errors import ReadError

MEMORY_LIMIT = 3 * 1024**3
TIME_LIMIT = 300            # seconds: one page
MAX_PIXELS = 80_000_000     # a 10,000 × 8,000 photo; beyond that Pillow's bomb check refuses it
MAX_SIDE = 4000             # larger images are scaled down before OCR (the engine works at ≤ 2000)

_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def read_image(data: bytes, name: str) -> Document:
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise errors.corrupt("image")
    from perfboard.readers.pdf import document_from_verdict, in_child

    verdict = in_child(data, "perfboard.readers.image", "image", 1, MEMORY_LIMIT, TIME_LIMIT)
    doc = document_from_verdict(name, verdict, "image")
    return doc


# ------------------------------------------------------------------ in the child process

def recognise_image(data: bytes):
    """Image bytes → OcrPage; raises ReadError. Unguarded: call through read_image."""
    import io

    from PIL import Image, ImageOps

    from perfboard import ocr

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)  # a phone's photo is stored sideways with a rotation tag
            img = img.convert("L")
    except (Image.DecompressionBombError, MemoryError) as exc:
        raise errors.too_complex("image") from exc
    except Exception as exc:
        raise errors.corrupt("image") from exc
    if max(img.size) > MAX_SIDE:
        scale = MAX_SIDE / max(img.size)
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)
    if min(img.size) < 16:
        raise errors.no_text_in_image()
    page = ocr.recognise(img)
    if not page.text.strip():
        raise errors.no_text_in_image()
    return page


def _child_main(argv: list[str]) -> None:
    from perfboard.lifetime import die_with_parent
    from perfboard.readers.pdf import apply_limits

    die_with_parent(os.getppid())  # a killed ingest (or dashboard) must not leave its reader running for minutes
    memory, seconds = int(float(argv[1])), float(argv[2])
    import PIL.Image  # noqa: F401  (imported before the cap)
    apply_limits(memory, seconds)
    logging.getLogger("PIL").setLevel(logging.ERROR)
    data = sys.stdin.buffer.read()
    try:
        page = recognise_image(data)
        verdict: dict = {"texts": [page.text], "notes": ["read by OCR: page 1"], "ocr": {"0": page.to_json()}}
    except ReadError as exc:
        verdict = {"error": exc.code, "en": exc.en, "zh": exc.zh}
    except MemoryError:
        verdict = {"error": "too_complex"}
    except ImportError:
        verdict = {"error": "no_ocr"}
    except Exception:
        verdict = {"error": "corrupt"}
    sys.stdout.buffer.write(json.dumps(verdict, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
