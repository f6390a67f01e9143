"""The real-layout corpus (tests/corpus/real/) stays honest: every truth file has the
contract's shape (../shared/contract/extraction.md), every figure in it is written in its
report as the reader sees it, and the committed PDFs/DOCX/XLSX are what build_real.py makes
from the authored sources. A truth file that drifts from its report fails here, not in a
score nobody can explain."""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from perfboard.readers import read_path

CORPUS = Path(__file__).parent / "corpus"
REAL = CORPUS / "real"
TRUTHS = sorted(REAL.glob("*.json"))

KEYS = {"file", "department", "province", "city", "district", "evaluated_year", "document_type",
        "report_kind", "project_name", "budget", "score", "petitions", "satisfaction", "indicators", "traps"}
EXTRA = {"encoding"}  # the dev corpus's convention for text files
BUDGET = ("initial_wan", "adjusted_wan", "actual_wan", "execution_rate_pct")
COUNTS = ("total", "letters", "visits", "online", "calls", "prior_year_total")
PETITION_KEYS = set(COUNTS) | {"period_start", "period_end"}
SAT_KEYS = {"subject", "satisfaction_pct", "participation_pct", "target_pct"}
IND_KEYS = {"level1", "level2", "level3", "target", "actual"}
DOCUMENT_TYPES = {"self_evaluation", "final_accounts", "budget", "other"}
KINDS = {"department_overall", "project"}
GRADES = {"优", "良", "中", "差"}
MMDD = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _report(truth_path: Path) -> Path:
    return REAL / json.loads(truth_path.read_text(encoding="utf-8"))["file"]


_read: dict[Path, str] = {}


def read_text(path: Path) -> str:
    """The text the extractor gets: the real readers (a PDF through pdfplumber in a child
    process), Traditional → simplified. Cached: the PDFs are read by two tests."""
    if path not in _read:
        _read[path] = read_path(path).text
    return _read[path]


def report_text(path: Path) -> str:
    return unicodedata.normalize("NFKC", read_text(path))


# ---------------------------------------------------------------- numbers as written

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")


