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

COUNT = rf"(?P<num>{NUMBER}|{CN_NUMERAL})\s*"
GAP = r"[^\d,。;]{0,4}?"

TOTAL_RULES = [
    ("信访事项", rf"(?:受理|接处|收到|接待|登记|办理)(?:(?!网上|网络|网信)[^\d。;]){{0,12}}?(?<!网上|网络)信访(?:事项|件)(?:共|总计|合计)?\s*{COUNT}件"),
    ("信访总量", rf"信访(?:总量|量|件总数)(?:为|达|共|是|:)?\s*{COUNT}件"),
    ("共…信访事项", rf"共(?:(?!网上|网络|网信)[^\d。;]){{0,8}}?(?<!网上|网络)信访(?:事项|件)\s*{COUNT}件"),
    # a channel's own count (受理网上信访事项1,326件) is not the total: no 网上/网络 before 信访
    # 受理群众信访1,234件次 / 登记群众来信来访1,523件次
    ("受理信访", rf"(?:受理|接处|登记|办理)(?:群众)?(?:信访|来信来访|来信、来访)(?:共|总计|合计)?\s*{COUNT}件"),
]
UNITS = {"letters": "(?:件|封)", "visits": "(?:件|批)", "online": "件", "calls": "(?:件|个|次)"}


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
PERIOD_RULES = [
    ("起止", r"(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:至|到|-|—|~)\s*(?:20\d\d\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"),
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
        value = parse_number(m.group(group))
        if value is not None:
            out["petitions.prior_year_total"] = Fact("petitions.prior_year_total", value, start,
                                                     total.end + m.end(group), "prior.比上年", confidence=0.8)
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
    for field, name, pattern in CHANNEL_RULES:
        if f"petitions.{field}" in out:
            continue
        for m in re.finditer(pattern, prose):
            line_start = prose.rfind("\n", 0, m.start()) + 1
            if not re.search(r"信访|群众|来信|来访|走访", prose[line_start:m.start("num")]):
                continue
            value = parse_number(m.group("num"))
            if value is None or value != int(value):
                continue
            out[f"petitions.{field}"] = Fact(f"petitions.{field}", value, m.start("num"), m.end("num"),
                                             f"petitions.{name}", confidence=0.7)
            break
    return out


def _first(prose: str, rules, field: str, lo: int, hi: int, year: int | None = None) -> Fact | None:
    best = None
    for name, pattern in rules:
        for m in re.compile(pattern).finditer(prose, lo, hi):
            value = parse_number(m.group("num"))
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
            m2 = int(m.group("m2"))
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
