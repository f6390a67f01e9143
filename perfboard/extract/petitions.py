"""Petition (信访) volumes: the total, the channels, the period they cover and the
prior-year total quoted beside them. Counts in 件/件次/批; Chinese numerals allowed.
Channels are looked for near the total, so counts about other things (包案, 矛盾纠纷,
进京走访) elsewhere in the report are not taken."""
from __future__ import annotations

import re

from perfboard.extract import catalogue
from perfboard.extract.model import Fact
from perfboard.extract.text import other_year, sentence
from perfboard.numbers import CN_NUMERAL, NUMBER, parse_number

CELL_NUMBER = re.compile(rf"{NUMBER}")
CELL_NOTE = re.compile(r"\s*\((?:件|件次|批|批次|封|个|次|人次)\)\s*$")

# 2.1万件: a count in ten-thousands (city-level bulletins)
COUNT = rf"(?P<num>{NUMBER}|{CN_NUMERAL})\s*万?\s*"
GAP = r"[^\d,。;]{0,4}?"

TOTAL_RULES = [
    ("信访事项", rf"(?:受理|接处|收到|接待|登记|办理)(?:(?!网上|网络|网信)[^\d。;]){{0,12}}?(?<!网上|网络)信访(?:事项|件)(?:共|总计|合计)?\s*{COUNT}件"),
    ("信访总量", rf"信访(?:总量|量|件总数)(?:为|达|共|是|:)?\s*{COUNT}件"),
    ("共…信访事项", rf"共(?:(?!网上|网络|网信)[^\d。;]){{0,8}}?(?<!网上|网络)信访(?:事项|件)\s*{COUNT}件"),
    # a channel's own count (受理网上信访事项1,326件) is not the total: no 网上/网络 before 信访
    # 受理群众信访1,234件次 / 登记群众来信来访1,523件次
    # 共受理人民群众来信来访195件次: letters and visits together are the total, neither channel
    ("受理信访", rf"(?:受理|接处|登记|办理)(?:人民)?(?:群众)?(?:信访|来信来访|来信、来访|来信和来访)(?:共|总计|合计)?\s*{COUNT}件"),
]
# 来访143宗次1079人次: 宗 counts cases as 批 does
UNITS = {"letters": "(?:件|封)", "visits": "(?:件|批|宗)", "online": "件", "calls": "(?:件|个|次)"}


def _channel_rules() -> list[tuple[str, str, str]]:
    """(field, rule name, pattern): the channel labels of the catalogue (fields.yaml)."""
    out = []
    for field, unit in UNITS.items():
        for label in catalogue.get(f"petitions.{field}").labels:
            out.append((field, label.name, rf"(?:{label.pattern}){GAP}{COUNT}{unit}"))
    return out


CHANNEL_RULES = _channel_rules()
PRIOR_RULE = (rf"(?:比|较|同比|与)(?:去年同期|上年同期|去年|上年|20\d\d\s*年(?:同期)?)的?\s*(?:同期)?(?:的)?\s*{COUNT}件"
              rf"|(?:去年同期|上年同期|上年|去年)(?:为|是|共?受理(?:群众)?(?:信访)?(?:事项)?)\s*{COUNT.replace('num', 'num2')}件")
YEAR_PRIOR = (rf"(?P<y>20\d\d)\s*年(?:全年|同期)?(?:全[区县市旗])?共?(?:受理|登记|接待|办理)(?:群众)?(?:信访事项|信访)?共?"
              rf"\s*{COUNT}件")
