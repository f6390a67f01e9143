"""Names, units, number formats and the marks that qualify a number. Pure: no Streamlit,
no database, so the charts and the tests use it as they are.

A missing value is never 0: it is "未披露". A number that was computed rather than
stated (※推算), that covers part of a year (1–10月), that belongs to one project rather
than the whole department (项目), that an analyst corrected (已更正) or that comes from a 决算
(决算数) or a 预算, a plan (预算（计划）), rather than a self-evaluation, says so."""
from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from perfboard import markdown_safe
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
    meaning: str = ""           # what it is: its formula or definition
    better: str = ""            # 越高越好 | 越低越好 | "" (neither direction is good in itself)


def _catalogue() -> dict[str, Metric]:
    def whole(text: str) -> int | None:
        return int(text) if text.strip() else None
    with open(CATALOGUE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["display_order"]))
    return {r["metric"]: Metric(r["label"], r["unit"], int(r["display_order"]), whole(r["card_order"]),
                                whole(r["compare_order"]), r["channel"] == "true", r["brief"] == "true",
                                r["computed"] == "true", r.get("meaning") or "", r.get("better") or "")
            for r in rows}


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
    "final_accounts": "决算数：出自部门（单位）决算，不是绩效自评报告；实际支出为决算的本年支出合计（支出总计），"
                      "收入不计为预算或支出。",
    "budget": "预算（计划）：出自部门预算，是年初的计划数，当年尚未支出；不是执行数，不与实际支出比较。",
}

# what a figure's source document is, where it is not a self-evaluation (v_reports.document_type):
# the mark beside the number; a notice or bulletin (other) and a self-evaluation carry none
DOCUMENT_MARKS = {"final_accounts": "决算数", "budget": "预算（计划）"}
# a chart's subtitle, when some of its figures come from such a document
DOCUMENT_NOTES = {"final_accounts": "标“决算数”的出自决算（同年有自评报告时用自评报告）",
                  "budget": "标“预算（计划）”的是计划数，不是执行数"}


def document_notes(rows) -> list[str]:
    """A chart's subtitle says which of its figures come from a 决算 or a 预算 plan rather than a
    self-evaluation (each bar's label and hover carry the mark itself)."""
    found = {r.get("document_type") for r in rows if r.get("value") is not None}
    return [DOCUMENT_NOTES[d] for d in DOCUMENT_MARKS if d in found]


# which report of a unit-year the charts show (queries/load/prefer_primary.sql chooses it), said
# on the pages that compare execution
DOCUMENT_RULE = ("同一单位同一年度有多份报告时，图表只用其中的主报告：绩效自评报告优先，其次决算（标“决算数”），"
                 "再次通报等，部门预算最后。部门预算（标“预算（计划）”）是计划数，只提供年初预算，"
                 "不参与预算执行率、实际支出与预算调整率的比较。")
# the document itself, named in Chinese (cards, 数据与来源)
DOCUMENT_LABELS = {"self_evaluation": "绩效自评", "final_accounts": "决算", "budget": "预算（计划）",
                   "other": "其他（通报、通知等）"}


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


def meaning(metric: str) -> str:
    """What a metric is and which direction is good, from the catalogue: 预算执行率 = 实际支出 ÷
    调整后预算 × 100%；越高越好. "" for a metric it does not list."""
    if metric not in METRICS:
        return ""
    m = METRICS[metric]
    return f"{m.meaning}；{m.better}" if m.better else m.meaning


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
          document_type=None, with_kind: bool = True) -> list[str]:
    """The short marks of a value; with_kind=False leaves out 项目 where the row's name says it."""
    out = []
    if document_type in DOCUMENT_MARKS:
        out.append(DOCUMENT_MARKS[document_type])
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
          ocr=False, document_type=None) -> list[str]:
    out = []
    if document_type in DOCUMENT_MARKS:
        out.append(NOTES[document_type])
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


FLAG_COLUMNS = ("derived", "period_start", "period_end", "report_kind", "corrected", "ocr", "document_type")


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


HOVER_WIDTH = 20  # characters per hover line: 30 made a box wider than a 390 px phone, which clipped it


_UNBROKEN = re.compile(r"[0-9A-Za-z.,%]")  # a number (with its separators) or a word stays on one line


def hover_text(text: str | None, width: int = HOVER_WIDTH, limit: int = 150) -> str:
    """Report text for a plotly hover box: escaped, shortened and wrapped at about `width`
    characters, never inside a number ("1,234.56万元" is not split over two lines)."""
    if not text:
        return "（无出处）"
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[:limit] + "…"
    lines, start = [], 0
    while len(text) - start > width:
        cut = start + width
        back = cut  # move the break back to the start of a number it would fall in
        while back > start and _UNBROKEN.match(text[back - 1]) and _UNBROKEN.match(text[back]):
            back -= 1
        cut = back if back > start else cut
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return "<br>".join(html.escape(line) for line in lines)


