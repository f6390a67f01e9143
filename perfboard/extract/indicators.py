"""The performance-indicator table (一级/二级/三级指标, 年度指标值, 实际完成值).

Tables reach us in several broken shapes; each has its own reader here, tried in
turn, and the first that finds rows wins:
- columns aligned with spaces (pdftotext -layout, fixed-width exports);
- one row per line with cells separated by '|' (DOCX, XLSX, HTML exports);
- one cell per line ending in '|' (flattened HTML);
- one cell per paragraph, cells separated by blank lines (DOCX exports);
- a numbered restatement under the table ('1.X，年度指标值：Y，实际完成指标值：Z');
- the 自评表's key-indicator block (主要任务 … 关键指标 指标完成情况 任务涉及资金);
- the whole table run together on one line (spreadsheet and web exports).
Only the text of cells is kept; a cell's value is never reinterpreted."""
from __future__ import annotations

import re
import unicodedata

from perfboard.extract.model import Indicator
from perfboard.extract.text import squash

LEVEL1 = r"(?:产出|效益|效果|满意度|成本|过程|决策|管理|履职|可持续影响)指标"
LEVEL2 = (r"(?:数量|质量|时效|成本|经济成本|社会成本|社会效益|经济效益|生态效益|可持续影响|"
          r"服务对象满意度|满意度)(?:指标)?")
# level names as they stand in a table, to be told apart from indicator names
LEVEL_WORDS = re.compile(rf"{LEVEL1}|(?:数量|质量|时效|成本|可持续影响|服务对象满意度)指标|(?:社会|经济|生态)效益(?:指标)?")
VOCAB = re.compile(rf"^(?:{LEVEL1}|{LEVEL2})$")
HEADER = re.compile(r"三级指标[\s|]*(?:指标内容[\s|]*)?(?:年度|预期)?(?:指标值|目标值)")
END = re.compile(r"^\s*(?:总\s*分|合计|自评结论|填表人|联系人|评价结论)")


def extract(text: str, prose: str) -> list[Indicator]:
    for reader in (aligned_columns, pipe_rows, inline_header, cell_per_line, blank_line_cells, numbered_restatement, key_indicators,
                   run_on_tokens, glued_cells, spaced_rows, target_actual_run):
        rows = reader(text, prose)
        if rows:
            return rows
    return []


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    cell = re.sub(r"\s+", "", cell).strip("|")
    return cell or None


# ── columns aligned with spaces ─────────────────────────────────────────────

def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _chunks(line: str) -> list[tuple[int, str]]:
    """Pieces of a line separated by two or more spaces, with their display column."""
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((_width(line[:m.start()]), m.group()))
    return out


HEADER_COLUMNS = [("level1", r"一级"), ("level2", r"二级"), ("level3", r"三级"),
                  ("target", r"年度|预期|目标|(?:年初)?(?:指标|目标)值|计划"), ("actual", r"(?:全年|年终)?实际|(?:全年|年终)?完成(?:值|情况)?$"),
                  ("other", r"分值|得分|偏差|权重|备注")]
# a table without levels names its indicator column otherwise (项目 | 年度目标 | 实际完成)
NAME_COLUMN = re.compile(r"^(?:绩效)?(?:项目|指标(?:名称|内容)?|考核指标|绩效指标|三级指标)$")


def aligned_columns(text: str, prose: str) -> list[Indicator]:
    lines = text.split("\n")
    offsets = _line_offsets(lines)
    for h, line in enumerate(lines):
        if "三级" not in line or not re.search(r"\S {2,}\S", line):
            continue
        columns = []
        for col, chunk in _chunks(line):
            for name, pattern in HEADER_COLUMNS:
                if re.match(pattern, chunk) and (name == "other" or name not in {c[1] for c in columns}):
                    columns.append((col, name))
                    break
        names = [c[1] for c in columns]
        if not {"level3", "target", "actual"} <= set(names):
            continue
        return _read_aligned(lines, offsets, h + 1, columns)
    return []


