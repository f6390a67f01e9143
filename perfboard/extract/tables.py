"""Flattened tables rebuilt into rows and columns, then read by header.

Reports reach us with their tables flattened in many ways: one cell per line, cells
separated by '|', cells separated by blank lines, columns aligned with spaces, or a
whole table run together on one line, with headers split over lines (年初 / 预算数).
Here the text is cut into cells (`cells`), split header cells are joined again when
together they form a header the catalogue knows, and the budget table (年初预算数 ·
全年预算数 · 全年执行数 · 执行率 × 年度资金总额 / 其中:当年财政拨款) is read as a grid: every
figure knows its row and column, and says so in its snippet."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from perfboard.extract import catalogue
from perfboard.extract.model import Fact
from perfboard.numbers import NUMBER, parse_number, to_wan

BUDGET_FIELDS = ("budget.initial_wan", "budget.adjusted_wan", "budget.actual_wan", "budget.execution_rate_pct")
# an empty cell: a dash, 无, or the 一 OCR reads a dash as
VALUE = re.compile(rf"(?:{NUMBER})\s*(?:%|万元|万|元)?|[—–\-/]{{1,2}}|无|一")
JOIN = 3  # a header cell may be split into up to this many pieces
MAX_COLUMNS = 16  # a budget table has fewer; a longer run of header words is not one header


@dataclass
class Cell:
    text: str
    start: int
    end: int


def cells(text: str) -> list[Cell]:
    """Cells: runs of non-space text between whitespace or '|'."""
    return [Cell(m.group(), m.start(), m.end()) for m in re.finditer(r"[^\s|]+", text)]


def _columns() -> list[tuple[str | None, re.Pattern]]:
    out = []
    for name in BUDGET_FIELDS:
        for p in catalogue.get(name).columns:
            out.append((name, re.compile(p)))
    for p in catalogue.get("budget.other_columns").columns:
        out.append((None, re.compile(p)))
    return out


_COLUMNS: list | None = None
_HEADER_NOTE = re.compile(r"\((?:[A-Z](?:/[A-Z])?|%|万元|元|\d*分)\)$")  # (A), (B/A), (%), (10分)


def _column_at(cs: list[Cell], i: int) -> tuple[str | None, int, str] | None:
    """The column header starting at cell i: (field or None, cells used, header text)."""
    global _COLUMNS
    if _COLUMNS is None:
        _COLUMNS = _columns()
    joined = ""
    found = None
    for k in range(min(JOIN, len(cs) - i)):
        joined += cs[i + k].text
        if len(joined) > 22:
            break
        # 全年预算数(A) / 执行率(B/A) / 执行率(%) / 分值(10分): the header without its note
        bare = _HEADER_NOTE.sub("", joined)
        for field, rx in _COLUMNS:
            if rx.fullmatch(bare):
                found = (field, k + 1, joined)
                break
    return found


def budget_grid(text: str, unit: str) -> list[Fact]:
    cs = _stack_headers(text, cells(text))
    # cheap prefilter: only cells that can start a header are tried
    i = 0
    while i < len(cs):
        if not _may_start(cs[i].text):
            i += 1
            continue
        header = []
        j = i
        while j < len(cs) and len(header) < MAX_COLUMNS:
            col = _column_at(cs, j)
            if not col:
                break
            header.append((col[0], col[2]))
            j += col[1]
        # a group caption over the columns (年度预算数(万元) | 年初预算 | 调整后预算数 …) names a
        # field that a column names again: it is not a column
        start = i
        while len(header) > 1 and header[0][0] and header[0][0] in [f for f, _ in header[1:]]:
            header.pop(0)
            start += 1
        fields = {f for f, _ in header if f}
        if len(header) >= 3 and len(fields) >= 2 and not _about_something_else(text, cs[i].start):
            facts = _read_rows(cs, start, j, header, _caption_unit(text, cs[start].start) or unit)
            if facts:
                return facts
        i = max(j, i + 1)
    return []


_FRAGMENT = re.compile(r"^(?:年初|全年|调整后?|年度|预算|实际|执行|决算)")
_TAIL = re.compile(r"^(?:预算数?|执行数|支出数?|执行率|完成率|调整数|数)$")


def _stack_headers(text: str, cs: list[Cell]) -> list[Cell]:
    """Columns aligned with spaces (pdftotext -layout) put a header's halves on two lines:
        年初      全年      全年
        预算数    预算数    执行数
    each lower piece is joined to the upper one standing in the same column."""
    if "\n" not in text or not any(_TAIL.match(c.text) for c in cs):
        return cs
    by_line: dict[int, list[Cell]] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for c in cs:
        by_line.setdefault(bisect.bisect_right(line_starts, c.start) - 1, []).append(c)
    replace: dict[int, Cell] = {}
    drop: set[int] = set()
    for line, upper in by_line.items():
        lower = by_line.get(line + 1)
        if not lower or len(upper) > 30 or sum(bool(_FRAGMENT.match(c.text)) for c in upper) < 2:
            continue
        tails = [c for c in lower if _TAIL.match(c.text)]
        if len(tails) < 2:
            continue
        columns = _columns_of(text, line_starts, line) | _columns_of(text, line_starts, line + 1)
        for t in tails:
            above = min(upper, key=lambda u: abs(columns[u.start] - columns[t.start]))
            if abs(columns[above.start] - columns[t.start]) <= 3 and _FRAGMENT.match(above.text):
                merged = replace.get(above.start, above)
                replace[above.start] = Cell(merged.text + t.text, merged.start, merged.end)
                drop.add(t.start)
    if not replace:
        return cs
    return [replace.get(c.start, c) for c in cs if c.start not in drop]


def _columns_of(text: str, line_starts: list[int], line: int) -> dict[int, int]:
    """Display column (CJK counts two) of every offset of a line, in one pass."""
    start = line_starts[line]
    end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
    out, col = {}, 0
    for k in range(start, end):
        out[k] = col
        col += 2 if ord(text[k]) > 0x2e80 else 1
    return out


_CAPTION_UNIT = re.compile(r"(?:资金|金额|预算执行情况)\s*[(（]\s*(亿元|万元|元)\s*[)）]")


def _caption_unit(text: str, pos: int) -> str | None:
    """The unit in the caption just before the header (项目资金(元) | 年初预算数 | …): the
    table's own, beating a 单位：万元 elsewhere in the report."""
    found = _CAPTION_UNIT.findall(text[max(0, pos - 40):pos])
    return found[-1] if found else None


