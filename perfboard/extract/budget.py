"""The department's (or, for a project evaluation, the project's) money, in 万元.

Two kinds of rule: a table whose column labels come first and values after
(自评表 exports), and a label directly followed by its amount (narrative and
label-value tables). Amounts in sentences about procurement, 三公, other years, the
whole district or (in a department report) single projects are never the budget."""
from __future__ import annotations

import re

from perfboard.extract.model import Fact
from perfboard.extract.text import AMOUNT, CLAUSE_END, PERCENT, sentence
from perfboard.numbers import NUMBER, parse_number, to_wan

FIELDS = ("initial_wan", "adjusted_wan", "actual_wan", "execution_rate_pct")

# (rule name, field, label) — a label directly followed by its value
LABELS = [
    ("调整后预算", "adjusted_wan", r"调整后(?:的)?(?:部门)?预算(?:金额|数|总额)?"),
    ("年度预算收入", "adjusted_wan", r"(?<!公共)(?:部门)?年度预算(?:收入|数|总额)"),
    ("全年预算数", "adjusted_wan", r"全年预算(?:数|金额|总额)?"),
    ("收入合计", "adjusted_wan", r"(?:年度)?收入合计"),
    ("年初预算", "initial_wan", r"(?:部门)?年初预算(?:收入|数|金额)?"),
    ("申报预算", "initial_wan", r"申报预算(?:金额|数)?"),
    ("实际支出", "actual_wan", r"(?:本年|全年|年度)?实际支出(?:金额|数)?(?:合计)?"),
    ("执行数", "actual_wan", r"(?:全年)?执行(?:数|金额)|全年执行"),
    ("支出合计", "actual_wan", r"(?:年度)?支出合计"),
    ("决算数", "actual_wan", r"(?:年度|全年)?(?:支出)?决算(?:数|金额|支出)"),
    ("执行率", "execution_rate_pct", r"(?:预算|支出|资金)?(?:执行率|完成率)|完成预算的"),
]
LINK = r"(?:[\s:|]|为|是|达到?|共计|合计)*"

# column labels of a budget table, in the order they may appear; None: a column we skip
COLUMNS = [
    (r"(?:部门)?年初预算(?:收入|数)", "initial_wan"),
    (r"(?:部门)?年度预算收入|全年预算数|调整后预算数?|年度预算数", "adjusted_wan"),
    (r"全年执行数|实际支出数|实际支出", "actual_wan"),
    (r"预算(?:完成|执行)率|执行率", "execution_rate_pct"),
    (r"年度预算调整数|预算调整率|分值|得分|其中:[^\s|]{2,12}", None),
]
COLUMN_RE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(COLUMNS)))
CELL = rf"(?:{NUMBER}\s*%?|[—–-]{{1,2}})"

# a sentence about procurement or 三公 is about them throughout; other words only taint their clause
# (年中追加…后，调整后预算… is the budget)
NOT_THE_BUDGET_SENTENCE = re.compile(r"采购|三公|非本部门")
NOT_THE_BUDGET_CLAUSE = re.compile(r"上年|去年|上一年|结转|追加|调减|调增|全区|全市|全县|全省|中央资金|省级资金")
PROJECT_WORDS = re.compile(r"项目|经费:|资金:")


def extract(text: str, prose: str, kind: str) -> dict[str, Fact]:
    """`text` keeps the layout (tables), `prose` has line wraps joined (see text.flow)."""
    unit = default_unit(text)
    found: dict[str, Fact] = {}
    for fact in table_rule(text, unit):
        found.setdefault(fact.field.split(".")[1], fact)
    for fact in label_rules(prose, unit, kind):
        found.setdefault(fact.field.split(".")[1], fact)
    adjusted, actual = found.get("adjusted_wan"), found.get("actual_wan")
    if "execution_rate_pct" not in found and adjusted and actual and adjusted.value:
        # provenance of a derived rate: the actual amount it was computed from
        found["execution_rate_pct"] = Fact("budget.execution_rate_pct",
                                           round(actual.value / adjusted.value * 100, 2),
                                           actual.start, actual.end, "derived.actual/adjusted", derived=True,
                                           in_prose=actual.in_prose)
    return {f"budget.{k}": v for k, v in found.items()}


def default_unit(text: str) -> str:
    m = re.search(r"(?:金额)?单位[\s:|]*(万元|亿元|元)", text)
    return m.group(1) if m else "万元"


def table_rule(text: str, unit: str) -> list[Fact]:
    """Labels first, values after: '年初预算数 全年预算数 全年执行数 分值 执行率 得分 … 655.10 702.86 …'."""
    facts: list[Fact] = []
    matches = list(COLUMN_RE.finditer(text))
    i = 0
    while i < len(matches):
        run = [matches[i]]
        while i + 1 < len(matches) and re.fullmatch(r"[\s|]*", text[run[-1].end():matches[i + 1].start()]):
            i += 1
            run.append(matches[i])
        i += 1
        fields = [COLUMNS[int(m.lastgroup[1:])][1] for m in run]
        if len(run) < 3 or len({f for f in fields if f}) < 2:
            continue
        cells = _cells_after(text, run[-1].end(), len(run))
        for field, m, cell in zip(fields, run, cells):
            if field is None or cell is None:
                continue
            value = _cell_value(cell[0], field, unit)
            if value is not None:
                facts.append(Fact(f"budget.{field}", value, cell[1], cell[2], f"table.{m.group()}"))
        if facts:
            return facts
    return facts


def _cells_after(text: str, pos: int, count: int) -> list[tuple[str, int, int] | None]:
    gap = re.match(r"[^\d。]{0,80}?(?=-?\d)", text[pos:])
    if not gap:
        return []
    cells = []
    for m in re.finditer(rf"\s*\|?\s*(?P<c>{CELL})", text[pos + gap.end():]):
        if len(cells) == count or (cells and m.start() != cells[-1][3]):
            break
        cells.append((m.group("c"), pos + gap.end() + m.start("c"), pos + gap.end() + m.end("c"), m.end()))
    return [(c, s, e) if re.match(r"-?\d", c) else None for c, s, e, _ in cells]


def _cell_value(cell: str, field: str, unit: str) -> float | None:
    if field == "execution_rate_pct":
        if not cell.endswith("%"):
            return None
        return parse_number(cell.rstrip("%").strip())
    if cell.endswith("%"):
        return None
    number = parse_number(cell)
    return None if number is None or number < 0 else to_wan(number, None, unit)


def label_rules(text: str, unit: str, kind: str) -> list[Fact]:
    facts = []
    for name, field, label in LABELS:
        value_re = PERCENT if field == "execution_rate_pct" else AMOUNT
        for m in re.finditer(f"(?:{label}){LINK}{value_re}", text):
            if _excluded(text, m.start(), kind):
                continue
            number = parse_number(m.group("num"))
            if number is None or number < 0:
                continue
            if field == "execution_rate_pct":
                if number > 200:
                    continue
                value = number
            else:
                value = to_wan(number, m.group("unit"), unit)
            facts.append(Fact(f"budget.{field}", value, m.start("num"), m.end(), f"label.{name}", in_prose=True))
    facts.sort(key=lambda f: f.start)
    return facts


def _excluded(text: str, pos: int, kind: str) -> bool:
    left, _ = sentence(text, pos, stops=CLAUSE_END)
    if NOT_THE_BUDGET_CLAUSE.search(text[left:pos]):
        return True
    left, _ = sentence(text, pos)
    if NOT_THE_BUDGET_SENTENCE.search(text[left:pos]):
        return True
    return kind == "department_overall" and bool(PROJECT_WORDS.search(text[left:pos]))