def _read_aligned(lines, offsets, first, columns) -> list[Indicator]:
    rows: list[dict] = []
    current: dict | None = None
    blank_before = False
    started = False
    for i in range(first, len(lines)):
        line = lines[i]
        if not line.strip():
            blank_before = True
            continue
        prose_line = not line[0].isspace() and not re.search(r"\S {2,}\S", line) and len(line.strip()) > 2
        if END.match(line) or (started and prose_line):
            break
        cells = _in_sequence(_chunks(line), columns)
        if cells is None:
            cells = {}
            for col, chunk in _chunks(line):
                name = _column_of(col, columns)
                if name:
                    cells[name] = cells.get(name, "") + chunk
        if not started:
            if "level3" not in cells:
                continue
            started = True
        # a line whose level cells are only the wrapped tail of a level name (指标, 度指)
        # continues the row above, even when it also carries the tail of target and actual
        wrapped = any(re.fullmatch(r"[度指标]+", cells.get(k, "")) for k in ("level1", "level2"))
        new_row = current is None or ("level3" in cells and (
            blank_before or ("target" in cells and current.get("target") and not wrapped)))
        if new_row:
            current = {"start": offsets[i], "end": offsets[i] + len(line)}
            rows.append(current)
        for name, value in cells.items():
            current[name] = current.get(name, "") + value
        current["end"] = offsets[i] + len(line)
        blank_before = False
    return _finish(rows, "indicators.aligned_columns")


def _in_sequence(chunks: list[tuple[int, str]], columns: list[tuple[int, str]]) -> dict[str, str] | None:
    """A whole row on one line read by the order of its cells rather than their columns
    (a scanned table's columns drift: a row's cells stand left or right of their headers):
    from the right the score cells (分值, 得分), then actual, target and the indicator's name;
    before the name only level names. None where the line is not such a row (a wrapped
    cell, an empty cell), so that it is read by columns."""
    names = [n for _, n in columns]
    core = [n for n in names if n != "other"]
    if core[-3:] != ["level3", "target", "actual"] or any(n != "other" for n in names[names.index("actual") + 1:]):
        return None
    cells = [c for col, c in chunks if not (col + 2 < columns[0][0])]  # no vertical caption
    others = len(names) - names.index("actual") - 1
    scores = 0
    while scores < others and len(cells) - scores > 3 and SCORE_CELL.match(cells[-1 - scores]):
        scores += 1
    body = cells[:len(cells) - scores]
    if not others or scores < others or len(body) < 3:
        return None  # only a row with all its score cells is whole (a wrapped line has none)
    levels, (level3, target, actual) = body[:-3], body[-3:]
    if (len(levels) > 2 or any(not VOCAB.match(re.sub(r"\(\d+分\)$", "", w)) for w in levels)
            or VOCAB.match(level3) or VOCAB.match(target)):
        return None
    out = {"level3": level3, "target": target, "actual": actual}
    for word in levels:
        out["level1" if re.fullmatch(LEVEL1, re.sub(r"\(\d+分\)$", "", word)) and "level1" not in out
            and not (len(levels) == 1 and re.fullmatch(LEVEL2, word)) else "level2"] = word
    return out


def _column_of(col: int, columns: list[tuple[int, str]]) -> str | None:
    """The header column a chunk starting at display column `col` stands in: the last one
    starting at or before it, unless the next one starts nearer (scanned tables drift by a
    few columns: a row's cell may start left of its header). Text left of the first column
    is a vertical caption (绩/效/指/标), no cell."""
    if not columns or col + 2 < columns[0][0]:
        return None
    k = max(i for i, (start, _) in enumerate(columns) if col + 2 >= start or i == 0)
    if k + 1 < len(columns) and columns[k + 1][0] - col < col - columns[k][0]:
        k += 1
    return columns[k][1]


def _line_offsets(lines: list[str]) -> list[int]:
    out, pos = [], 0
    for line in lines:
        out.append(pos)
        pos += len(line) + 1
    return out


def _finish(rows: list[dict], rule: str) -> list[Indicator]:
    out = []
    level1 = level2 = None
    for row in rows:
        l1, l2 = _clean(row.get("level1")), _clean(row.get("level2"))
        if l1:
            level1, level2 = re.sub(r"\(\d+分\)$", "", l1), None
        if l2:
            level2 = l2
        level3 = _clean(row.get("level3"))
        if not level3:
            continue
        out.append(Indicator(level1, level2, level3, _clean(row.get("target")), _clean(row.get("actual")),
                             row["start"], row["end"], rule))
    return out


# ── one row per line, cells separated by '|' ────────────────────────────────

