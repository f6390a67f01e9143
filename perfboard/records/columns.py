"""The records template's columns: header, contract field, kind of value, whether it is
required, and the note the template's 说明 sheet gives. Headers are matched loosely."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def key(header: str) -> str:
    """Headers compared loosely: full-width brackets, spaces and case do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header))).lower()


BY_KEY = {key(c.header): c for c in COLUMNS}
# the header without its unit also names the column: 年初预算 = 年初预算（万元）
BY_KEY.update({key(re.sub(r"（.*?）$", "", c.header)): c for c in COLUMNS if c.header.endswith("）")})


def matches(header: list, share: float = 0.5) -> bool:
    """The template's header: 单位名称 and 被评价年度 among the columns, and at least `share`
    of the column names the template's (a workbook is taken for records only at 0.8: a
    report's sheet may well have a 被评价年度 cell in its first row)."""
    keys = [key(h) for h in header if h is not None and str(h).strip()]
    known = [k for k in keys if k in BY_KEY]
    fields = {BY_KEY[k].field for k in known}
    return {"department", "evaluated_year"} <= fields and len(known) >= share * len(keys)
