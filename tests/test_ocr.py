"""Reports users actually have: scans without a text layer, photos, Traditional characters.

The scans are made here: each bundled report's text rendered to A4 pages (Noto Sans CJK,
150 dpi), tilted by up to a degree, with noise, packed into an image-only PDF, then ingested
and scored with ../shared/tools/score_extraction.py's own functions."""
from __future__ import annotations

import importlib.util
import io
import json
import random
import shutil
import time
from pathlib import Path

import duckdb
import numpy as np
import pytest
from PIL import Image, ImageFilter

from conftest import ROOT, require
from perfboard import load, ocr, prepare
from perfboard.document import Document
from perfboard.extract import extract
from perfboard.readers import ReadError, read_bytes

REPORTS = ROOT / "data" / "reports"
TRUTH = ROOT.parent / "shared" / "corpus" / "seeds"
SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"
FONT = Path(ocr.FONT)

require(FONT.exists(), "needs Noto Sans CJK (make sysdeps)")


# ---------------------------------------------------------------- making scans

def scanned_pages(text: str, seed: int, dpi: int = 150) -> list[Image.Image]:
    """Text → page images as a flatbed scanner gives them: slightly tilted, noisy."""
    rng = random.Random(seed)
    out = []
    for page in ocr.render_text_pages(text, dpi=dpi):
        page = page.rotate(rng.uniform(-1, 1), resample=Image.BICUBIC, fillcolor=255)
        noisy = np.asarray(page).astype(np.int16)
        noisy += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 12, noisy.shape).astype(np.int16)
        out.append(Image.fromarray(noisy.clip(0, 255).astype(np.uint8)))
    return out


def image_pdf(pages: list[Image.Image], dpi: int = 150) -> bytes:
    """Pages → a PDF of images only: no text layer at all."""
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buf.getvalue()


def photo(text: str, angle: float = 2.5) -> Image.Image:
    """A phone's photo of a page: tilted, on grey paper under uneven light, noisy, soft."""
    page = ocr.render_text_pages(text, dpi=150)[0]
    page = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    ink = np.asarray(page).astype(np.float32) / 255.0
    h, w = ink.shape
    light = 185 + 30 * np.linspace(0, 1, w)[None, :] * np.linspace(0.6, 1, h)[:, None]
    pixels = ink * light + np.random.default_rng(3).normal(0, 10, ink.shape)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")


def scorer():
    if not SCORER.exists():
        pytest.skip("../shared/tools/score_extraction.py is not here")
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def field_f1(predictions: dict[str, dict], corpus: Path) -> tuple[float, list[str]]:
    """The scorer's field-level F1 over the reports in `corpus`, from contract objects by file."""
    s = scorer()
    tallies: dict = {}
    problems: list[str] = []
    for path in s.report_files(corpus):
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pred = predictions.get(path.name, {})
        for field, kind in s.SCALARS:
            tv, pv = s.get(truth, field), s.get(pred, field)
            tv = None if tv in ("", []) else tv
            pv = None if pv in ("", []) else pv
            ok = tv is not None and pv is not None and s.same(kind, tv, pv)
            tallies.setdefault(field, s.Tally()).add(tv is not None, pv is not None, ok)
            if (tv is not None and not ok) or (tv is None and pv is not None):
                problems.append(f"{path.name} {field}: want {tv!r}, got {pv!r}")
        from collections import defaultdict
        extra = defaultdict(s.Tally)
        s.score_satisfaction(truth.get("satisfaction"), pred.get("satisfaction"), extra, problems)
        s.score_indicators(truth.get("indicators"), pred.get("indicators"), extra, problems)
        for field, t in extra.items():
            total = tallies.setdefault(field, s.Tally())
            for attr in ("tp", "fp", "fn", "wrong"):
                setattr(total, attr, getattr(total, attr) + getattr(t, attr))
    total = s.Tally()
    for t in tallies.values():
        for attr in ("tp", "fp", "fn", "wrong"):
            setattr(total, attr, getattr(total, attr) + getattr(t, attr))
    return total.f1(), problems