PERIOD_RULES = [
    ("起止", r"(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:至|到|-|—|~)\s*(?:20\d\d\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"),
    # 9月1日至30日: both ends in one month
    ("同月", r"(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:至|到|-|—|~)\s*(?P<d2>\d{1,2})\s*日"),
    ("截至", r"截[至止]\s*(?:20\d\d\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"),
    ("1-N月", r"(?P<m1>1)\s*(?:-|—|~|至|到)\s*(?P<m2>\d{1,2})\s*月"),
]
WINDOW_BEFORE, WINDOW_AFTER, PRIOR_WINDOW = 60, 400, 250
MONTH_END = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def extract(prose: str, document_type: str | None = None, year: int | None = None) -> dict[str, Fact]:
    total = _first(prose, TOTAL_RULES, "petitions.total", 0, len(prose), year)
    if total is None:
        if document_type != "other":
            return {}
        alone = _channels_alone(prose)
        period = _title_period(prose)
        for fact in alone.values():
            fact.period = period or (None, None)
        return alone
    out = {"petitions.total": total}
    lo, hi = max(0, total.start - WINDOW_BEFORE), min(len(prose), total.end + WINDOW_AFTER)
    for field, name, pattern in CHANNEL_RULES:
        fact = _first(prose, [(name, pattern)], f"petitions.{field}", lo, hi)
        if fact:
            out[fact.field] = fact
    # not bounded by the sentence: two-column layouts interleave the other column's text
    m = re.search(PRIOR_RULE, prose[total.end:total.end + PRIOR_WINDOW])
    if m:
        group = "num" if m.group("num") else "num2"
        start = total.end + m.start(group)
        value = _stated_count(prose[total.end:], m, group)
        if value is not None:
            out["petitions.prior_year_total"] = Fact("petitions.prior_year_total", value, start,
                                                     total.end + m.end(group), "prior.比上年", confidence=0.8)
    if "petitions.prior_year_total" not in out and year is not None:
        # 2023年全区受理信访事项1,893件 … 2022年受理2,105件: the year before, named by its number
        for m in re.finditer(YEAR_PRIOR, prose[total.end:total.end + PRIOR_WINDOW]):
            value = parse_number(m.group("num"))
            if int(m.group("y")) == year - 1 and value is not None:
                out["petitions.prior_year_total"] = Fact(
                    "petitions.prior_year_total", value, total.end + m.start("num"), total.end + m.end("num"),
                    "prior.上年受理", confidence=0.75)
                break
    period = _period(prose, total.start) or (_title_period(prose) if document_type == "other" else None)
    if period:
        for fact in out.values():
            if fact.field != "petitions.prior_year_total":
                fact.period = period
    return out


def _channels_alone(prose: str) -> dict[str, Fact]:
    """A bulletin (信访情况通报) gives its channels under their own headings and no total:
    each channel's first count in a paragraph about 信访 or 群众."""
    out = {}
    if "信访" not in prose[:600]:
        return out  # a bulletin about 信访 says so at its head; a mailbox's report does not
    for field, name, pattern in CHANNEL_RULES:
        if f"petitions.{field}" in out:
            continue
        for m in re.finditer(pattern, prose):
            line_start = prose.rfind("\n", 0, m.start()) + 1
            if not re.search(r"信访|群众|来信|来访|走访", prose[line_start:m.start("num")]):
                continue
            left, _ = sentence(prose, m.start())
            if catalogue.words("petitions", "not_sentence").search(prose[left:m.start("num")]):
                continue
            # no 万 here: a count in ten-thousands with no total beside it is a profile's round
            # figure (2023年处理网上信访事项1.2万件), not a bulletin's channel
            value = parse_number(m.group("num"))
            if value is None or value != int(value) or _stated_count(prose, m) != value:
                continue
            out[f"petitions.{field}"] = Fact(f"petitions.{field}", value, m.start("num"), m.end("num"),
                                             f"petitions.{name}", confidence=0.7)
            break
    return out


def _stated_count(prose: str, m: re.Match, group: str = "num") -> float | None:
    """The count a match states, 万 after the number multiplying it (2.1万件 → 21000)."""
    value = parse_number(m.group(group))
    if value is not None and prose[m.end(group):m.end(group) + 3].lstrip().startswith("万"):
        value = round(value * 10000)
    return value


def _first(prose: str, rules, field: str, lo: int, hi: int, year: int | None = None) -> Fact | None:
    best = None
    for name, pattern in rules:
        for m in re.compile(pattern).finditer(prose, lo, hi):
            value = _stated_count(prose, m)
            if value is None or value != int(value) or other_year(prose, m.start(), year):
                continue
            if best is None or m.start() < best.start:
                best = Fact(field, value, m.start("num"), m.end("num"), f"petitions.{name}")
            break
    return best


