"""Structured records: figures typed into the template (a spreadsheet, a CSV or JSON) instead
of a report. One row is one report, in the shape of the extraction contract, flattened
under Chinese column headers. Rows are validated as an extracted report is (types, rates
and scores 0–100, a plausible year, the department and year present); a bad cell refuses
its row with one line naming row and column, the good rows are stored, each with the
provenance "录入表 row N".

Row numbers are those a person sees: in a spreadsheet or CSV the header is row 1 and the
first record row 2; in JSON (a list of objects keyed by the headers) row N is the N-th object.

This module is also the one definition of the template: the CLI's `template` command and
the dashboard's upload page offer `template_bytes("xlsx" | "csv")`."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from perfboard.document import Document
from perfboard.extract.model import Extraction, Fact, Satisfaction
from perfboard.numbers import NUMBER
from perfboard.readers import errors
from perfboard.readers.errors import ReadError

SUFFIXES = (".csv", ".json")   # always records; an .xlsx is records when its header is the template's
SHEET = "录入表"
MAX_ROWS = 100_000
PROVENANCE = "录入表 row {n}"
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Column:
    header: str        # as in the template
    field: str         # contract field (dotted), or satisfaction.subject
    kind: str          # text | year | report_kind | amount | rate | score | grade | count | monthday
    required: bool = False
    note: str = ""     # what to type, for the template's 说明 sheet


COLUMNS: tuple[Column, ...] = (
    Column("单位名称", "department", "text", True, "报告单位全称，如 广州市天河区信访局"),
    Column("省份", "province", "text", note="如 广东省；空白时按单位名称推断"),
    Column("城市", "city", "text", note="如 广州市；空白时按单位名称推断"),
    Column("区县", "district", "text", note="如 天河区；市级单位留空"),
    Column("被评价年度", "evaluated_year", "year", True, "被评价的年度（不是报告日期），如 2022"),
    Column("报告类型", "report_kind", "report_kind", note="部门整体 或 项目；空白为部门整体"),
    Column("项目名称", "project_name", "text", note="报告类型为项目时必填"),
    Column("年初预算（万元）", "budget.initial_wan", "amount", note="万元，非负数"),
    Column("调整后预算（万元）", "budget.adjusted_wan", "amount", note="万元，非负数"),
    Column("实际支出（万元）", "budget.actual_wan", "amount", note="万元，非负数"),
    Column("预算执行率（%）", "budget.execution_rate_pct", "rate", note="0–100，如 94.01；空白时按实际支出/调整后预算计算"),
    Column("自评得分", "score.total", "score", note="0–100"),
    Column("评价等级", "score.grade", "grade", note="优、良、中 或 差"),
    Column("信访总量（件）", "petitions.total", "count", note="非负整数"),
    Column("来信", "petitions.letters", "count", note="件，非负整数"),
    Column("来访", "petitions.visits", "count", note="件，非负整数"),
    Column("网上信访", "petitions.online", "count", note="件，非负整数"),
    Column("来电", "petitions.calls", "count", note="件，非负整数"),
    Column("统计起始（MM-DD）", "petitions.period_start", "monthday", note="如 01-01；全年可留空"),
    Column("统计截止（MM-DD）", "petitions.period_end", "monthday", note="如 10-31；全年可留空"),
    Column("上年同期总量", "petitions.prior_year_total", "count", note="件，非负整数"),
    Column("满意度对象", "satisfaction.subject", "text", note="如 信访部门"),
    Column("满意率（%）", "satisfaction.satisfaction_pct", "rate", note="0–100"),
    Column("参评率（%）", "satisfaction.participation_pct", "rate", note="0–100"),
    Column("目标值（%）", "satisfaction.target_pct", "rate", note="0–100"),
)
TYPE_NAMES = {"text": "文本", "year": "年份", "report_kind": "部门整体/项目", "amount": "数字", "rate": "0–100 的数字",
              "score": "0–100 的数字", "grade": "优/良/中/差", "count": "整数", "monthday": "MM-DD"}


def _key(header: str) -> str:
    """Headers compared loosely: full-width brackets, spaces and case do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header))).lower()