def _about_something_else(text: str, pos: int) -> bool:
    """A table under a heading about 三公, procurement … (the two lines above its header)."""
    above = text[max(0, pos - 120):pos].split("\n")[-3:]
    return bool(catalogue.words("budget", "not_sentence").search("".join(above)))


_STARTS = re.compile(r"^(?:部门|年初|全年|调整|年度|预算|实际|执行|决算|分值|得分|权重|其中)")


def _may_start(cell: str) -> bool:
    return bool(_STARTS.match(cell))


def _read_rows(cs: list[Cell], head_start: int, head_end: int, header, unit: str) -> list[Fact]:
    total_rx = catalogue.pattern("budget.rows", "total")
    part_rx = catalogue.pattern("budget.rows", "parts")
    other_rx = catalogue.pattern("budget.rows", "other")

    def row_label(k: int) -> tuple[str, int] | None:
        joined = ""
        for n in range(min(2, len(cs) - k)):
            joined += cs[k + n].text
            for kind, rx in (("total", total_rx), ("part", part_rx), ("other", other_rx)):
                if rx.fullmatch(joined):
                    return kind + ":" + joined, n + 1
        return None

    rows: list[tuple[str, list[Cell]]] = []
    # a total row's label may stand just before the header (年度资金总额 | 年初预算数 | …)
    current = None
    for k in range(max(0, head_start - 3), head_start):
        label = row_label(k)
        if label and label[0].startswith("total"):
            current = (label[0], [])
    noise = 0
    k = head_end
    while k < len(cs) and k < head_end + 200:
        label = row_label(k)
        if label:
            if current and current[1]:
                rows.append(current)
            current = (label[0], [])
            k += label[1]
            continue
        if VALUE.fullmatch(cs[k].text):
            if current is None:
                current = ("total:合计", [])
            current[1].append(cs[k])
            k += 1
            continue
        if current is None or not current[1]:
            noise += 1  # 执行情况 / (万元): caption pieces before the first figure
            if noise > 4:
                break
            k += 1
            continue
        break
    if current and current[1]:
        rows.append(current)
    if not rows:
        return []
    chosen = _choose(rows, header, unit)
    if not chosen:
        return []
    name, values = chosen
    facts = []
    row_name = name.split(":", 1)[1]
    aligned = _aligned(header, values, unit)
    for (field, column), cell in zip(header, aligned):
        if field is None or cell is None:
            continue
        value = _value(cell.text, field, _header_unit(column) or unit)
        if value is None:
            continue
        facts.append(Fact(field, value, cell.start, cell.end, f"table.{column}", confidence=0.95,
                          snippet=f"{row_name} · {column}: {cell.text}"))
    return facts


