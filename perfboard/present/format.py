"""Names, units, number formats and the marks that qualify a number. Pure: no Streamlit,
no database, so the charts and the tests use it as they are.

A missing value is never 0: it is "未披露". A number that was computed rather than
stated (※推算), that covers part of a year (1–10月), that belongs to one project rather
than the whole department (项目) or that an analyst corrected (已更正) says so."""
from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from perfboard.filters import KIND_LABELS  # one definition for the UI, the brief and the CLI
from perfboard.style import FONT_FAMILY  # noqa: F401  (charts import it from here)

MISSING = "未披露"


CATALOGUE = Path(__file__).resolve().parents[2] / "schema" / "metrics.csv"  # also the table metric_catalogue


@dataclass(frozen=True)
class Metric:
    """One row of the metric catalogue (schema/metrics.csv), which SQL joins as metric_catalogue."""
    label: str
    unit: str
    display_order: int
    card_order: int | None      # position among the 总览 cards; None: not a card
    compare_order: int | None   # position in 对比's list; None: not offered there
    channel: bool               # a petition channel (来信, 来访 …)
    brief: bool                 # summarised by the brief
    computed: bool              # computed by queries, never stored (so never corrected)


def _catalogue() -> dict[str, Metric]:
    def whole(text: str) -> int | None:
        return int(text) if text.strip() else None
    with open(CATALOGUE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["display_order"]))
    return {r["metric"]: Metric(r["label"], r["unit"], int(r["display_order"]), whole(r["card_order"]),
                                whole(r["compare_order"]), r["channel"] == "true", r["brief"] == "true",
                                r["computed"] == "true") for r in rows}


METRICS: dict[str, Metric] = _catalogue()
CHANNELS = tuple(m for m, x in METRICS.items() if x.channel)
# the order in which metrics are listed wherever all of them are shown
METRIC_ORDER = {name: x.display_order for name, x in METRICS.items()}

NOTES = {
    "derived": "※推算：报告没有直接写出这个数，由报告中的其他数字计算得出（如执行率 = 实际支出 ÷ 调整后预算）。",
    "partial": "期间数：只统计了{period}，不是全年数，不宜与全年数直接比较。",
    "project": "项目口径：单个项目的数据，不是部门整体数，不与部门整体数合计。",
    "corrected": "已更正：数值经分析人员更正，不是抽取原值。",
    "ocr": "OCR：数值由扫描件或照片识别得出，请对照原文核对。",
}


# 待核 reasons: the codes perfboard/extract/review.py writes to reports.review_reasons, in
# Chinese; the one place they are translated
REVIEW_REASONS = {
    "department_missing": "未识别出单位",
    "department_low_confidence": "单位名称存疑",
    "year_missing": "未识别出年度",
    "year_low_confidence": "年度存疑",
    "figures_missing": "未读出主要数字",
    "figures_low_confidence": "主要数字均存疑",
    "figure_low_confidence": "数字存疑",
}


def review_reasons(codes: str | None) -> str:
    """'department_missing,figure_low_confidence:budget.adjusted_wan,budget.execution_rate_pct'
    → '未识别出单位；数字存疑：调整后预算、预算执行率'. The field list of a code is itself
    comma-separated, so a piece naming a field belongs to the code before it; an unknown code
    is shown as it is."""
    out: list[tuple[str, list[str]]] = []
    for piece in (codes or "").split(","):
        piece = piece.strip()
        if not piece:
            continue
        code, _, field = piece.partition(":")
        if not field and code in METRICS and out:
            out[-1][1].append(metric_label(code))
            continue
        out.append((REVIEW_REASONS.get(code, code), [metric_label(field)] if field else []))
    return "；".join(f"{phrase}：{'、'.join(fields)}" if fields else phrase for phrase, fields in out)


def metric_label(metric: str, subject: str | None = None) -> str:
    label = METRICS[metric].label if metric in METRICS else metric
    return f"{label}（{subject}）" if subject else label


def unit_of(metric: str) -> str:
    """The catalogue's unit; "" for a metric it does not list."""
    return METRICS[metric].unit if metric in METRICS else ""


def titled(metric: str) -> str:
    """A metric's name with its unit, for axis and column titles: 实际支出（万元）."""
    unit = unit_of(metric)
    return f"{metric_label(metric)}（{unit}）" if unit else metric_label(metric)


def number(value, unit: str, with_unit: bool = False) -> str:
    """94.01% · 727.41 万元 · 16,992 件 · 95.50 分; None → 未披露."""
    if value is None or (isinstance(value, float) and value != value):
        return MISSING
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "件":
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}"
    return f"{text} {unit}" if with_unit and unit else text


def signed(change, unit: str) -> str | None:
    """A change for st.metric's delta: +1.20 个百分点, -695 件, +0.50 分."""
    if change is None:
        return None
    sign = "+" if change >= 0 else "-"
    size = abs(change)
    if unit == "%":
        return f"{sign}{size:.2f} 个百分点"
    if unit == "件":
        return f"{sign}{size:,.0f} 件"
    return f"{sign}{size:,.2f} {unit}".rstrip()


def period_label(start: str | None, end: str | None) -> str | None:
    """'01-01', '10-31' → '1–10月'; other spans → '3月5日–10月31日'; whole year → None."""
    if not start and not end:
        return None
    try:
        m1, d1 = (int(x) for x in (start or "01-01").split("-"))
        m2, d2 = (int(x) for x in (end or "12-31").split("-"))
    except ValueError:
        return f"{start or ''}–{end or ''}"
    if d1 == 1 and d2 == _MONTH_END.get(m2, 31):
        return f"{m1}月" if m1 == m2 else f"{m1}–{m2}月"
    return f"{m1}月{d1}日–{m2}月{d2}日"