def pipe_rows(text: str, prose: str) -> list[Indicator]:
    lines = text.split("\n")
    offsets = _line_offsets(lines)
    for h, line in enumerate(lines):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 3 or "|" not in line:
            continue
        index = {}
        for k, cell in enumerate(cells):
            if "level3" not in index and "三级" not in line and NAME_COLUMN.match(cell):
                index["level3"] = k  # 项目 | 年度目标 | 实际完成: the first column names the indicator
                continue
            for name, pattern in HEADER_COLUMNS:
                if re.match(pattern, cell) and name not in index:
                    if name in ("target", "actual") and "三级" in line and "level3" not in index:
                        break  # a caption cell before the levels (年度绩效目标(80分) | 一级指标 | …)
                    index[name] = k
                    break
        if not {"level3", "target", "actual"} <= set(index) or index["level3"] > min(index["target"], index["actual"]):
            continue
        if "三级" not in line and not (re.search(r"目标|指标值", cells[index["target"]])
                                     and re.search(r"完成|实际值", cells[index["actual"]])):
            continue  # 项目 | 年度预算数 | 实际支出 is a budget table, not indicators
        rows = []
        width = len(_trimmed(cells))
        for i in range(h + 1, len(lines)):
            row_cells = [c.strip() for c in lines[i].split("|")]
            if END.match(lines[i]) or len(row_cells) <= index["actual"]:
                if rows:
                    break
                continue
            if len(_trimmed(row_cells)) < width:
                row_cells = _align(row_cells, index)
            row = {name: row_cells[k] for name, k in index.items() if k < len(row_cells)}
            row.update(start=offsets[i], end=offsets[i] + len(lines[i]))
            rows.append(row)
        return _finish(rows, "indicators.pipe_rows")
    return []


# ── the template's two header rows run onto one line with the first indicator row ──

INLINE_HEADER = re.compile(r"一级指标\s*\|\s*二级指标\s*\|\s*三级指标\s*\|\s*指标性质\s*\|\s*指标值\s*\|\s*度量单位\s*\|")
OPERATOR = re.compile(r"^(?:[≥≤≧≦=═＝<>＞＜]|定性|定量)$")
INLINE_INDEX = {"level1": 0, "level2": 1, "level3": 2, "nature": 3, "target": 4, "unit": 5, "actual": 6}


def inline_header(text: str, prose: str) -> list[Indicator]:
    """A web page that flattened the template's two header rows (绩效指标 | 年度指标值 |
    实际完成值 | 分值 | 得分 | 偏差原因… over 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 |
    度量单位) onto one line, the first indicator row after them: the columns are the lower
    row's six, then 实际完成值. A row is read only where its 指标性质 cell is an operator
    (≥, =, 定性), which is the check that its cells stand in their columns; rows whose cells
    the page split over lines are left out."""
    m = INLINE_HEADER.search(text)
    if not m:
        return []
    line_start = text.rfind("\n", 0, m.start()) + 1
    if not re.search(r"实际完成值|完成值", text[line_start:m.start()]):
        return []
    rows = []
    pos = m.end()
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        segment = text[pos:end]
        cells = [re.sub(r"\s+", "", c) for c in segment.split("|")]
        if cells and not cells[0]:
            cells = cells[1:]
        if "总分" in cells or END.match(segment.strip("| ")):
            break
        operator = next((k for k, c in enumerate(cells) if OPERATOR.match(c)), None)
        if operator is not None:
            # the operator's place says where the row starts (成本指标 is a level-1 name in one
            # template and a level-2 one in another: its words cannot say)
            shift = INLINE_INDEX["nature"] - operator
            row_cells = [""] * shift + cells if shift >= 0 else cells[-shift:]
            if len(row_cells) > INLINE_INDEX["actual"] and not VOCAB.match(row_cells[INLINE_INDEX["level3"]]):
                row = {k: row_cells[i] for k, i in INLINE_INDEX.items()}
                row["target"] = row["nature"].replace("═", "=") + row["target"] + row["unit"]
                row.update(start=pos, end=end)
                rows.append(row)
        elif any(cells):
            # a row split over lines is not read, but its level names carry to the rows below
            row_cells = _align(cells, INLINE_INDEX)
            row = {k: row_cells[i] for k, i in (("level1", 0), ("level2", 1)) if i < len(row_cells)
                   and VOCAB.match(row_cells[i])}
            if row:
                row.update(start=pos, end=end)
                rows.append(row)
        pos = end + 1
    return _finish(rows, "indicators.inline_header")