def scan_corpus(tmp_path: Path, prefixes: list[str]) -> Path:
    """Image-only PDFs of the named seeds beside copies of their truth files."""
    if not TRUTH.exists():
        pytest.skip("../shared/corpus/seeds is not here")
    corpus = tmp_path / "scans"
    corpus.mkdir()
    for k, report in enumerate(sorted(REPORTS.glob("*.txt"))):
        if not any(report.name.startswith(p) for p in prefixes):
            continue
        pages = scanned_pages(report.read_text(encoding="utf-8"), seed=k)
        (corpus / f"{report.stem}.pdf").write_bytes(image_pdf(pages))
        shutil.copy(TRUTH / f"{report.stem}.json", corpus / f"{report.stem}.json")
    return corpus


def ingest_scans_and_score(tmp_path: Path, prefixes: list[str]) -> None:
    corpus = scan_corpus(tmp_path, prefixes)
    db_file = tmp_path / "scans.duckdb"
    started = time.perf_counter()
    outcomes = load.ingest_paths([corpus], db_file)  # ingest reads .pdf only, not the truth .json
    seconds = time.perf_counter() - started
    assert all(o.status == "stored" for o in outcomes), [o.line() for o in outcomes]
    predictions = {o.file: o.extraction.to_contract() for o in outcomes}
    f1, problems = field_f1(predictions, corpus)
    print(f"\nOCR ingest of {len(outcomes)} scanned reports: {seconds:.0f} s, field F1 {f1:.3f}")
    assert f1 >= 0.90, problems

    # every value in the database says that it was read by OCR, how sure the recogniser was, and where
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        rows = con.execute("SELECT metric, value, ocr, ocr_confidence, source_page, source_snippet "
                           "FROM v_metrics").fetchall()
        formats = con.execute("SELECT DISTINCT file_format FROM v_reports").fetchall()
    finally:
        con.close()
    assert formats == [("pdf",)]
    assert rows
    for metric, value, is_ocr, confidence, page, snippet in rows:
        assert is_ocr is True, metric
        assert confidence is not None and 0.5 <= confidence <= 1.0, (metric, confidence)
        assert page is not None and page >= 1
        assert snippet


def test_scanned_reports_are_read_by_ocr(tmp_path):
    """All five seeds as image-only scans (30 pages, about 80 s here): field F1 ≥ 0.90."""
    ingest_scans_and_score(tmp_path, ["000_", "001_", "002_", "003_", "004_"])


# ---------------------------------------------------------------- photos

def test_photo_of_the_tianhe_table_is_read():
    text = "\n".join((REPORTS / "000_6ba80dadf7886f78.txt").read_text(encoding="utf-8").splitlines()[:40])
    buf = io.BytesIO()
    photo(text).save(buf, "PNG")
    doc = read_bytes(buf.getvalue(), "天河区自评表.png")
    assert doc.fmt == "image" and doc.page_starts == [0]
    x = extract(doc)
    assert x.value("department") == "广州市天河区信访局"
    assert x.value("budget.adjusted_wan") == pytest.approx(727.41)
    assert x.value("budget.execution_rate_pct") == pytest.approx(94.01)
    for name in ("department", "budget.adjusted_wan", "budget.execution_rate_pct"):
        fact = x.facts[name]
        assert fact.page == 1
        assert 0.5 <= fact.ocr_confidence <= 1.0
    # the recogniser's words are the original; the facts point into them
    fact = x.facts["budget.adjusted_wan"]
    assert doc.original[doc.offsets[fact.start]:doc.offsets[fact.end - 1] + 1].strip() == "727.41"


def test_photo_as_jpeg_goes_through_ingest(tmp_path):
    text = "\n".join((REPORTS / "000_6ba80dadf7886f78.txt").read_text(encoding="utf-8").splitlines()[:22])
    buf = io.BytesIO()
    photo(text, angle=-1.5).save(buf, "JPEG", quality=85)
    outcomes = load.ingest_items([("photo.jpg", buf.getvalue())], tmp_path / "p.duckdb")
    assert outcomes[0].status == "stored", outcomes[0].line()
    assert outcomes[0].extraction.value("budget.execution_rate_pct") == pytest.approx(94.01)


