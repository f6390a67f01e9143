"""The department's (or, for a project evaluation, the project's) money, in 万元.

Two readers, both driven by the catalogue (fields.yaml): the budget table rebuilt as a
grid (tables.py: columns by header, rows by label), and labels directly followed by their
amount in prose and label-value tables. What the figures mean depends on the document:
- a budget plan (部门预算) states its planned total (initial_wan) and has spent nothing:
  no adjusted, actual or rate, never a derived one;
- a final-accounts write-up (部门决算) reports its total expenditure (支出合计 / 支出总计 /
  支出决算) as actual_wan; a rate only where it is stated as one, or derived from an
  adjusted budget (never from the initial one: 完成年初预算的 105.89% is not execution);
- income (收入, 到位资金) is never a budget field (see fields.yaml for the template's
  部门年度预算收入).
Amounts in sentences about procurement, 三公, other years, the whole district or (in a
department report) single projects are never the budget."""
from __future__ import annotations

import re
from functools import lru_cache

from perfboard.extract import catalogue, tables
from perfboard.extract.model import Fact
from perfboard.extract.text import CLAUSE_END, other_year, sentence
from perfboard.numbers import NUMBER, parse_amount_unit, parse_number, to_wan

# Chinese numerals (二百二十四点六万元, 百分之九十八点五一) only where a unit says they are an amount
CN = "[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"

FIELDS = ("initial_wan", "adjusted_wan", "actual_wan", "execution_rate_pct")
LINK = r"(?:\((?P<lunit>亿元|万元|元)\))?(?:[\s:|]|为|是|达到?|共计|合计|总计|共|约|\d+个(?:项目|单位)?)*"
AMOUNT = rf"(?P<num>{NUMBER}|{CN}(?=\s*(?:亿元|万元|元)))\s*(?P<unit>亿元|万元|元|万(?![人件次个户名]))?"
PERCENT = rf"(?P<num>{NUMBER}(?=\s*%)|百分之{CN})\s*%?"
ALL_SAME = re.compile(rf"(?:均为|均是|都是|均达到?|分别为同一数额)\s*{AMOUNT}")


def extract(text: str, prose: str, kind: str, document_type: str = "self_evaluation",
            year: int | None = None) -> dict[str, Fact]:
    """`text` keeps the layout (tables), `prose` has line wraps joined (see text.flow);
    `year`, where known for sure, keeps other years' amounts out."""
    unit = default_unit(text)
    # OCR misreads in labels (年初预箅数) read as the labels they are; one for one, offsets hold
    confusables = catalogue.ocr_confusables()
    text, prose = text.translate(confusables), prose.translate(confusables)
    found: dict[str, Fact] = {}
    for fact in tables.budget_grid(text, unit) or tables.glued_budget(text, unit) or tables.source_row(text, unit):
        found.setdefault(fact.field.split(".")[1], fact)
    label_facts = []
    for f in label_rules(prose, unit, kind, document_type):
        if other_year(prose, f.start, year):
            continue
        if _other_year_column(prose, f.start, year):
            # the row's figure for the year evaluated stands in that year's column
            f = _year_column_fact(prose, f, year, unit)
        if f is not None:
            label_facts.append(f)
    if document_type in ("budget", "final_accounts"):
        # a plan's spending total beats its income total, a 决算's 支出合计 its 支出总计, wherever each stands
        label_facts.sort(key=lambda f: (-f.confidence, f.start))
    for fact in label_facts:
        found.setdefault(fact.field.split(".")[1], fact)
    if document_type == "budget":
        # a plan: what it will spend is its initial budget; nothing was spent yet
        found = {k: v for k, v in found.items() if k == "initial_wan"}
    if "initial_wan" in found and found.get("adjusted_wan") and found["adjusted_wan"].rule == "label.收入合计":
        # income stands in for the adjusted budget only where no budget is stated: beside a
        # 年初预算 it is what came in (收入合计285万元，与年初预算285万元一致), not a second budget
        del found["adjusted_wan"]
    bare = found.get("adjusted_wan")
    if bare is not None and bare.rule == "label.调整预算裸":
        initial = found.get("initial_wan")
        # 调整预算50万元 beside a 年初预算 of 300 is what it was adjusted BY, not a total
        if initial is None or not initial.value or not 0.5 <= bare.value / initial.value <= 2:
            del found["adjusted_wan"]
    adjusted, actual = found.get("adjusted_wan"), found.get("actual_wan")
    if ("execution_rate_pct" not in found and adjusted and actual and adjusted.value
            and document_type in ("self_evaluation", "final_accounts") and adjusted.start != actual.start):
        # provenance of a derived rate: the actual amount it was computed from
        found["execution_rate_pct"] = Fact("budget.execution_rate_pct",
                                           round(actual.value / adjusted.value * 100, 2),
                                           actual.start, actual.end, "derived.actual/adjusted", derived=True,
                                           in_prose=actual.in_prose,
                                           confidence=round(min(adjusted.confidence, actual.confidence) * 0.9, 3))
    out = {}
    for k, v in found.items():
        v.field = f"budget.{k}"
        out[v.field] = v
    return out