def _trimmed(cells: list[str]) -> list[str]:
    """The cells up to the last one holding text (an HTML export pads rows with empty cells)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _align(cells: list[str], index: dict) -> list[str]:
    """A row shorter than the header left out the cells merged down from the rows above (a
    caption column, 一级指标, 二级指标): put its first cell under the column its text belongs to —
    a level-1 name under 一级指标, a level-2 name under 二级指标, anything else under 三级指标."""
    lead = next((j for j, c in enumerate(cells) if c), None)
    if lead is None:
        return cells
    first = re.sub(r"\(\d+分\)$", "", cells[lead])
    if "level1" in index and re.match(rf"^{LEVEL1}$", first):
        want = index["level1"]
    elif "level2" in index and VOCAB.match(first):
        want = index["level2"]
    else:
        want = index["level3"]
    shift = want - lead
    return [""] * shift + cells if shift >= 0 else cells[-shift:]


# ── one cell per line, each ending in '|' ───────────────────────────────────

def cell_per_line(text: str, prose: str) -> list[Indicator]:
    m = HEADER.search(text)
    if not m or "|" not in text[m.start():m.end() + 40]:
        return []
    if not re.search(r"实际|完成", text[m.end():m.end() + 40]):
        return []  # a goals form (三级指标 | 指标值) has no value achieved to read
    cells = []
    for c in re.finditer(r"[^|\n]*\|", text[m.end():]):
        value = c.group()[:-1].strip()
        cells.append((value, m.end() + c.start(), m.end() + c.end()))
    rows: list[dict] = []
    k = 0
    level1 = None
    while k < len(cells):
        value = cells[k][0]
        if END.match(value):
            break
        l1 = re.match(rf"^({LEVEL1})(?:\(\d+分\))?$", value)
        if l1 and not (k + 1 < len(cells) and not VOCAB.match(cells[k + 1][0]) and rows == [] and False):
            if k + 1 < len(cells) and VOCAB.match(re.sub(r"\(\d+分\)$", "", cells[k + 1][0])):
                level1 = l1.group(1)
                k += 1
                continue
        if VOCAB.match(value) and k + 3 < len(cells):
            rows.append({"level1": level1, "level2": value, "level3": cells[k + 1][0], "target": cells[k + 2][0],
                         "actual": cells[k + 3][0], "start": cells[k][1], "end": cells[k + 3][2]})
            level1 = None
            k += 4
            continue
        k += 1
    return _finish(rows, "indicators.cell_per_line")


# ── one cell per paragraph (DOCX exports: cells separated by blank lines) ─────

PIPE_CELL_HEADER = re.compile(r"一级指标\s*\|\s*\n\s*二级指标\s*\|\s*\n\s*三级指标\s*\|")
BLANK_HEADER = re.compile(r"一级指标\s*\n[ \t]*\n\s*二级指标\s*\n[ \t]*\n\s*三级指标")
HEADER_JOIN = {"年度", "实际", "预期", "全年", "年初", "指标", "完成"}
# 指标1:… / 1、… / 指标1工程完工率 (the template's numbered rows, the number glued to the name)
NUMBERED_NAME = re.compile(r"^(?:指标\s*\d+\s*[:.、]?|\d+\s*[:.、])\s*")


VALUE_LIKE = re.compile(r"[≥≤<>=＞＜]?\s*[\d.,]+\s*(?:%|[^\d\s]{1,2})?")


def blank_line_cells(text: str, prose: str) -> list[Indicator]:
    """A table whose cells are paragraphs: an empty cell is a line holding only spaces, a
    header may be split (年度 / 指标值), a level name too (满意度 / 指标). The header says how
    many cells follow the third-level name; level names are known words."""
    m = BLANK_HEADER.search(text)
    separator = r"(\n[ \t]*\n)"
    if not m:
        # the same with each cell ending in '|' (an empty cell is a bare '|'), as web exports of
        # the Sichuan template (指标性质 | 指标值 | 度量单位 | 完成值) print it
        m = PIPE_CELL_HEADER.search(text)
        separator = r"(\|[ \t]*\n?)"
        if not m:
            return []
    cells, pos = [], m.start()
    for piece in re.split(separator, text[m.start():m.start() + 20000]):
        if not re.fullmatch(separator[1:-1], piece):
            cells.append((piece.strip(), pos, pos + len(piece)))
        pos += len(piece)
    if separator.startswith("(\\|"):
        cells = cells[:-1] if cells and not cells[-1][0] else cells
    header: list[str] = []
    k = 0
    while k < len(cells) and not re.fullmatch(LEVEL1 + r"(?:\(\d+分\))?", cells[k][0]):
        name = cells[k][0]
        if header and header[-1] in HEADER_JOIN:
            header[-1] += name
        elif name:
            header.append(name)
        k += 1
        if k > 20:
            return []
    try:
        l3 = next(i for i, h in enumerate(header) if h.startswith("三级"))
        t = next(i for i, h in enumerate(header) if re.search(r"指标值|目标值", h))
        a = next(i for i, h in enumerate(header) if h.startswith("实际") or h in ("完成值", "实际完成值", "全年实际值"))
    except StopIteration:
        return []
    after = len(header) - l3 - 1
    rows = []
    level1 = level2 = None
    while k < len(cells):
        value = cells[k][0]
        if END.match(value) or value.startswith("项目负责人"):
            break
        joined = value + cells[k + 1][0] if k + 1 < len(cells) and cells[k + 1][0] == "指标" else None
        word = joined or value
        bare = re.sub(r"\(\d+分\)$", "", word)
        if re.fullmatch(LEVEL1, bare) and not (level1 and re.fullmatch(LEVEL2, bare) and level1.startswith("满意度")):
            level1, level2 = bare, None
            k += 2 if joined else 1
            continue
        if re.fullmatch(LEVEL2, bare):
            level2 = bare
            k += 2 if joined else 1
            continue
        row = cells[k + 1:k + 1 + after]
        if len(row) < after:
            break
        if not value and any(c[0] for c in row):
            k += 1  # a stray empty paragraph between two blocks (…… / 效益指标), not a row
            continue
        name = NUMBERED_NAME.sub("", value).strip()
        if name and not re.fullmatch(r"[…\.。·]+", name):
            rows.append(Indicator(level1, level2, name, row[t - l3 - 1][0] or None, row[a - l3 - 1][0] or None,
                                  cells[k][1], row[a - l3 - 1][2], "indicators.blank_line_cells"))
        k += 1 + after
    if any(VALUE_LIKE.fullmatch(r.level3) for r in rows):
        # a name that is a value (1处, 100%, 20): empty cells were dropped (PDF text of the same
        # table), so rows are not the fixed width the header says; the run-on reader counts cells
        return []
    return rows


# ── numbered restatement under a broken table ───────────────────────────────

RESTATED = re.compile(r"(?:^|\n|。)\s*\d{1,2}\s*[.、]\s*(?P<l3>[^,。\n]{2,60}?),\s*(?:年度)?(?:指标值|目标值)\s*:\s*"
                      r"(?P<t>[^。]{1,80}?),\s*实际完成(?:指标)?值\s*:\s*(?P<a>[^。]{1,80}?)。")


def numbered_restatement(text: str, prose: str) -> list[Indicator]:
    head = HEADER.search(prose)
    if not head:
        return []
    items = list(RESTATED.finditer(prose, head.end()))
    if not items:
        return []
    # the table itself (between its header and the restatement), without level names,
    # tells which words are really third-level indicator names
    table = squash(prose[head.end():items[0].start()])
    table = re.sub(LEVEL_WORDS, "", table)
    rows = []
    for m in items:
        level3, target, actual = _clean(m.group("l3")), _clean(m.group("t")), _clean(m.group("a"))
        if level3 not in table:
            suffix = next((level3[k:] for k in range(len(level3) - 3) if level3[k:] in table), None)
            if suffix:
                level3 = suffix
            elif target and target in table:
                level3, target = target, None
        rows.append(Indicator(None, None, level3, target, actual, m.start("l3"), m.end("a"),
                              "indicators.numbered_restatement"))
    return _levels_from_table(prose[head.end():items[0].start()], rows)


def _levels_from_table(table: str, rows: list[Indicator]) -> list[Indicator]:
    """Level names are the vocabulary words that precede a row's name in the table."""
    flat = squash(table)
    level1 = level2 = None
    pos = 0
    for row in rows:
        at = flat.find(row.level3, pos)
        if at < 0:
            continue
        for m in re.finditer(rf"{LEVEL1}|{LEVEL2}", flat[pos:at]):
            word = m.group()
            if re.fullmatch(LEVEL1, word) and not re.fullmatch(r"(?:服务对象)?满意度指标", word) or word == "满意度指标":
                level1, level2 = word, None
            else:
                level2 = word
        row.level1, row.level2 = level1, level2
        pos = at + len(row.level3)
    return rows