def _aligned(header, values: list[Cell], unit: str) -> list[Cell | None]:
    """The row's cells under the header's columns. A row that lost empty cells (a web page
    drops the <td> of a blank 年初预算数: '387664.62 | 387664.62 | 10 | 100% | 10' under six
    columns) is read left to right only where that is consistent; else the lost cells are put
    back where exactly one placement makes every cell fit its column (a percentage under 执行率,
    a whole score under 分值) and the stated rate equal 执行数 ÷ 预算数. Where several fit, only
    the columns they agree on are read; where none does, none."""
    if len(values) >= len(header) or _fits(header, values, unit):
        return list(values)
    from itertools import combinations
    fitting = []
    for blanks in combinations(range(len(header)), len(header) - len(values)):
        it = iter(values)
        row = [None if k in blanks else next(it) for k in range(len(header))]
        if _fits(header, row, unit):
            fitting.append(row)
            if len(fitting) > 20:
                break
    if not fitting:
        return [None] * len(header)
    first = fitting[0]
    return [first[k] if all(r[k] is first[k] for r in fitting) else None for k in range(len(header))]


def _fits(header, row: list[Cell | None], unit: str) -> bool:
    """Every cell fits its column, and a stated rate is what the amounts make."""
    got: dict[str, float | None] = {}
    for (field, column), cell in zip(header, row):
        if cell is None:
            continue
        percent = cell.text.endswith("%")
        if field == "budget.execution_rate_pct":
            if not percent and "%" not in column and _value(cell.text, "budget.initial_wan", unit) is not None:
                return False  # under 执行率(%) a bare number is the rate
            got[field] = _value(cell.text, field, unit)
        elif field:
            if percent:
                return False
            got[field] = _value(cell.text, field, unit)
        elif re.match(r"分值|权重|得分", column):
            if percent:
                return False
            number = _value(cell.text, "budget.initial_wan", "万元")
            if number is not None and (number > 100 or (column.startswith(("分值", "权重")) and number != int(number))):
                return False
    rate = got.get("budget.execution_rate_pct")
    if rate:
        fields = [f for f, _ in header]
        base = got.get("budget.adjusted_wan") if "budget.adjusted_wan" in fields else got.get("budget.initial_wan")
        actual = got.get("budget.actual_wan")
        if not base or actual is None or abs(actual / base * 100 - rate) > 0.6:
            return False
    return True


def _header_unit(column: str) -> str | None:
    """A unit in the column's header (年初预算数(元)) beats the table's (单位：万元)."""
    m = re.search(r"[(（](亿元|万元|元)[)）]", column)
    return m.group(1) if m else None


def _choose(rows, header, unit):
    """The total row, unless it states no amount (all zero or empty): then its first part
    that does (其中:当年财政拨款)."""
    def amounts(values):
        out = []
        for (field, _), cell in zip(header, values):
            if field and field != "budget.execution_rate_pct":
                v = _value(cell.text, field, unit)
                if v is not None:
                    out.append(v)
        return out

    totals = [r for r in rows if r[0].startswith("total")]
    parts = [r for r in rows if r[0].startswith("part")]
    for row in totals[:1]:
        if any(amounts(row[1])):
            return row
    for row in parts:
        if any(amounts(row[1])):
            return row
    return None