_MONTH_END = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def marks(derived=False, period_start=None, period_end=None, report_kind=None, corrected=False, ocr=False,
          with_kind: bool = True) -> list[str]:
    """The short marks of a value; with_kind=False leaves out 项目 where the row's name says it."""
    out = []
    if derived:
        out.append("※推算")
    period = period_label(period_start, period_end)
    if period:
        out.append(period)
    if report_kind == "project" and with_kind:
        out.append("项目")
    if corrected:
        out.append("已更正")
    if ocr and not corrected:
        out.append("OCR")
    return out


def notes(derived=False, period_start=None, period_end=None, report_kind=None, corrected=False,
          ocr=False) -> list[str]:
    out = []
    if derived:
        out.append(NOTES["derived"])
    period = period_label(period_start, period_end)
    if period:
        out.append(NOTES["partial"].format(period=period))
    if report_kind == "project":
        out.append(NOTES["project"])
    if corrected:
        out.append(NOTES["corrected"])
    if ocr and not corrected:
        out.append(NOTES["ocr"])
    return out


def with_mark(text: str, mark_list: list[str]) -> str:
    return f"{text}（{'，'.join(mark_list)}）" if mark_list and text != MISSING else text


FLAG_COLUMNS = ("derived", "period_start", "period_end", "report_kind", "corrected", "ocr")


def annotate(df: pl.DataFrame) -> pl.DataFrame:
    """Adds `text` (the formatted value with its marks; 未披露 when missing), `mark` (all
    marks, 项目 included) and `note` (what the marks mean) to rows with value and metric
    (or unit) columns and whichever flag columns exist."""
    texts, mark_col, note_col = [], [], []
    for row in df.to_dicts():
        flags = {c: row.get(c) for c in FLAG_COLUMNS}
        unit = row.get("unit") or unit_of(row.get("metric") or "")
        shown = row.get("value") is not None
        found = marks(**flags) if shown else []
        texts.append(with_mark(number(row.get("value"), unit), marks(**flags, with_kind=False) if shown else []))
        mark_col.append("，".join(found) or None)
        note_col.append(" ".join(notes(**flags)) or None if shown else None)
    return df.with_columns(pl.Series("text", texts, pl.Utf8), pl.Series("mark", mark_col, pl.Utf8),
                           pl.Series("note", note_col, pl.Utf8))


def unit_label(department_key: str, report_kind: str | None, project_name: str | None = None) -> str:
    """The name of a series: a department, or one of its projects (never summed with it)."""
    if report_kind == "project":
        return f"{department_key}（项目{'：' + project_name if project_name else ''}）"
    return department_key


def hover_text(text: str | None, width: int = 30, limit: int = 150) -> str:
    """Report text for a plotly hover box: escaped, shortened and wrapped."""
    if not text:
        return "（无出处）"
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[:limit] + "…"
    lines = [html.escape(text[i:i + width]) for i in range(0, len(text), width)]
    return "<br>".join(lines)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Report text made safe for st.markdown: every Markdown sign escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


_CELL_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$#])")
_LIST_MARKER = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)")


def cell(text: str | None) -> str:
    """Report text made safe for a cell of st.table, which reads Markdown: the signs that
    could change it are escaped, and nothing else (an escaped cell costs the browser a
    full Markdown parse, and a ranking has hundreds of plain numbers)."""
    text = _CELL_SPECIAL.sub(r"\\\1", text or "")
    marker = _LIST_MARKER.match(text)
    if marker:  # "1. " or "- " at the start would make a list
        sign = marker.group(2)
        text = marker.group(1) + sign[:-1] + "\\" + sign[-1] + text[marker.end(2):]
    return text


def prepare(df: pl.DataFrame) -> pl.DataFrame:
    """A query's rows made ready to show: `unit_label` (the department, or its project),
    `metric_label`, and the formatted `text` with its `mark` and `note`."""
    if "department_key" in df.columns:
        kinds = df["report_kind"] if "report_kind" in df.columns else pl.Series([None] * df.height)
        projects = df["project_name"] if "project_name" in df.columns else pl.Series([None] * df.height)
        df = df.with_columns(pl.Series("unit_label", [unit_label(k, r, p) for k, r, p in
                                                      zip(df["department_key"], kinds, projects)], pl.Utf8))
    if "metric" in df.columns:
        subjects = df["subject"] if "subject" in df.columns else pl.Series([None] * df.height)
        df = df.with_columns(pl.Series("metric_label", [metric_label(m, s) if m else None for m, s in
                                                        zip(df["metric"], subjects)], pl.Utf8))
    if "value" in df.columns:
        df = annotate(df)
    return df


_TEXT_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:^=])")


def text_markdown(text: str) -> str:
    """Report text shown through st.markdown as text: every markdown character escaped."""
    return _TEXT_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def highlighted(text: str, facts: pl.DataFrame) -> str:
    """The report text as markdown with each extracted (or corrected) value's span marked."""
    spans = sorted({(r["source_offset"], r["source_offset"] + (r["source_length"] or 0), bool(r["corrected"]))
                    for r in facts.iter_rows(named=True) if r["source_offset"] is not None and r["source_length"]})
    out, pos = [], 0
    for start, end, corrected in spans:
        if start < pos:
            continue
        out.append(text_markdown(text[pos:start]))
        colour = "violet" if corrected else "orange"
        out.append(f":{colour}-background[{text_markdown(text[start:end])}]")
        pos = end
    out.append(text_markdown(text[pos:]))
    return "".join(out)