# ── the 自评表's key-indicator block ────────────────────────────────────────

KEY_HEADER = re.compile(r"关键指标[\s|]*指标完成情况[\s|]*任务\s*涉及\s*资金")
KEY_END = re.compile(r"重点项目绩效情况|部门整体绩效|存在问题|$")
FUNDS = re.compile(r"^(?:-?\d+(?:\.\d+)?|[—–-]{1,2})$")


def key_indicators(text: str, prose: str) -> list[Indicator]:
    head = KEY_HEADER.search(text)
    if not head:
        return []
    end = head.end() + KEY_END.search(text, head.end()).start() - head.end()
    region = text[head.end():end]
    cells = _key_cells(region, head.end())
    rows = []
    segment: list[tuple[str, int, int]] = []
    for cell in cells:
        if FUNDS.match(cell[0]):
            if len(segment) < 5 or (len(segment) - 5) % 2:
                return []
            rows += _pairs(segment[:-5]) + _pairs(segment[-2:])
            segment = []
        else:
            segment.append(cell)
    if len(segment) % 2:
        return []
    rows += _pairs(segment)
    return rows


def _key_cells(region: str, base: int) -> list[tuple[str, int, int]]:
    if re.search(r"\n\s*\n", region):
        # cells are blocks of lines; a sentence end followed by an indented line starts a new one
        pieces = re.split(r"(\n[ \t]*\n\s*|(?<=。)\n(?=[ \t]))", region)
    else:
        pieces = re.split(r"(\s+)", region)
    cells, pos = [], 0
    for piece in pieces:
        if piece is None:
            continue
        if piece.strip() and not re.fullmatch(r"\n[ \t]*\n\s*|\s+", piece):
            value = re.sub(r"\s+", "", piece)
            cells.append((value, base + pos, base + pos + len(piece)))
        pos += len(piece)
    return cells