BY_KEY = {_key(c.header): c for c in COLUMNS}
# the header without its unit also names the column: 年初预算 = 年初预算（万元）
BY_KEY.update({_key(re.sub(r"（.*?）$", "", c.header)): c for c in COLUMNS if c.header.endswith("）")})


# ------------------------------------------------------------------ results

@dataclass
class Problem:
    row: int | None
    column: str | None
    en: str
    zh: str

    def line(self) -> str:
        if self.row is None:
            return f"{self.en} / {self.zh}"
        if self.column is None:
            return f"row {self.row}: {self.en} / 第{self.row}行：{self.zh}"
        return f"row {self.row}, column {self.column}: {self.en} / 第{self.row}行“{self.column}”列：{self.zh}"


@dataclass
class Row:
    number: int
    values: dict            # contract field → value (satisfaction.* included)
    document: Document      # the row as text: "单位名称: …" lines, for provenance
    extraction: Extraction


@dataclass
class Records:
    name: str
    fmt: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # refused rows, and notes on the file

    @property
    def refused(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


# ------------------------------------------------------------------ detection and reading

def is_records(data: bytes, name: str) -> bool:
    """Whether a file is meant as records: CSV and JSON always are (no other CSV is read);
    an XLSX when the first row of its first sheet is the template's header."""
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return True
    if suffix == ".xlsx":
        try:
            header = _xlsx_header(data)
        except Exception:
            return False  # the report reader says what is wrong with it
        return header is not None and _matches(header, 0.8)
    return False


def _matches(header: list, share: float = 0.5) -> bool:
    """The template's header: 单位名称 and 被评价年度 among the columns, and at least `share`
    of the column names the template's (a workbook is taken for records only at 0.8: a
    report's sheet may well have a 被评价年度 cell in its first row)."""
    keys = [_key(h) for h in header if h is not None and str(h).strip()]
    known = [k for k in keys if k in BY_KEY]
    fields = {BY_KEY[k].field for k in known}
    return {"department", "evaluated_year"} <= fields and len(known) >= share * len(keys)


def read_records(data: bytes, name: str) -> Records:
    """Parses and validates a records file; raises ReadError when it is not one at all
    (unreadable, or a header that is not the template's)."""
    if not data:
        raise errors.empty()
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        header, rows = _csv_rows(data)
        fmt = "csv"
    elif suffix == ".json":
        header, rows = _json_rows(data)
        fmt = "json"
    elif suffix == ".xlsx":
        header, rows = _xlsx_rows(data)
        fmt = "xlsx"
    else:
        raise errors.unknown_type(suffix)
    if not _matches(header):
        raise not_template()
    out = Records(name, fmt)
    columns: list[Column | None] = []
    seen: set[str] = set()
    for h in header:
        col = BY_KEY.get(_key(h)) if h is not None and str(h).strip() else None
        if col is not None and col.field in seen:
            out.problems.append(Problem(None, None, f"column {col.header} appears twice; the first is read",
                                        f"“{col.header}”列重复，只读取第一列"))
            col = None
        elif col is None and h is not None and str(h).strip():
            out.problems.append(Problem(None, None, f"column '{h}' is not in the template and was ignored",
                                        f"“{h}”列不在模板中，已忽略"))
        if col is not None:
            seen.add(col.field)
        columns.append(col)
    for number, cells in rows:
        if number - 1 > MAX_ROWS:
            out.problems.append(Problem(None, None, f"only the first {MAX_ROWS} rows were read",
                                        f"只读取了前 {MAX_ROWS} 行"))
            break
        if all(_blank(c) for c in cells):
            continue
        values, problems = validate(number, {col: cell for col, cell in zip(columns, cells) if col is not None})
        if problems:
            out.problems += problems
            continue
        out.rows.append(_row(name, fmt, number, values))
    return out


def not_template() -> ReadError:
    return ReadError("not_records",
                     "the header is not the records template's (columns 单位名称, 被评价年度, …; "
                     "get it with `python -m perfboard template --out FILE`)",
                     "表头与录入模板不符（需含“单位名称”“被评价年度”等列；可用 python -m perfboard template 下载模板）")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise errors.undecodable()
    if "\x00" in text:
        raise errors.binary_text()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not lines:
        raise not_template()
    return lines[0], [(k, line) for k, line in enumerate(lines[1:], 2)]


def _json_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReadError("corrupt", f"the JSON file cannot be parsed ({exc})", "JSON 文件无法解析") from exc
    if isinstance(obj, dict) and isinstance(obj.get("records"), list):
        obj = obj["records"]
    if not isinstance(obj, list) or not all(isinstance(o, dict) for o in obj):
        raise ReadError("not_records", "records JSON must be a list of objects keyed by the template's headers",
                        "录入 JSON 须为以模板列名为键的对象列表")
    header: list[str] = []
    for o in obj:
        header += [k for k in o if k not in header]
    return header, [(k, [o.get(h) for h in header]) for k, o in enumerate(obj, 1)]


def _open_xlsx(data: bytes):
    import openpyxl

    from perfboard.readers.zipguard import check_zip

    check_zip(data, "XLSX")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise errors.corrupt("XLSX") from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    return wb, ws


def _xlsx_header(data: bytes) -> list | None:
    wb, ws = _open_xlsx(data)
    try:
        for row in ws.iter_rows(max_row=1, values_only=True):
            return list(row)
        return None
    finally:
        wb.close()


def _xlsx_rows(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    wb, ws = _open_xlsx(data)
    try:
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        header: list = []
        rows: list[tuple[int, list]] = []
        for k, row in enumerate(ws.iter_rows(max_col=len(COLUMNS) * 2 + 10), 1):
            if k == 1:
                header = [c.value for c in row]
                continue
            rows.append((k, [_cell(c) for c in row]))
            if k > MAX_ROWS + 2:
                break
    except ReadError:
        raise
    except Exception as exc:
        raise errors.corrupt("XLSX") from exc
    finally:
        wb.close()
    return header, rows


def _cell(cell):
    """A spreadsheet value as typed: a cell formatted as a percentage holds 0.9401 for 94.01%."""
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in re.sub(r'"[^"]*"', "", fmt):
        return f"{round(value * 100, 10):g}%"
    return value


# ------------------------------------------------------------------ validation

def validate(number: int, cells: dict[Column, object]) -> tuple[dict, list[Problem]]:
    """One row's cells → values by contract field, or the problems that refuse the row."""
    values: dict = {}
    problems: list[Problem] = []
    for col, raw in cells.items():
        if _blank(raw):
            continue
        try:
            values[col.field] = convert(col, raw)
        except ValueError as exc:
            en, zh = exc.args
            problems.append(Problem(number, col.header, en, zh))
    for col in COLUMNS:
        if col.required and col.field not in values and not any(p.column == col.header for p in problems):
            problems.append(Problem(number, col.header, "is required and empty", "为必填项，不能为空"))
    if problems:
        return values, problems
    kind = values.get("report_kind")
    if kind is None:
        values["report_kind"] = "project" if values.get("project_name") else "department_overall"
    elif kind == "project" and not values.get("project_name"):
        problems.append(Problem(number, "项目名称", "is required when 报告类型 is 项目", "报告类型为项目时必填"))
    sat = [f for f in ("satisfaction.subject", "satisfaction.participation_pct", "satisfaction.target_pct")
           if f in values]
    if sat and "satisfaction.satisfaction_pct" not in values:
        problems.append(Problem(number, "满意率（%）", "is required when other satisfaction columns are filled",
                                "填写满意度其他列时必填"))
    return values, problems


def convert(col: Column, raw) -> object:
    """A cell → its value for `col`; ValueError(en, zh) when it is not one."""
    text = unicodedata.normalize("NFKC", str(raw)).strip() if not isinstance(raw, (int, float)) else None
    shown = repr(str(raw).strip()) if text is not None else repr(raw)
    if col.kind == "text":
        value = re.sub(r"\s+", "", text if text is not None else str(raw))
        if len(value) > 200:
            raise ValueError("is longer than 200 characters", "超过 200 个字符")
        if col.field in ("department", "project_name", "satisfaction.subject", "province", "city", "district"):
            from perfboard.traditional import simplified
            value = simplified(value)
        return value
    if col.kind == "year":
        if isinstance(raw, (dt.date, dt.datetime)):
            year = raw.year
        else:
            m = re.fullmatch(r"(\d{4})(?:\.0+)?\s*(?:年度?)?", text if text is not None else str(raw))
            if not m:
                raise ValueError(f"{shown} is not a year", f"{shown} 不是年份")
            year = int(m.group(1))
        last = dt.date.today().year
        if not FIRST_YEAR <= year <= last:
            raise ValueError(f"{year} is not a plausible year ({FIRST_YEAR}–{last})",
                             f"{year} 不是合理的年份（{FIRST_YEAR}–{last}）")
        return year
    if col.kind == "report_kind":
        kinds = {"部门整体": "department_overall", "整体": "department_overall", "部门": "department_overall",
                 "department_overall": "department_overall", "项目": "project", "project": "project"}
        value = kinds.get(re.sub(r"\s+", "", text or "").replace("支出", "").replace("绩效", "").lower())
        if value is None:
            raise ValueError(f"{shown} is not 部门整体 or 项目", f"{shown} 不是“部门整体”或“项目”")
        return value
    if col.kind == "grade":
        grades = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
                  "差": "差", "不合格": "差"}
        value = grades.get(text or "")
        if value is None:
            raise ValueError(f"{shown} is not 优, 良, 中 or 差", f"{shown} 不是“优、良、中、差”之一")
        return value
    if col.kind == "monthday":
        if isinstance(raw, (dt.date, dt.datetime)):
            return f"{raw.month:02d}-{raw.day:02d}"
        m = re.fullmatch(r"(?:\d{4}\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text or "")
        if not m:
            raise ValueError(f"{shown} is not a date as MM-DD", f"{shown} 不是 MM-DD 格式的日期")
        month, day = int(m.group(1)), int(m.group(2))
        try:
            dt.date(2000, month, day)  # a leap year: 02-29 is a date
        except ValueError:
            raise ValueError(f"{shown} is not a date as MM-DD", f"{shown} 不是 MM-DD 格式的日期") from None
        return f"{month:02d}-{day:02d}"
    # numbers
    if isinstance(raw, bool):
        raise ValueError(f"{shown} is not a number", f"{shown} 不是数字")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        unit = {"amount": r"(?:万元|万)?", "rate": "%?", "score": "分?", "count": r"(?:件次|件)?"}[col.kind]
        m = re.fullmatch(rf"(?P<n>{NUMBER}|-?\d+\.\d*|-?\.\d+)\s*{unit}", text.replace("−", "-").replace("，", ","))
        if not m:
            raise ValueError(f"{shown} is not a number", f"{shown} 不是数字")
        value = float(m.group("n").replace(",", ""))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{shown} is not a number", f"{shown} 不是数字")
    if col.kind in ("rate", "score") and not 0 <= value <= 100:
        raise ValueError(f"{value:g} is outside 0–100", f"{value:g} 超出 0–100 范围")
    if col.kind in ("amount", "count") and value < 0:
        raise ValueError(f"{value:g} is negative", f"{value:g} 为负数")
    if col.kind == "count":
        if value != int(value):
            raise ValueError(f"{value:g} is not a whole number", f"{value:g} 不是整数")
        return int(value)
    return round(value, 2) if col.kind == "amount" else value


# ------------------------------------------------------------------ rows → documents and facts

def _row(name: str, fmt: str, number: int, values: dict) -> Row:
    from perfboard.extract import identity

    provenance = PROVENANCE.format(n=number)
    lines = [provenance]
    spans: dict[str, tuple[int, int]] = {}
    pos = len(provenance) + 1
    for col in COLUMNS:
        if col.field not in values:
            continue
        label = f"{col.header}: "
        shown = _show(values[col.field])
        spans[col.field] = (pos + len(label), pos + len(label) + len(shown))
        lines.append(label + shown)
        pos += len(label) + len(shown) + 1
    text = "\n".join(lines)
    doc = Document.from_pages(name, [text], fmt=f"records-{fmt}", paged=False)
    doc.notes.append(f"{provenance}: typed into the records template, not extracted")

    x = Extraction(file=name)

    def fact(field_name: str, value, derived: bool = False, anchor: str | None = None) -> Fact:
        start, end = spans.get(anchor or field_name, (None, None))
        return Fact(field_name, value, start, end, "records", derived=derived, snippet=provenance)

    for col in COLUMNS:
        f = col.field
        if f in values and not f.startswith("satisfaction.") and f not in ("petitions.period_start",
                                                                           "petitions.period_end"):
            x.facts[f] = fact(f, values[f])
    loc = identity.location(values["department"], values["department"])
    for part in ("province", "city", "district"):
        if part not in x.facts and getattr(loc, part):
            x.facts[part] = fact(part, getattr(loc, part), derived=True, anchor="department")
    budget = x.facts
    if "budget.execution_rate_pct" not in budget and budget.get("budget.adjusted_wan") and \
            "budget.actual_wan" in budget and budget["budget.adjusted_wan"].value > 0:
        rate = round(100 * budget["budget.actual_wan"].value / budget["budget.adjusted_wan"].value, 2)
        if 0 <= rate <= 100:
            x.facts["budget.execution_rate_pct"] = fact("budget.execution_rate_pct", rate, derived=True,
                                                        anchor="budget.actual_wan")
    period = (values.get("petitions.period_start"), values.get("petitions.period_end"))
    for f, found in x.facts.items():
        if f.startswith("petitions.") and f != "petitions.prior_year_total":
            found.period = period
    if "satisfaction.satisfaction_pct" in values:
        subject = values.get("satisfaction.subject") or "服务对象"
        entry = Satisfaction(subject, fact("satisfaction.satisfaction_pct", values["satisfaction.satisfaction_pct"]))
        for f, attr in (("satisfaction.participation_pct", "participation"), ("satisfaction.target_pct", "target")):
            if f in values:
                setattr(entry, attr, fact(f, values[f]))
        for sf in (entry.satisfaction, entry.participation, entry.target):
            if sf:
                sf.subject = subject
        x.satisfaction.append(entry)
    return Row(number, values, doc, x)


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


# ------------------------------------------------------------------ the template

def template_bytes(fmt: str) -> bytes:
    """The empty template: "xlsx" (sheet 录入表 with the header, sheet 说明 with what each
    column takes) or "csv" (the header, UTF-8 with BOM so Excel reads the Chinese)."""
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow([c.header for c in COLUMNS])
        return buf.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"template format must be xlsx or csv, not {fmt!r}")
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    number = wb.add_format({"num_format": "0.00"})
    whole = wb.add_format({"num_format": "0"})
    ws = wb.add_worksheet(SHEET)
    for k, col in enumerate(COLUMNS):
        ws.write(0, k, col.header, required if col.required else head)
        cell = {"amount": number, "rate": number, "score": number, "count": whole, "year": whole}.get(col.kind, text)
        ws.set_column(k, k, max(10, len(col.header) * 2 + 2), cell)
    ws.freeze_panes(1, 1)
    notes = wb.add_worksheet("说明")
    notes.write_row(0, 0, ["列名", "类型", "必填", "说明"], head)
    for k, col in enumerate(COLUMNS, 1):
        notes.write_row(k, 0, [col.header, TYPE_NAMES[col.kind], "是" if col.required else "", col.note])
    notes.write(len(COLUMNS) + 2, 0, "每行一份报告；表头（第 1 行）请勿修改。错误按行号、列名报告，其余行照常入库。")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 2, 14)
    notes.set_column(3, 3, 60)
    wb.close()
    return buf.getvalue()
