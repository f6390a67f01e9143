"""One row's cells → values by contract field, or the problems that refuse the row (types,
rates and scores 0–100, a plausible year, the department and year present)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from perfboard.numbers import NUMBER
from perfboard.records.columns import COLUMNS, FIRST_YEAR, Column


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


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate(number: int, cells: dict[Column, object]) -> tuple[dict, list[Problem]]:
    """One row's cells → values by contract field, or the problems that refuse the row."""
    values: dict = {}
    problems: list[Problem] = []
    for col, raw in cells.items():
        if blank(raw):
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