def _pairs(cells: list[tuple[str, int, int]]) -> list[Indicator]:
    return [Indicator(None, None, cells[k][0], None, cells[k + 1][0], cells[k][1], cells[k + 1][2],
                      "indicators.key_indicators") for k in range(0, len(cells) - 1, 2)]


# ── a whole table run together on one line, cells separated by single spaces ─

RUN_ON_HEADER = re.compile(r"一级指标\s+二级指标\s+三级指标\s+(?:年度|预期)?\s*(?:指标值|目标值)\s+实际\s*完成值")
HEADER_TAIL = re.compile(r"^(?:分值|得分|权重|备注|偏差原因分析及改进措施|未完成原因分析|偏差原因分析)$")
SCORE_CELL = re.compile(r"^(?:\d+(?:\.\d+)?|[—–\-/])$")


def run_on_tokens(text: str, prose: str) -> list[Indicator]:
    """Spreadsheet and web exports that lose their line breaks: '一级指标 二级指标 三级指标 年度指标值
    实际完成值 分值 得分 … 产出指标(50分) 数量指标 接入乡镇卫生院 ≥12家 12家 15 15 …'. After a name
    come its target and actual; the number cells after them (分值, 得分) are skipped."""
    m = RUN_ON_HEADER.search(text)
    if not m:
        return []
    # one cell per line when the header is (PDF text of a table), else cells between spaces
    cell = r"[^\n]*\S[^\n]*" if "\n" in m.group() else r"\S+"
    tokens = [(t.group().strip(), m.end() + t.start(), m.end() + t.end())
              for t in re.finditer(cell, text[m.end():m.end() + 6000])]
    # level names split over two cells (满意度 / 指标)
    joined = []
    for tok in tokens:
        if joined and tok[0] == "指标" and re.fullmatch(rf"{LEVEL1}|{LEVEL2}", joined[-1][0] + "指标"):
            joined[-1] = (joined[-1][0] + "指标", joined[-1][1], tok[2])
        else:
            joined.append(tok)
    tokens = joined
    k = 0
    while k < len(tokens) and HEADER_TAIL.match(tokens[k][0]):
        k += 1
    rows, level1, level2 = [], None, None
    remarks = 0
    # a remark column (偏差原因分析及改进措施) after the scores: its text is no indicator name
    remark_column = bool(re.search(r"偏差|原因|备注|改进措施", text[m.end():m.end() + 40]))
    after_scores = False
    while k < len(tokens) and len(rows) < 60:
        value = tokens[k][0]
        bare = re.sub(r"\(\d+分\)$", "", value)
        if END.match(value) or re.match(r"^(?:项目负责人|财务负责人|评价结论|存在问题|[一二三四五六七八九十]+、|"
                                        r"\([一二三四五六七八九十]+\))", value):
            break
        following = re.sub(r"\(\d+分\)$", "", tokens[k + 1][0]) if k + 1 < len(tokens) else ""
        # 成本指标, 可持续影响指标, 满意度指标 are level-1 names in some templates and level-2 in
        # others: level 1 only where a level-2 name follows (成本指标 / 经济成本指标 / …)
        ambiguous = re.fullmatch(LEVEL2, bare) and level1
        if (re.fullmatch(LEVEL1, bare) and (level1 != bare or re.fullmatch(LEVEL2, following))
                and not (ambiguous and not re.fullmatch(LEVEL2, following))):
            # a level-1 name, also where each row repeats it (产出指标 / 数量指标 / … per row)
            level1, level2 = bare, None
            after_scores = False
            k += 1
            continue
        if (remark_column and after_scores and not re.fullmatch(rf"{LEVEL1}|{LEVEL2}", bare)
                and (re.fullmatch(rf"{LEVEL1}|{LEVEL2}", following) or END.match(following) or not following)):
            after_scores = False
            k += 1  # the remark cell of the row above (节假日前后来访集中…)
            continue
        after_scores = False
        if re.fullmatch(LEVEL2, bare):
            level2 = bare
            k += 1
            continue
        name = NUMBERED_NAME.sub("", value)
        if not name or re.fullmatch(r"[…\.。·]+", name) or "。" in value or len(value) > 40:
            remarks += 1 if ("。" in value or len(value) > 40) else 0
            if remarks >= 2:
                break  # prose after the table
            k += 1  # an empty row (指标2：, ……) or a remark cell (偏差原因分析)
            continue
        remarks = 0
        if k + 2 >= len(tokens):
            break
        target, actual = tokens[k + 1], tokens[k + 2]
        if re.fullmatch(rf"{LEVEL1}|{LEVEL2}", re.sub(r"\(\d+分\)$", "", actual[0])):
            break  # a row without its cells: the layout is not what this reader expects
        rows.append(Indicator(level1, level2, name, target[0], actual[0], tokens[k][1], actual[2],
                              "indicators.run_on_tokens"))
        k += 3
        while k < len(tokens) and SCORE_CELL.match(tokens[k][0]):
            k += 1
            after_scores = True
    return rows