def plain(text: str | None) -> str:
    """Report text for a one-line Markdown place (a caption, heading, label, help text):
    every Markdown sign escaped, by the one helper (perfboard.markdown_safe)."""
    return markdown_safe.label(text)


def cell(text: str | None) -> str:
    """Report text for a cell of a Markdown table (the 总览 leaderboards): escaped by
    perfboard.markdown_safe; a plain number is left as it is."""
    return markdown_safe.cell(text)


def plotly_text(text: str | None) -> str:
    """Report text for a plotly label (axis tick, legend, title, hover box): plotly reads
    <a>, <b>, <br> … in them as tags and shows entities as their signs, so < > & are
    written as entities and the text shows as typed."""
    return html.escape(text or "", quote=False)


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


def text_markdown(text: str) -> str:
    """Report text shown through st.markdown as text (a piece of a longer text: its line
    breaks kept)."""
    return markdown_safe.fragment(text)


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


def year_span(years) -> str:
    """[2019, 2021, 2022, 2023] → 2019、2021–2023 年; runs of years joined by a dash."""
    years = sorted(set(y for y in years or [] if y is not None))
    if not years:
        return MISSING
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) + " 年"


def freshness(reports: int, latest_import, years, units: int | None = None, **_) -> str:
    """The line at the top of every page (queries/data/freshness.sql): how much is stored,
    when it was last imported and which years it covers, so nobody reads an old database
    as today's."""
    when = latest_import.strftime("%Y-%m-%d %H:%M") if latest_import is not None else MISSING
    who = f"{units:,} 个单位的 " if units else ""
    return f"数据：已入库 {who}{reports:,} 份报告 ｜ 覆盖 {year_span(years)} ｜ 最近导入 {when}"


# where a value came from, in words, for each family of extraction rules (perfboard/extract:
# the rule name is "<family>.<what it looked for>"); the review page shows these, not the names
_RULE_WHOLE = {
    "derived.actual/adjusted": "推算：实际支出 ÷ 调整后预算",
    "satisfaction.table_row": "满意度表格中该评价对象的一行",
    "prior.比上年": "正文“比上年…件”句（报告引述的上年数）",
    "score.总分行": "评分表「总分」行",
    "title.整体": "报告标题（部门整体）",
    "title.项目": "报告标题（项目）",
    "date.落款": "文末落款日期",
    "gazetteer": "地名表匹配的单位名称",
    "title": "报告标题",
    "signature": "文末署名",
    "records": "录入表（按模板填写的汇总表）",
}
_RULE_FAMILY = {
    "table": "表格「{}」列",
    "label": "正文“{}…”处",
    "petitions": "正文“{}…件”句",
    "score": "正文“{}…”句",
    "grade": "正文“评价{}…”句",
    "satisfaction": "正文“{}…”句",
    "section": "正文“{}”部分",
    "paren": "标题括号中的{}",
}
_SECTIONS = {"problems": "存在问题", "measures": "改进措施"}
_RECORDS_ROW = re.compile(r"^录入表 row (\d+)$")


def rule_source(rule: str | None) -> str:
    """An extraction rule's name as the place the value came from, in Chinese:
    'table.全年执行数' → 表格「全年执行数」列, 'label.实际支出' → 正文“实际支出…”处; None (an
    analyst's addition) → 分析员补录. A rule of a family not listed reads 自动抽取."""
    if not rule:
        return "分析员补录"
    if rule in _RULE_WHOLE:
        return _RULE_WHOLE[rule]
    if m := _RECORDS_ROW.match(rule):
        return f"录入表第 {m.group(1)} 行"
    family, _, what = rule.partition(".")
    what = _SECTIONS.get(what, what)
    if family in _RULE_FAMILY and what and not re.search(r"[A-Za-z]", what):
        return _RULE_FAMILY[family].format(what)
    return "自动抽取"


def source_text(snippet: str | None) -> str | None:
    """A source sentence as shown: a records row's stored provenance "录入表 row N" reads
    录入表第 N 行; everything else is the report's own text."""
    if snippet and (m := _RECORDS_ROW.match(snippet)):
        return f"录入表第 {m.group(1)} 行"
    return snippet


def text_width(text: str) -> float:
    """A text's width in CJK characters (an ASCII character counts about half)."""
    return sum(0.55 if ord(ch) < 128 else 1 for ch in text)


def cut(label: str, chars: float) -> str:
    """`label` cut to `chars` CJK characters' width with …, whole when it fits."""
    if text_width(label) <= chars:
        return label
    out = ""
    for ch in label:
        if text_width(out + ch + "…") > chars:
            break
        out += ch
    return out + "…"