def _cn_int(s: str) -> int | None:
    if s and all(c in _DIGIT for c in s) and len(s) > 1:  # 二〇一九: digit by digit
        return int("".join(str(_DIGIT[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _DIGIT:
            digit = _DIGIT[c]
        elif c in _UNIT:
            section += (1 if digit is None else digit) * _UNIT[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        elif c == "亿":
            total += (section + (digit or 0)) * 100000000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _cn_number(s: str) -> float | None:
    whole, _, frac = s.partition("点")
    n = _cn_int(whole) if whole else 0
    if n is None:
        return None
    if frac:
        return float(f"{n}.{''.join(str(_DIGIT[c]) for c in frac)}")
    return float(n)


def numbers_in(text: str) -> list[float]:
    """Every number the text writes: Arabic (thousands separators allowed) and Chinese."""
    out = [float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]
    for run in _CN_RUN.findall(text):
        value = _cn_number(run.rstrip("万亿"))
        if value is not None:
            out.append(value)
    return out


def stated(value: float, numbers: list[float], money: bool) -> bool:
    """`value` is written in the text: as is, or (money in 万元) as 元 or 亿元, or rounded to
    the truth's two decimals (318.6420 → 318.64)."""
    for n in numbers:
        candidates = [n, round(n, 2)]
        if money:
            candidates += [round(n / 10000, 2), round(n * 10000, 2)]
        if any(abs(c - value) < 0.006 for c in candidates):
            return True
    return False


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------- the tests

def test_corpus_size_and_spread():
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in TRUTHS]
    suffixes = [Path(t["file"]).suffix for t in truths]
    assert len(truths) >= 44
    assert suffixes.count(".pdf") >= 12
    assert suffixes.count(".docx") + suffixes.count(".xlsx") >= 6
    assert len({t["province"] for t in truths}) >= 12
    assert {t["document_type"] for t in truths} == DOCUMENT_TYPES
    assert {t["report_kind"] for t in truths} == KINDS
    assert sum(t.get("encoding") == "gbk" for t in truths) >= 3
    # every report has its truth file and vice versa
    reports = sorted(p.name for p in REAL.iterdir() if p.suffix not in (".json", ".md"))
    assert reports == sorted(t["file"] for t in truths)


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_truth_shape(truth_path):
    t = json.loads(truth_path.read_text(encoding="utf-8"))
    assert KEYS <= set(t) <= KEYS | EXTRA
    assert t["file"] == truth_path.with_suffix(Path(t["file"]).suffix).name
    for key in ("department", "province"):
        assert isinstance(t[key], str) and t[key]
    for key in ("city", "district", "project_name"):
        assert t[key] is None or isinstance(t[key], str) and t[key]
    assert isinstance(t["evaluated_year"], int) and 2010 <= t["evaluated_year"] <= 2030
    assert t["document_type"] in DOCUMENT_TYPES
    assert t["report_kind"] in KINDS
    assert (t["project_name"] is not None) <= (t["report_kind"] == "project")
    assert set(t["budget"]) == set(BUDGET)
    for key in BUDGET:
        v = t["budget"][key]
        assert v is None or isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
        assert v is None or round(v, 2) == v, f"{key} must have at most 2 decimals"
    if t["budget"]["execution_rate_pct"] is not None:
        assert 1 < t["budget"]["execution_rate_pct"] <= 150, "a rate is in percent"
    if t["document_type"] == "budget":  # a plan: nothing spent, nothing derived
        assert [t["budget"][k] for k in BUDGET[1:]] == [None, None, None]
    assert set(t["score"]) == {"total", "grade"}
    assert t["score"]["total"] is None or 0 < t["score"]["total"] <= 100
    assert t["score"]["grade"] is None or t["score"]["grade"] in GRADES
    p = t["petitions"]
    assert set(p) == PETITION_KEYS
    for key in COUNTS:
        assert p[key] is None or isinstance(p[key], int) and not isinstance(p[key], bool) and p[key] >= 0
    assert (p["period_start"] is None) == (p["period_end"] is None), "a period has both ends or none"
    for key in ("period_start", "period_end"):
        assert p[key] is None or MMDD.fullmatch(p[key])
    assert isinstance(t["satisfaction"], list) and isinstance(t["indicators"], list)
    for s in t["satisfaction"]:
        assert set(s) == SAT_KEYS and isinstance(s["subject"], str)
        for key in SAT_KEYS - {"subject"}:
            assert s[key] is None or isinstance(s[key], (int, float)) and 0 < s[key] <= 100
        assert s["satisfaction_pct"] is not None
    for i in t["indicators"]:
        assert set(i) == IND_KEYS
        assert isinstance(i["level3"], str) and i["level3"]
        assert all(i[k] is None or isinstance(i[k], str) for k in IND_KEYS)
    assert isinstance(t["traps"], list) and t["traps"] and all(isinstance(x, str) for x in t["traps"])
    if Path(t["file"]).suffix == ".txt":
        data = (REAL / t["file"]).read_bytes()
        data.decode(t["encoding"])  # the stated encoding reads the file
        if t["encoding"] == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_truth_is_what_the_report_states(truth_path):
    t = json.loads(truth_path.read_text(encoding="utf-8"))
    text = report_text(_report(truth_path))
    flat = squeeze(text)
    numbers = numbers_in(text)
    assert squeeze(t["department"]) in flat, "the department name as the report gives it"
    assert t["evaluated_year"] in [int(n) for n in numbers], "the evaluated year is written"
    if t["project_name"]:
        assert squeeze(t["project_name"]) in flat
    b = t["budget"]
    for key in ("initial_wan", "adjusted_wan", "actual_wan"):
        if b[key] is not None:
            assert stated(b[key], numbers, money=True), f"budget.{key} {b[key]} is not in the text"
    rate = b["execution_rate_pct"]
    if rate is not None and not stated(rate, numbers, money=False):
        # the one derived figure the contract allows: actual / adjusted
        assert b["actual_wan"] and b["adjusted_wan"], "a rate not in the text must be derived"
        assert abs(b["actual_wan"] / b["adjusted_wan"] * 100 - rate) < 0.006
    if t["score"]["total"] is not None:
        assert stated(t["score"]["total"], numbers, money=False)
    if t["score"]["grade"]:
        assert t["score"]["grade"] in flat
    for key in COUNTS:
        v = t["petitions"][key]
        if v is not None:
            assert stated(v, numbers, money=False), f"petitions.{key} {v} is not in the text"
    for s in t["satisfaction"]:
        for key in ("satisfaction_pct", "participation_pct", "target_pct"):
            if s[key] is not None:
                assert stated(s[key], numbers, money=False), f"satisfaction {key} {s[key]}"
    for i in t["indicators"]:
        assert squeeze(i["level3"]) in flat, f"indicator {i['level3']}"
        if i["actual"]:
            assert squeeze(i["actual"]) in flat, f"indicator {i['level3']} actual {i['actual']}"


def _builder():
    spec = importlib.util.spec_from_file_location("build_real", CORPUS / "build_real.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_reports_are_what_the_sources_build(tmp_path, monkeypatch):
    """The generated files are committed (eval needs no build step); they must still be the
    rendering of real_src/, so an edit to a source without a rebuild fails here."""
    build = _builder()
    monkeypatch.setattr(build, "OUT", tmp_path)
    sources = sorted(build.SRC.glob("*.src"))
    assert [s.stem for s in sources] == [p.stem for p in TRUTHS]
    for src in sources:
        fresh = build.build(src)
        committed = REAL / fresh.name
        assert committed.exists(), f"{fresh.name}: run tests/corpus/build_real.py"
        if fresh.suffix == ".txt":
            assert fresh.read_bytes() == committed.read_bytes(), f"{fresh.name}: rebuild"
        else:  # binary containers: compare what the reader sees, not font-subset bytes
            assert read_path(fresh).text == read_text(committed), f"{fresh.name}: rebuild"


def test_readme_lists_every_report():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for p in TRUTHS:
        t = json.loads(p.read_text(encoding="utf-8"))
        assert re.search(rf"^\| {re.escape(t['file'])} \| {re.escape(t['department'])} \|", readme, re.M), t["file"]