_COLUMN_YEAR = re.compile(r"(20\d\d)\s*年")


def _other_year_column(text: str, pos: int, year: int | None) -> bool:
    """A value in a '|' table row whose column is headed by another year (项目 | 2022年决算数 |
    2023年决算数: the row label is followed by last year's figure first)."""
    found = _year_header(text, pos)
    if found is None:
        return False
    cells, column, wanted = found
    m = _COLUMN_YEAR.search(cells[column]) if column < len(cells) else None
    return bool(m) and int(m.group(1)) != (year if year is not None else wanted)


def _year_column_fact(text: str, fact: Fact, year: int | None, unit: str) -> Fact | None:
    found = _year_header(text, fact.start)
    if found is None:
        return None
    cells, _, latest = found
    wanted = year if year is not None else latest
    columns = [k for k, c in enumerate(cells) if (m := _COLUMN_YEAR.search(c)) and int(m.group(1)) == wanted]
    if len(columns) != 1:
        return None
    line_span = _row_span(text, fact.start)
    if line_span is None:
        return None
    left, right = line_span
    line = text[left:right]
    pieces = line.split("|")
    if columns[0] >= len(pieces):
        return None
    cell = pieces[columns[0]]
    m = re.fullmatch(rf"\s*(?P<num>{NUMBER})\s*(?P<unit>亿元|万元|元)?\s*", cell)
    if not m or (number := parse_number(m.group("num"))) is None or number < 0:
        return None
    cell_unit = parse_amount_unit(m.group("unit") or _header_unit(cells[columns[0]]))
    start = left + sum(len(p) + 1 for p in pieces[:columns[0]]) + m.start("num")
    value = number if fact.field.endswith("_pct") else to_wan(number, cell_unit, unit)
    return Fact(fact.field, value, start, start + len(m.group("num")), fact.rule + ".年份列", in_prose=True,
                confidence=fact.confidence * 0.95)


def _header_unit(cell: str) -> str | None:
    m = re.search(r"\((亿元|万元|元)\)", cell)
    return m.group(1) if m else None


ROW_MAX = 4000  # no table row is longer: a longer line is prose, and searching it per figure is quadratic


def _row_span(text: str, pos: int) -> tuple[int, int] | None:
    """The line around pos, or None when it is longer than any table row."""
    low = max(0, pos - ROW_MAX)
    left = text.rfind("\n", low, pos) + 1
    if left == 0 and low > 0:
        return None
    right = text.find("\n", pos, pos + ROW_MAX)
    if right < 0:
        if pos + ROW_MAX < len(text):
            return None
        right = len(text)
    return left, right


def _year_header(text: str, pos: int) -> tuple[list[str], int, int] | None:
    """For a value in a '|' row: the cells of the table's header row that names years, the
    value's column, and the latest year named."""
    line_span = _row_span(text, pos)
    if line_span is None:
        return None
    left, right = line_span
    line = text[left:right]
    if line.count("|") < 2:
        return None
    column = text[left:pos].count("|")
    header = None
    while left > 0:  # up through the table's rows to the first one that names years
        above_left = text.rfind("\n", 0, left - 1) + 1
        above = text[above_left:left - 1]
        if above.count("|") < 2:
            break
        if _COLUMN_YEAR.search(above):
            header = above
        left = above_left
    if header is None:
        return None
    cells = header.split("|")
    return cells, column, max(int(y) for c in cells for y in _COLUMN_YEAR.findall(c))


