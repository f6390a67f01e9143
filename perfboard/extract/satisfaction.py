"""Satisfaction entries: who was rated, the satisfaction rate, the participation rate
(参评率) and the target, in percent. Prior-year averages in brackets, composite indices
(综合效能) and targets stated as '90%以上' are not rates achieved."""
from __future__ import annotations

import re

from perfboard.extract import catalogue
from perfboard.extract.model import Fact, Satisfaction
from perfboard.extract.text import CJK, sentence
from perfboard.numbers import CN_NUMERAL, NUMBER, parse_number

NUM = rf"(?P<num>{NUMBER})\s*%"
# an indicator row: name, (分值 cell,) target, actual
# (≧ is how some sites print ≥; a form run together keeps no space: 满意度10≥90%88%9)
TABLE_ROW = rf"满意[率度][\s|]*(?:\d{{1,2}}(?:\.\d+)?[\s|]*(?=≥|≧|>=|>|不低于))?(?:≥|≧|>=|>|不低于)\s*(?P<t>{NUMBER})\s*%[\s|]*{NUM}|满意[率度][\s|]+(?P<t2>{NUMBER})\s*%[\s|]+{NUM.replace('num', 'num2')}"
# the Sichuan template's row, a cell each: 满意度 | ≥ | 85 | % | 82.4 | (the unit in its own 度量单位 cell
# between the target and the value achieved, printed bare or with its % again: | 82.4 | or | 82.4% |)
TABLE_ROW += rf"|满意[率度][\s|]*(?:≥|≧|>=|>|不低于)[\s|]*(?P<t3>{NUMBER})[\s|]*%[\s|]+(?P<num3>{NUMBER})(?=\s*%?\s*\|)"
# a threshold or a scoring rule (90%以上, 达到90%得5分) is not a rate achieved
MENTION = (rf"满意[率度](?:达到|达|为|是|:|\s)*(?:{NUM}|百分之(?P<cn>{CN_NUMERAL}))"
           rf"(?!\s*(?:\(含\))?\s*(?:及?以[上下]|得\s*\d|的?得分|扣\s*\d))")
PARTICIPATION = rf"(?P<subj>[{CJK}]{{0,6}})参评率(?:达到|达|为|是|:|\s)*{NUM}"
TARGETS = [
    # a threshold is always a target, never a rate achieved: 满意率不低于90%
    rf"满意[率度](?:目标)?(?:不低于|不少于|不得低于|应达到|≥|>=)\s*(?P<t>{NUMBER})\s*%",
    rf"满意[率度][^。;]{{0,12}}?(?:指标值|目标值?|考核要求|要求)[^\d。;]{{0,8}}?(?P<t>{NUMBER})\s*%",
    rf"(?P<t>{NUMBER})\s*%的?(?:考核要求|目标值?|指标值)",
    # a goal stated as a threshold (满意率达到90%以上), not a scoring rule (…以上得5分)
    rf"满意[率度](?:达到|达)\s*(?P<t>{NUMBER})\s*%\s*(?:\(含\))?\s*及?以上(?![^。;,]{{0,6}}?(?:得|扣)\s*\d)",
]
NOT_NOW = re.compile(r"去年|上年|同比|平均|上一年")
KNOWN_SUBJECTS = ("责任单位", "信访部门", "预算单位", "服务对象")
FILLER = re.compile(r"^(?:全年|全区|全市|我区|我局|我市|本年|其中|信访事项|国家满意度评价|评价)+")