# ── cells glued together without spaces (a sharing site's text of a form) ─────

GLUED_HEADER = re.compile(r"三级指标(?P<w_first>分值)?(?:年度指标值|指标值|目标值)(?:全年)?实际(?:完成)?值(?(w_first)|分值)得分")
_LEVEL_PREFIX = re.compile(rf"^(?:(?:{LEVEL1})(?:\(分+\))?|(?:{LEVEL2}))+")
_VALUE = r"(?:[≥≤≧≦<>=]|不低于|不高于|不少于)?\d+(?:\.\d+)?(?:%|[^\d≥≤≧≦<>=……]{0,4}?)"
GLUED_ROW = re.compile(rf"(?P<name>[^\d≥≤≧≦<>=\s]{{2,60}}?)(?P<w>\d{{1,2}})"
                       rf"(?:(?P<t>{_VALUE})(?P<a>{_VALUE})|(?P<q>[\u4e00-\u9fff]{{2,6}})(?P=q))"
                       rf"(?P<s>\d{{1,2}}(?:\.\d+)?)(?=[\u4e00-\u9fff(….]|$)")
# the national template's order: name, target, actual, 分值, 得分 (≥12处12处2020)
GLUED_ROW_WEIGHT_LAST = re.compile(rf"(?P<name>[^\d≥≤≧≦<>=\s]{{2,60}}?)"
                                   rf"(?:(?P<t>[≥≤≧≦<>=]\d+(?:\.\d+)?(?:%|[^\d≥≤≧≦<>=….]{{0,4}}?)"
                                   rf"|\d+(?:\.\d+)?(?:%|[^\d≥≤≧≦<>=….]{{1,4}}?))"
                                   rf"(?P<a>\d+(?:\.\d+)?(?:%|[^\d≥≤≧≦<>=….]{{0,4}}?))|(?P<q>[\u4e00-\u9fff]{{2,6}})(?P=q))"
                                   rf"(?P<w>\d{{1,2}})(?P<s>\d{{1,2}}(?:\.\d+)?)(?=[\u4e00-\u9fff(….]|$)")


def glued_cells(text: str, prose: str) -> list[Indicator]:
    """'三级指标分值年度指标值全年实际值得分…数量指标维修养护供水工程20≥12处12处20质量指标…': a form
    whose cells lost their borders. Each row is name, 分值, target, actual, 得分; a row is read
    only where its 得分 is at most its 分值 (the one check the split holds)."""
    m = GLUED_HEADER.search(text)
    if not m:
        return []
    end = re.search(r"总分|合计|注:|评价结论", text[m.end():m.end() + 4000])
    body = text[m.end():m.end() + (end.start() if end else 4000)]
    body = re.sub(r"^(?:未完成原因|偏差原因)(?:分析)?(?:及(?:拟采取的)?改进措施)?", lambda u: " " * len(u.group()), body)
    # a level's weight (产出指标(50分)) is no cell: its digits masked, offsets kept
    body = re.sub(r"\((\d+)分\)", lambda u: "(" + "分" * len(u.group(1)) + "分)", body)
    rows = []
    pattern = GLUED_ROW if m.group("w_first") else GLUED_ROW_WEIGHT_LAST
    for r in pattern.finditer(body):
        if float(r.group("s")) > float(r.group("w")):
            continue
        raw = r.group("name")
        prefix = _LEVEL_PREFIX.match(raw)
        levels = re.findall(rf"{LEVEL1}|{LEVEL2}", prefix.group()) if prefix else []
        name = raw[prefix.end():] if prefix else raw
        if len(name) < 2:
            continue
        row = {"level3": name, "target": r.group("t") or r.group("q"), "actual": r.group("a") or r.group("q"),
               "start": m.end() + r.start("name") + (prefix.end() if prefix else 0), "end": m.end() + r.end()}
        for level in levels:
            row["level1" if re.fullmatch(LEVEL1, level) else "level2"] = level
        rows.append(row)
    return _finish(rows, "indicators.glued_cells")