def default_unit(text: str) -> str:
    m = re.search(r"(?:金额)?单位[\s:|]*(万元|亿元|元)", text)
    return m.group(1) if m else "万元"


@lru_cache(maxsize=8)
def _label_patterns(document_type: str) -> list[tuple[str, re.Pattern, float, re.Pattern | None, re.Pattern]]:
    """(field|name, label followed by its value, confidence, negative words, the label alone)."""
    out = []
    for name in tables.BUDGET_FIELDS:
        spec = catalogue.get(name)
        value_re = PERCENT if name.endswith("_pct") else AMOUNT
        negative = re.compile("|".join(spec.not_before)) if spec.not_before else None
        for label in spec.labels:
            if document_type not in label.documents:
                continue
            out.append((f"{name}|{label.name}", re.compile(f"(?:{label.pattern}){LINK}{value_re}"),
                        label.confidence, negative, re.compile(label.pattern)))
    return out


def label_rules(text: str, unit: str, kind: str, document_type: str = "self_evaluation") -> list[Fact]:
    facts = []
    for key, rx, confidence, negative, _ in _label_patterns(document_type):
        field, name = key.split("|")
        for m in rx.finditer(text):
            fact = _fact(text, m, field, name, confidence, negative, unit, kind)
            if fact:
                facts.append(fact)
    facts += _all_same(text, unit, kind, document_type)
    facts.sort(key=lambda f: f.start)
    return facts


RULE_AFTER = re.compile(r"\s*(?:\(含\))?\s*(?:以上|及以上|以下|及以下|不得分|的?得\s*\d|得分|扣\s*\d)")


def _fact(text, m, field, name, confidence, negative, unit, kind) -> Fact | None:
    if _excluded(text, m.start(), kind, negative):
        return None
    if RULE_AFTER.match(text, m.end()):
        return None  # 执行率达到95%得5分 / 90%以上: a scoring rule or a threshold, not a value
    number = parse_number(m.group("num"))
    if number is None or number < 0:
        return None
    if field.endswith("_pct"):
        if number > 200:
            return None
        value = number
    else:
        value = to_wan(number, parse_amount_unit(m.group("unit") or m.groupdict().get("lunit")), unit)
    return Fact(field, value, m.start("num"), m.end(), f"label.{name}", in_prose=True, confidence=confidence)


def _all_same(text: str, unit: str, kind: str, document_type: str) -> list[Fact]:
    """年初预算数、全年预算数和全年执行数均为150万元: one amount for every label before it."""
    out = []
    for m in ALL_SAME.finditer(text):
        left, _ = sentence(text, m.start(), stops="。;\n,")
        clause = text[left:m.start()]
        number = parse_number(m.group("num"))
        if number is None or number < 0:
            continue
        for key, _, confidence, negative, label_only in _label_patterns(document_type):
            field, name = key.split("|")
            if field.endswith("_pct"):
                continue
            hit = label_only.search(clause)
            if hit and not _excluded(text, left + hit.start(), kind, negative):
                value = to_wan(number, parse_amount_unit(m.group("unit")), unit)
                out.append(Fact(field, value, m.start("num"), m.end(), f"label.{name}.均为", in_prose=True,
                                confidence=confidence * 0.9))
    return out


def _excluded(text: str, pos: int, kind: str, negative: re.Pattern | None = None) -> bool:
    left, _ = sentence(text, pos, stops=CLAUSE_END)
    clause = text[left:pos]
    # …追加接访中心改造经费后调整预算为…: a clause of time ending in 后 right before the label
    # says what happened first; its words (追加, 上年) do not qualify the label
    if catalogue.words("budget", "not_clause").search(clause) and not clause.rstrip().endswith("后"):
        return True
    # a negative word counts where it qualifies this label: after the last 和/及/、 (收入总计和支出总计)
    if negative is not None and negative.search(re.split(r"[和及与、]", clause)[-1][-8:]):
        return True
    left, _ = sentence(text, pos)
    before = text[left:pos]
    if catalogue.words("budget", "not_sentence").search(before):
        return True
    return kind == "department_overall" and bool(catalogue.words("budget", "project_words").search(before))