@pytest.mark.parametrize("data,code", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "corrupt"),   # a PNG header and nothing behind it
    (b"GIF89a" + bytes(50), "corrupt"),                # not what the name says
])
def test_broken_images_are_read_errors(data, code):
    with pytest.raises(ReadError) as info:
        read_bytes(data, "x.png")
    assert info.value.code == code and info.value.zh


def test_blank_image_has_no_text():
    buf = io.BytesIO()
    Image.new("L", (800, 600), 235).save(buf, "PNG")
    with pytest.raises(ReadError) as info:
        read_bytes(buf.getvalue(), "blank.png")
    assert info.value.code == "no_text" and info.value.zh


def test_ocr_of_a_scan_is_capped_in_time(monkeypatch):
    """A scan that takes too long costs that file, not the batch or the dashboard."""
    from perfboard.readers import pdf as pdf_reader

    text = (REPORTS / "001_66040bb569d786f7.txt").read_text(encoding="utf-8")
    data = image_pdf(scanned_pages(text, seed=1)[:2])
    monkeypatch.setattr(pdf_reader, "TIME_LIMIT", 2)
    started = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_bytes(data, "slow-scan.pdf")
    assert info.value.code == "too_complex"
    assert time.perf_counter() - started < 10


def test_a_text_layer_is_not_ocrd():
    doc = read_bytes((REPORTS / "004_03db85e7bcb5560f.txt").read_bytes(), "r.txt")
    assert doc.ocr_spans == [] and all(f.ocr_confidence is None for f in extract(doc).all_facts())


# ---------------------------------------------------------------- repairs

@pytest.mark.parametrize("raw,fixed", [
    ("预算执行率 9O.5%", "预算执行率 90.5%"),     # O inside a number
    ("实际支出 72O.5万兀", "实际支出 720.5万元"),   # and 兀 read for 元
    ("727.41万兀", "727.41万元"),
    ("共收到 IO件", "共收到 10件"),                # no digit at all, but a unit: a count
    ("满意率 l00%", "满意率 100%"),
    ("来信 3,98l 件", "来信 3,981 件"),
    ("支出 1|2.5 万元", "支出 112.5 万元"),
])
def test_ocr_confusions_in_numbers_are_repaired(raw, fixed):
    text, repairs = ocr.repair(raw)
    assert text == fixed
    assert len(text) == len(raw)  # the recogniser's text stays the original, character for character
    assert repairs and all(text[s:e] == after and raw[s:e] == before for s, e, before, after in repairs)


@pytest.mark.parametrize("raw", [
    "IO接口",              # Latin letters before a word, no unit: not a number
    "使用 IOS 系统",        # letters glued to a Latin word
    "Oil 价格",
    "l 个",                 # a lone letter is more likely a word than a number
    "兀自",                 # 兀 not after an amount
    "共 10 件",             # nothing to repair
    "版本 V1.O",            # glued to a Latin letter
])
def test_no_repair_where_the_result_is_not_a_number_in_context(raw):
    text, repairs = ocr.repair(raw)
    assert text == raw and repairs == []


def test_repairs_are_recorded_in_the_document():
    page = ocr.OcrPage(*(lambda raw: (ocr.repair(raw)[0], raw, [(0, len(raw), 0.9)], ocr.repair(raw)[1]))(
        "部门名称 广州市天河区信访局\n实际支出数 683.83 预算执行率 9O.5%"))
    doc = Document.from_pages("scan.pdf", [page.text], fmt="pdf", originals=[page.raw])
    doc.add_ocr(0, page.spans, page.repairs)
    assert "90.5%" in doc.text and "9O.5%" in doc.original
    assert any("'9O.5' read as '90.5'" in n for n in doc.notes)
    start = doc.text.index("90.5")
    assert doc.ocr_repaired(start, start + 4) == [(start, start + 4, "9O.5", "90.5")]
    assert doc.ocr_confidence(start, start + 4) == pytest.approx(0.9)