# ── one row per line, cells apart by spaces, merged cells left out ──────────

SPACED_HEADER = re.compile(r"三级指标[ \t]+(?:年度)?(?:指标值|目标值)[ \t]+(?:全年)?实际(?:完成)?值[ \t]+分值[ \t]+得分")
_SPACED_ROW = re.compile(r"(?P<name>\S+)[ \t]+(?P<t>\S+)[ \t]+(?P<a>\S+)[ \t]+(?P<w>\d+(?:\.\d+)?)[ \t]+"
                         r"(?P<s>\d+(?:\.\d+)?)(?:[ \t]+\S.*)?")


def spaced_rows(text: str, prose: str) -> list[Indicator]:
    """A web page's table as lines, cells apart by spaces and merged cells (一级, 二级指标) only
    on the row they start: '数量指标 指标1:完成灌区改造项目数量 1 1 10 10'. A row is read only
    where a name is followed by exactly target, actual, 分值 and 得分 (then a remark); a row
    with fewer cells (指标1:工程质量合格 10 10 — its 分值 and 得分 alone) says no value."""
    m = SPACED_HEADER.search(text)
    if not m:
        return []
    rows = []
    pos = text.find("\n", m.end()) + 1
    level1 = level2 = None
    while 0 < pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if END.match(line):
            break
        words = line.split()
        while words and (VOCAB.match(re.sub(r"\(\d+分\)$", "", words[0]))):
            word = re.sub(r"\(\d+分\)$", "", words.pop(0))
            if re.fullmatch(LEVEL1, word) and not re.fullmatch(LEVEL2, word):
                level1, level2 = word, None
            else:
                level2 = word  # 成本指标, 满意度指标: either level; the row's own level is what counts
        row = _SPACED_ROW.fullmatch(" ".join(words))
        if row:
            name = NUMBERED_NAME.sub("", row.group("name"))
            if re.search(r"[\u4e00-\u9fff]", name) and not VALUE_LIKE.fullmatch(name):
                rows.append(Indicator(level1, level2, name, row.group("t"), row.group("a"), pos, end,
                                      "indicators.spaced_rows"))
        pos = end + 1
    return rows


# ── a 财政项目绩效自评表 whose cells ran together, levels scattered after the rows ──

RUN_HEADER = re.compile(r"三级指标\s+年初目标值\s*\(A\)\s*实际完成值\s*\(B\)\s*得分")
RUN_END = re.compile(r"总分|合计|评价结论|单位主要负责人|偏差大或")
_FIGURE = r"(?:[≥≤≧≦<>]|不低于|不少于)?\d+(?:\.\d+)?(?:%(?:以上|以下)?|[^\s\d()]{0,4})"
RUN_ROW = re.compile(rf"(?P<name>[^\d\s][^\d]{{1,40}}?)\s+(?P<t>{_FIGURE})\s+(?P<a>{_FIGURE})\s+"
                     rf"(?P<s>\d{{1,2}}(?:\.\d{{1,2}})?)(?=\s|$)")


def target_actual_run(text: str, prose: str) -> list[Indicator]:
    """'三级指标 年初目标值 (A) 实际完成值 (B) 得分 服务外包在岸(万美元) 20000 23333.56 10 …': the
    form of a 财政项目绩效自评表 as a sharing site's text, its level cells scattered after the
    rows. Only rows whose target and value are figures are read (a name, two figures, the
    得分); a worded row's cells cannot be told from the next name."""
    m = RUN_HEADER.search(text)
    if not m:
        return []
    end = RUN_END.search(text, m.end(), m.end() + 3000)
    region_end = end.start() if end else min(len(text), m.end() + 3000)
    rows = []
    for row in RUN_ROW.finditer(text, m.end(), region_end):
        name = re.sub(r"\s+", "", row.group("name"))
        if VOCAB.match(name) or len(name) < 2:
            continue
        rows.append(Indicator(None, None, name, row.group("t"), row.group("a"), row.start("name"), row.end("a"),
                              "indicators.target_actual_run"))
    return rows