def _value(cell: str, field: str, unit: str) -> float | None:
    m = re.fullmatch(rf"(?P<num>{NUMBER})\s*(?P<unit>%|万元|万|元)?", cell)
    if not m:
        return None
    number = parse_number(m.group("num"))
    if number is None:
        return None
    if field == "budget.execution_rate_pct":
        return number if m.group("unit") == "%" and 0 <= number <= 200 else None
    if m.group("unit") == "%" or number < 0:
        return None
    cell_unit = {"万": "万元"}.get(m.group("unit"), m.group("unit"))
    return to_wan(number, cell_unit, unit)


# ── cells glued together (a DOCX or PDF preview that lost its cell borders) ─────

GLUED = re.compile(r"(?<![\d.])(?P<run>\d[\d.]{5,40})%(?P<score>\d{1,2}(?:\.\d{1,2})?(?![\d.]))?")
_GLUED_HEADERS = (("budget.initial_wan", r"年初预算"), ("budget.adjusted_wan", r"调整(?:后)?预算|全年预算|(?<![初整后年])预算数"),
                  ("budget.actual_wan", r"(?:全年|预算)?执行数|实际支出"), ("weight", r"分值(?:\((?P<w>\d+)分\))?"))
_MAX_DIGITS = {"万元": 7, "元": 11, "亿元": 4}  # integer digits of the largest amount a cell holds
_CELL_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d{1,2})?")


def glued_budget(text: str, unit: str) -> list[Fact]:
    """'年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分 年度资金总额:310.2154.741050%5': a
    budget row whose cells lost their borders. The headers before it say which amounts the
    run holds; the run is split only where exactly one split makes the stated rate equal
    actual ÷ budget (to its rounding), else nothing is read. Below review.LOW: a person checks."""
    for m in GLUED.finditer(text):
        if m.group("run").count(".") < 2 and not re.search(r"\d{5}", m.group("run")):
            continue
        window = text[max(0, m.start() - 90):m.start()]
        rate_at = window.rfind("执行率")
        if rate_at < 0 or not re.search(r"资金总额|执行率(?:\([A-Z/]+\))?[:\s]*$", window):
            continue
        columns = []
        for name, rx in _GLUED_HEADERS:
            h = re.search(rx, window)
            if h and h.start() < rate_at:
                columns.append((h.start(), name, h.groupdict().get("w")))
        columns = [(name, w) for _, name, w in sorted(columns)]
        amounts = [n for n, _ in columns if n != "weight"]
        if "budget.actual_wan" not in amounts or len(amounts) < 2:
            continue
        splits = _splits(m.group("run"), len(columns) + 1)
        good = []
        for parts in splits:
            values = dict(zip([n for n, _ in columns] + ["rate"], parts))
            weight = next((w for n, w in columns if n == "weight"), None)
            if "weight" in values and not (float(values["weight"][0]) == float(weight) if weight
                                           else float(values["weight"][0]) <= 20 and "." not in values["weight"][0]):
                continue
            base = values.get("budget.adjusted_wan") or values.get("budget.initial_wan")
            actual, rate = float(values["budget.actual_wan"][0]), float(values["rate"][0])
            if not float(base[0]) or rate > 200 or (actual and not rate):
                continue  # a rate of 0 beside money spent only rounds a split that cut the budget too long
            if any(len(values[n][0].split(".")[0]) > _MAX_DIGITS.get(unit, 7) for n in amounts):
                continue  # 100010001万元 (a trillion yuan) is no cell of a department's table
            tolerance = 0.5 if "." not in values["rate"][0] else 0.06
            if abs(actual / float(base[0]) * 100 - rate) > tolerance:
                continue
            # the 得分 cell after the rate (…100.00%10) is the weight × the rate: a second check
            if m.group("score") and "weight" in values and \
                    abs(float(values["weight"][0]) * min(rate, 100) / 100 - float(m.group("score"))) > 0.51:
                continue
            good.append(values)
        if len(good) > 1:
            # 500500100%: 500 | 500 | 100 beats 5005001 | 0 | 0, a split that reads "nothing spent"
            # only out of the run's last zeros
            good = [g for g in good if float(g["budget.actual_wan"][0])]
        if len(good) != 1:
            continue
        facts = []
        for name, (cell, start, end) in good[0].items():
            if name == "weight":
                continue
            field = "budget.execution_rate_pct" if name == "rate" else name
            value = float(cell) if name == "rate" else to_wan(float(cell), "万元", unit)
            facts.append(Fact(field, value, m.start("run") + start, m.start("run") + end, "table.glued_cells",
                              confidence=0.55, snippet=f"{m.group('run')}% · {field.split('.')[1]}: {cell}"))
        return facts
    return []


