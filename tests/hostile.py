"""Issue 16's hostile corpus, shared by the page tests (AppTest and Chromium) and the load
test: one string with Markdown (bold, a link, an image, KaTeX), HTML (an image with a
handler, a link) and a spreadsheet formula, put in every place a report or records file
controls — the department, the project, the satisfaction subject, the file name, an
indicator's text, the sentences numbers come from, the problems and measures — and the
names of files that cannot be read."""
from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

from conftest import REPORTS

HOSTILE = ('**b** [点此登录](https:evil.example) ![t](https:evil.example) $$x^2$$ '
           '<img src=x onerror=alert(1)> <a href=x>y</a> =HYPERLINK("http://x","y")')
# a file on disk cannot have "/" in its name
HOSTILE_FILE = HOSTILE.replace("/", "")
# the records file's department, as stored (white space dropped from a department's name)
DEPARTMENT = "".join(f"广州市{HOSTILE}信访局".split())
PROJECT = "".join(HOSTILE.split())
# what a page may not contain because of the corpus: a link or image to evil.example or to
# "x", a formula (KaTeX), and the **b** in bold (checked apart)
INJECTED = 'a[href*="evil"], img[src*="evil"], a[href="x"], img[src="x"], .katex'


def report_text() -> str:
    """A report of 广州市天河区信访局 for 2020 (the 2022 seed, moved) with the string in a
    sentence four numbers come from, in an indicator's name and text, and at the start
    of its problems and its measures."""
    text = next(REPORTS.glob("000_*.txt")).read_text(encoding="utf-8")
    for old, new in (("2022年，共收到", f"2022年，{HOSTILE}共收到"),
                     ("重点信访事项办结率\n", f"重点信访事项办结率{HOSTILE}\n"),
                     ("件，及时受理率为", f"件，{HOSTILE}及时受理率为"),
                     ("存在问题\n", f"存在问题\n{HOSTILE}；"),
                     ("改进措施或下一步计划\n", f"改进措施或下一步计划\n{HOSTILE}；")):
        assert old in text, old
        text = text.replace(old, new)
    return text.replace("2022", "2020")


def records_csv() -> bytes:
    """A records file: the hostile department in 2022 and 2023, and its hostile project;
    the subject of its satisfaction rate hostile too. Figures invented."""
    from perfboard import records
    place = {"单位名称": f"广州市{HOSTILE}信访局", "省份": "广东省", "城市": "广州市"}
    rows = [dict(place, 被评价年度="2022", **{"调整后预算（万元）": "100", "实际支出（万元）": "90", "自评得分": "91",
                                          "评价等级": "优", "信访总量（件）": "500", "满意度对象": HOSTILE,
                                          "满意率（%）": "97.5", "目标值（%）": "95"}),
            dict(place, 被评价年度="2023", **{"年初预算（万元）": "110", "调整后预算（万元）": "120",
                                          "实际支出（万元）": "100", "自评得分": "93", "信访总量（件）": "450",
                                          "满意度对象": HOSTILE, "满意率（%）": "98.5", "参评率（%）": "60"}),
            dict(place, 被评价年度="2023", **{"报告类型": "项目", "项目名称": HOSTILE, "调整后预算（万元）": "20",
                                          "实际支出（万元）": "18", "自评得分": "88"})]
    header = [c.header for c in records.COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode("utf-8")


def items() -> list[tuple[str, bytes]]:
    """(name, bytes) for load.ingest_items / an upload: two that are stored, one that is not."""
    return [(f"{HOSTILE}.txt", report_text().encode("utf-8")),
            (f"{HOSTILE}.csv", records_csv()),
            (f"{HOSTILE}（空）.txt", b"")]


def zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml expands to 300 MB of zeros (about 300 KB zipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"0" * (1 << 20)
            for _ in range(300):
                member.write(block)
    return buffer.getvalue()


def folder(root: Path) -> tuple[list[Path], dict[str, str | None]]:
    """Writes the corpus, and the files no reader may accept, to `root` for `perfboard
    ingest`; returns the paths to give it (the folder, and the records file, which a
    folder search skips) and file name → words of the reason its refusal must give (None:
    stored)."""
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    (root / f"{HOSTILE_FILE}.txt").write_text(report_text(), encoding="utf-8")
    expected[f"{HOSTILE_FILE}.txt"] = None
    (root / f"{HOSTILE_FILE}.csv").write_bytes(records_csv())
    expected[f"{HOSTILE_FILE}.csv"] = None
    # a UTF-16 text without a BOM is read (a report of its own: another year)
    utf16 = next(REPORTS.glob("003_*.txt")).read_text(encoding="utf-8").replace("2022", "2019")
    (root / "utf16-无BOM.txt").write_bytes(utf16.encode("utf-16-le"))
    expected["utf16-无BOM.txt"] = None
    (root / f"{HOSTILE_FILE}（空）.txt").write_bytes(b"")
    expected[f"{HOSTILE_FILE}（空）.txt"] = "the file is empty"
    (root / "random.pdf").write_bytes(random.Random(16).randbytes(64 * 1024))
    expected["random.pdf"] = "damaged"
    (root / "bomb.docx").write_bytes(zip_bomb_docx())
    expected["bomb.docx"] = "zip bomb"
    (root / "passwd.txt").symlink_to("/etc/passwd")
    expected["passwd.txt"] = "symbolic link"
    with open(root / "huge.txt", "wb") as f:  # sparse: no disk used, but 200 MB long
        f.truncate(200 * 1024 * 1024)
    expected["huge.txt"] = "larger than 50 MB"
    return [root, root / f"{HOSTILE_FILE}.csv"], expected