def _period(prose: str, pos: int) -> tuple[str, str] | None:
    """A partial period stated in the total's sentence or just before it (a heading)."""
    left, _ = sentence(prose, pos)
    lo = max(0, min(left, pos - 80))
    for _name, pattern in PERIOD_RULES:
        for m in re.finditer(pattern, prose[lo:pos]):
            m1 = int(m.groupdict().get("m1") or 1)
            d1 = int(m.groupdict().get("d1") or 1)
            m2 = int(m.groupdict().get("m2") or m1)
            d2 = int(m.groupdict().get("d2") or MONTH_END.get(m2, 30))
            if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
                continue
            if (m1, d1) == (1, 1) and (m2, d2) == (12, 31):
                return None
            return f"{m1:02d}-{d1:02d}", f"{m2:02d}-{d2:02d}"
    for word, span in SPANS:
        if word in prose[lo:pos]:
            return span
    return None


SPANS = [("前三季度", ("01-01", "09-30")), ("上半年", ("01-01", "06-30")), ("第一季度", ("01-01", "03-31")),
         ("一季度", ("01-01", "03-31"))]


def _title_period(prose: str) -> tuple[str, str] | None:
    """A bulletin's period in its title: 2024年1-6月 (a span) or 2024年5月 (one month)."""
    title = prose[:prose.find("\n", 0, 200) if "\n" in prose[:200] else 200]
    m = re.search(r"20\d\d\s*年\s*(?P<m1>\d{1,2})\s*(?:月)?\s*(?:[-—~至到]\s*(?P<m2>\d{1,2}))?\s*月", title)
    if m:
        m1 = int(m.group("m1"))
        m2 = int(m.group("m2") or m1)
        if 1 <= m1 <= m2 <= 12 and (m1, m2) != (1, 12):
            return f"{m1:02d}-01", f"{m2:02d}-{MONTH_END[m2]:02d}"
    for word, span in SPANS:
        if word in title:
            return span
    return None


def table(text: str, document_type: str | None = None, year: int | None = None) -> dict[str, Fact]:
    """A petition table ('|'-separated rows, as the PDF/DOCX/XLSX readers and many pages give it):
    channels as rows (来信 | 612 | 705 under 渠道 | 2020年 | 2019年) or as columns (月份 | 来信 |
    来访(批) | … | 合计, read on its 合计 row). The current year's column holds the counts; a
    column headed with the year before holds the prior-year total. Monthly rows are never
    summed: without a total row the columns give nothing."""
    out: dict[str, Fact] = {}
    first_header = None
    for header, rows in _blocks(text):
        found = _channels_as_rows(header, rows, year) or _channels_as_columns(header, rows)
        if found and first_header is None:
            first_header = header[0][1]
        for key, fact in found.items():
            out.setdefault(key, fact)
    if not any(k != "petitions.prior_year_total" for k in out):
        return {}
    total = out.get("petitions.total")
    # the period stated above the table (统计时段：1月1日—11月30日), or a bulletin's title
    period = _period(text, first_header)
    if period is None and document_type == "other":
        period = _title_period(text)
    if period:
        for fact in out.values():
            if fact.field != "petitions.prior_year_total":
                fact.period = period
    if total is None:
        out.pop("petitions.prior_year_total", None)
    return out


_Row = list  # [(cell text, start, end)]


def _blocks(text: str) -> list[tuple[_Row, list[_Row]]]:
    """Runs of consecutive '|' rows, cut where a row with no figure (a header) starts anew."""
    blocks: list[tuple[_Row, list[_Row]]] = []
    pos = 0
    header: _Row | None = None
    rows: list[_Row] = []
    for line in text.split("\n"):
        cells = _cells(line, pos) if line.count("|") >= 1 else []
        pos += len(line) + 1
        if len(cells) < 2:
            if header is not None:
                blocks.append((header, rows))
            header, rows = None, []
            continue
        if not any(CELL_NUMBER.fullmatch(c[0]) for c in cells[1:]):
            if header is not None:
                blocks.append((header, rows))
            header, rows = cells, []
        elif header is not None:
            rows.append(cells)
    if header is not None:
        blocks.append((header, rows))
    return [(h, r) for h, r in blocks if r]