def _splits(run: str, k: int) -> list[list[tuple[str, int, int]]]:
    """Every way to cut `run` into k numbers of at most two decimals (no leading zeros)."""
    out: list[list[tuple[str, int, int]]] = []

    def go(pos: int, acc: list[tuple[str, int, int]]) -> None:
        if len(out) > 50:
            return
        if len(acc) == k:
            if pos == len(run):
                out.append(list(acc))
            return
        for end in range(pos + 1, min(len(run), pos + 12) + 1):
            piece = run[pos:end]
            if _CELL_NUMBER.fullmatch(piece):
                acc.append((piece, pos, end))
                go(end, acc)
                acc.pop()

    go(0, [])
    return out


# ── funding by source (中央 | 省、地 | 本级 | 其他 | 合计 | 执行数) with its empty cells lost ─────

_SOURCES = r"(?:中央|省(?:级|、地|、市)?|市(?:级)?|县(?:级)?|区(?:级)?|本级|其他|自筹)"
SOURCE_ROW = re.compile(rf"(?P<head>(?:{_SOURCES}\s+){{2,6}})合计\s+执行数(?P<units>(?:\s*\((?:万元|元)\)){{0,8}})"
                        rf"(?P<values>(?:\s+(?:{NUMBER})){{2,8}})(?![\d.])")


def source_row(text: str, unit: str) -> list[Fact]:
    """'中央 省、地 本级 其他 合计 执行数 (万元)… 18.6 18.6 17.95': a form whose empty source cells
    vanished. 合计 and 执行数 are the last two columns and are never empty where money was
    spent, so the last two figures are they; read only where the figures before them add up
    to 合计 (the one check that the cells were lost at the left). 合计 is the year's single
    budget (adjusted_wan, as for a single 预算数 column)."""
    for m in SOURCE_ROW.finditer(text):
        values = [(v.group(), m.start("values") + v.start(), m.start("values") + v.end())
                  for v in re.finditer(NUMBER, m.group("values"))]
        if len(values) == 2:
            # the row's last cell split off by the cells of the row below, which a preview wrapped
            # in (5.5 5.5 来源 项目年度目标 3、一次性□ 5.5 执行率 100%): one more figure right
            # before 执行率, its rate checking what it makes
            more = re.match(rf"(?:[^\d\n]|\d、){{1,40}}?(?<![\d.])(?P<v>{NUMBER})\s*执行率\s*(?P<r>{NUMBER})\s*%",
                            text[m.end():m.end() + 80])
            if more:
                numbers = [parse_number(v) for v, _, _ in values] + [parse_number(more.group("v"))]
                rate = parse_number(more.group("r"))
                if None not in numbers and numbers[1] and rate is not None \
                        and abs(numbers[2] / numbers[1] * 100 - rate) <= 0.5:
                    values.append((more.group("v"), m.end() + more.start("v"), m.end() + more.end("v")))
        sources = len(re.findall(_SOURCES, m.group("head")))
        parts, (total, actual) = values[:-2], values[-2:]
        if not parts or len(parts) > sources:
            continue
        numbers = [parse_number(v) for v, _, _ in values]
        if any(n is None for n in numbers) or abs(sum(numbers[:-2]) - numbers[-2]) > 0.011:
            continue
        cell_unit = "元" if "(元)" in m.group("units") else ("万元" if "(万元)" in m.group("units") else unit)
        return [Fact("budget.adjusted_wan", to_wan(numbers[-2], cell_unit, unit), total[1], total[2], "table.sources",
                     confidence=0.8, snippet=f"合计: {total[0]}"),
                Fact("budget.actual_wan", to_wan(numbers[-1], cell_unit, unit), actual[1], actual[2], "table.sources",
                     confidence=0.8, snippet=f"执行数: {actual[0]}")]
    return []