def extract(prose: str) -> list[Satisfaction]:
    entries: list[Satisfaction] = []
    rows: list[range] = []
    for m in re.finditer(TABLE_ROW, prose):
        rows.append(range(m.start(), m.end()))
        t_group, n_group = next((t, n) for t, n in (("t", "num"), ("t2", "num2"), ("t3", "num3")) if m.group(t))
        entry = _entry(prose, m.start(), m.start(n_group), m.end(n_group), m.group(n_group), "satisfaction.table_row")
        if entry:
            entry.target = Fact("satisfaction.target_pct", parse_number(m.group(t_group)), m.start(t_group),
                                m.end(t_group), "satisfaction.table_row")
            _add(entries, entry)
    for m in re.finditer(MENTION, prose):
        if any(m.start() in row for row in rows):
            continue  # the target cell of a table row already read
        left, _ = sentence(prose, m.start(), stops="。;\n,、(")
        if NOT_NOW.search(prose[left:m.start()]):
            continue
        whole_left, whole_right = sentence(prose, m.start(), stops="。!?\n")  # ';' splits a sentence's parts
        if catalogue.words("petitions", "not_sentence").search(prose[whole_left:whole_right]):
            continue  # a mailbox's or a hotline's rate (市长信箱…满意率98.98%), not the petition work's
        group = "num" if m.group("num") else "cn"
        entry = _entry(prose, m.start(), m.start(group), m.end(group), m.group(group), "satisfaction.满意率")
        if entry:
            _add(entries, entry)
    for entry in entries:
        if entry.participation is None:
            entry.participation = _participation(prose, entry, entries)
    _targets(prose, entries)
    return entries


def _entry(prose, label_pos, start, end, num, rule) -> Satisfaction | None:
    value = parse_number(num)
    if value is None or not 0 < value <= 100:
        return None
    subject = _subject(prose, label_pos)
    return Satisfaction(subject, Fact("satisfaction.satisfaction_pct", value, start, end, rule, subject=subject))


def _subject(prose: str, pos: int) -> str:
    left, _ = sentence(prose, pos, stops="。;\n,、:(|")
    words = re.sub(rf"[^{CJK}]", "", prose[left:pos]).rstrip("的")
    # 信访人对信访部门的满意率: the subject is what follows 对 (not the 对 of 服务对象)
    cut = max((m.start() for m in re.finditer("对(?!象)", words) if m.start() >= len(words) - 10), default=None)
    if cut is not None:
        words = words[cut + 1:]
    near = words[-6:]  # table cells run together in prose: only the words next to 满意率 count
    for known in KNOWN_SUBJECTS:
        if near.endswith(known):
            return known
    tail = re.split(r"指标|评价|满意度?|情况|对象|机制|工作", words[-10:])[-1]
    return FILLER.sub("", tail) or "群众"


def _add(entries: list[Satisfaction], new: Satisfaction) -> None:
    for old in entries:
        if abs(old.satisfaction.value - new.satisfaction.value) < 0.005:
            old.target = old.target or new.target
            return
    entries.append(new)


def _participation(prose: str, entry: Satisfaction, entries: list[Satisfaction]) -> Fact | None:
    pos = entry.satisfaction.start
    left, right = sentence(prose, pos)
    candidates = []
    for m in re.finditer(PARTICIPATION, prose[left:right]):
        left_clause, _ = sentence(prose, left + m.start("num"), stops="(")
        if NOT_NOW.search(prose[left_clause:left + m.start("num")][-8:]):
            continue
        named = next((k for k in KNOWN_SUBJECTS if k in m.group("subj")), None)
        candidates.append((named, left + m.start("num"), left + m.end("num"), parse_number(m.group("num"))))
    same_sentence = [e for e in entries if sentence(prose, e.satisfaction.start) == (left, right)]
    for named, start, end, value in candidates:
        if named == entry.subject or (named is None and len(same_sentence) == 1):
            return Fact("satisfaction.participation_pct", value, start, end, "satisfaction.参评率",
                        subject=entry.subject)
    if len(candidates) == len(same_sentence) and candidates:
        # one participation rate per rated subject, in the same order
        named, start, end, value = candidates[same_sentence.index(entry)]
        return Fact("satisfaction.participation_pct", value, start, end, "satisfaction.参评率", subject=entry.subject)
    return None


def _targets(prose: str, entries: list[Satisfaction]) -> None:
    if not entries:
        return
    for pattern in TARGETS:
        for m in re.finditer(pattern, prose):
            left, right = sentence(prose, m.start())
            text = prose[left:right]
            if "满意" not in text:
                continue
            named = [e for e in entries if e.subject in text and e.subject in KNOWN_SUBJECTS]
            target = named[0] if len(named) == 1 else (entries[0] if len(entries) == 1 else None)
            if target and target.target is None:
                value = parse_number(m.group("t"))
                if value is not None and 0 < value <= 100:
                    target.target = Fact("satisfaction.target_pct", value, m.start("t"), m.end("t"),
                                         "satisfaction.指标值", subject=target.subject)