def test_layout_keeps_table_cells_and_blank_lines():
    boxes = [ocr.Box(100, 100, 300, 130, "部门名称", 0.99), ocr.Box(320, 101, 600, 131, "广州市天河区信访局", 0.98),
             ocr.Box(900, 99, 1000, 129, "2022年", 0.97),
             ocr.Box(100, 145, 400, 175, "第二行", 0.95),
             ocr.Box(100, 260, 400, 290, "隔一空行", 0.9)]
    text, spans = ocr.layout(boxes)
    assert text == "部门名称 广州市天河区信访局   2022年\n第二行\n\n隔一空行"
    assert [text[s:e] for s, e, _ in spans] == ["部门名称", "广州市天河区信访局", "2022年", "第二行", "隔一空行"]
    assert spans[-1][2] == 0.9


# ---------------------------------------------------------------- Traditional characters

def test_traditional_report_is_the_same_department_and_values():
    import opencc

    s2t = opencc.OpenCC("s2t")
    for report in sorted(REPORTS.glob("*.txt")):
        simplified = report.read_text(encoding="utf-8")
        traditional = s2t.convert(simplified)
        assert traditional != simplified
        a = read_bytes(simplified.encode("utf-8"), report.name)
        b = read_bytes(traditional.encode("utf-8"), report.name)
        assert a.converted_from is None and b.converted_from == "traditional"
        assert b.original.replace("\r\n", "\n") == traditional.replace("\r\n", "\n")  # provenance: the source text
        xa, xb = extract(a), extract(b)
        assert xb.to_contract() == xa.to_contract(), report.name
        assert prepare.department_key(xb) == prepare.department_key(xa)
        fact, same = xb.facts["department"], xa.facts["department"]
        assert (fact.start, fact.end) == (same.start, same.end)  # Simplified text, offsets unchanged
        source = b.original[b.offsets[fact.start]:b.offsets[fact.end - 1] + 1]  # the Traditional original behind it
        assert source != a.text[same.start:same.end]
        assert opencc.OpenCC("t2s").convert(source) == a.text[same.start:same.end]


def test_traditional_department_name_key():
    from perfboard import traditional

    assert traditional.simplified("溫州市甌海區信訪局") == "温州市瓯海区信访局"
    text = "溫州市甌海區信訪局2022年度部門整體支出績效自評報告\n一、部門基本情況\n預算執行率 99.5%。"
    doc = read_bytes(text.encode("utf-8"), "trad.txt")
    x = extract(doc)
    assert x.value("department") == "温州市瓯海区信访局"
    assert prepare.department_key(x) == "温州市瓯海区信访局"
    assert "甌海區" in doc.original


def test_simplified_text_is_left_alone():
    from perfboard import traditional

    for report in sorted(REPORTS.glob("*.txt")):
        assert not traditional.is_traditional(report.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- speed

def test_benchmark_pages_reports_seconds_per_page():
    result = ocr.benchmark_pages(1)
    assert result["pages"] == 1 and result["characters"] > 200
    assert 0 < result["seconds_per_page"] < 120
    print(f"\nOCR: {result['seconds_per_page']} s/page at {result['dpi']} dpi")


def test_mixed_pdf_ocrs_only_the_pages_without_text():
    """Page 1 has a text layer; page 2 is a scan whose text layer holds only its page number."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", "", str(FONT))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.cell(text="部门名称 广州市天河区信访局 被评价年度 2022年")
    pdf.add_page()
    scan = scanned_pages("部门年度预算收入 727.41 部门年初预算收入 784.58\n\n预算完成率 94.01% 预算调整率 7.29%",
                         seed=4)[0]
    pdf.image(scan, x=0, y=0, w=210, h=297)
    pdf.set_xy(100, 285)
    pdf.cell(text="2")  # a page number: not a usable text layer
    doc = read_bytes(bytes(pdf.output()), "mixed.pdf")
    assert "read by OCR: pages 2" in doc.notes
    page2 = doc.page_starts[1]
    assert doc.ocr_spans and all(s >= page2 for s, _, _ in doc.ocr_spans)
    x = extract(doc)
    assert x.value("department") == "广州市天河区信访局" and x.facts["department"].ocr_confidence is None
    rate = x.facts["budget.execution_rate_pct"]
    assert rate.value == pytest.approx(94.01) and rate.page == 2 and rate.ocr_confidence > 0.5