def _cells(line: str, pos: int) -> _Row:
    out = []
    offset = 0
    for part in line.split("|"):
        stripped = part.strip()
        if stripped:
            start = pos + offset + part.find(stripped)
            out.append((stripped, start, start + len(stripped)))
        offset += len(part) + 1
    return out


def _channel(cell: str) -> str | None:
    bare = CELL_NOTE.sub("", cell)
    for field, name, _pattern in CHANNEL_RULES:
        for label in catalogue.get(f"petitions.{field}").labels:
            if label.name == name and re.fullmatch(f"(?:{label.pattern})", bare):
                return field
    if re.fullmatch(f"(?:{catalogue.pattern('petitions.table', 'total').pattern})", bare):
        return "total"
    return None


def _count(cell: tuple[str, int, int]) -> int | None:
    if not CELL_NUMBER.fullmatch(cell[0]):
        return None
    value = parse_number(cell[0])
    return int(value) if value is not None and value == int(value) and value >= 0 else None


def _fact(field: str, cell, row_label: str, column: str, rule: str) -> Fact | None:
    value = _count(cell)
    if value is None:
        return None
    fact = Fact(f"petitions.{field}", value, cell[1], cell[2], f"table.petitions.{rule}", confidence=0.85)
    fact.snippet = f"{row_label} · {column}: {cell[0]}"
    return fact


def _year_columns(header: _Row) -> list[int | None]:
    years = []
    for text, _s, _e in header:
        m = re.search(r"(20\d\d)\s*年", text)
        years.append(int(m.group(1)) if m else None)
    return years


def _channels_as_rows(header: _Row, rows: list[_Row], year: int | None) -> dict[str, Fact]:
    labelled = [(_channel(r[0][0]), r) for r in rows]
    channels = [c for c, _ in labelled if c and c != "total"]
    if len(set(channels)) < 2 and not any(c == "total" and re.search("信访", r[0][0]) for c, r in labelled):
        return {}
    years = _year_columns(header)
    # the figures' column: the evaluated year's, else the first after the labels
    current = next((k for k, y in enumerate(years) if y is not None and y == year), None)
    if current is None:
        # the year unknown (or not a column): the latest year's column, else the first
        dated = [(y, k) for k, y in enumerate(years) if y is not None]
        current = max(dated)[1] if dated else 1
    prior_year = (years[current] - 1) if current < len(years) and years[current] else (year - 1 if year else None)
    prior = next((k for k, y in enumerate(years) if y is not None and y == prior_year), None)
    column = header[current][0] if current < len(header) else ""
    out: dict[str, Fact] = {}
    for field, row in labelled:
        if field is None or len(row) <= current:
            continue
        fact = _fact(field, row[current], row[0][0], column, "rows")
        if fact:
            out.setdefault(fact.field, fact)
        if field == "total" and prior is not None and prior < len(row):
            before = _fact("prior_year_total", row[prior], row[0][0], header[prior][0], "rows.prior")
            if before:
                out.setdefault(before.field, before)
    return out


def _channels_as_columns(header: _Row, rows: list[_Row]) -> dict[str, Fact]:
    fields = [_channel(c[0]) for c in header]
    if len({f for f in fields if f and f != "total"}) < 2:
        return {}
    totals = [r for r in rows if _channel(r[0][0]) == "total"]
    if totals:
        row = totals[-1]
    elif len(rows) == 1:
        row = rows[0]
    else:
        return {}  # monthly rows and no total row: never summed
    if len(row) != len(header):
        return {}
    out: dict[str, Fact] = {}
    for k, field in enumerate(fields):
        if field is None:
            continue
        fact = _fact(field, row[k], row[0][0], header[k][0], "columns")
        if fact:
            out.setdefault(fact.field, fact)
    return out
