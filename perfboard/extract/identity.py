"""Who reported, for which year, about what: department, location, evaluated year,
report kind and project name."""
from __future__ import annotations

import re
from collections import Counter

from perfboard import places
from perfboard.extract.model import Fact
from perfboard.extract.text import CJK, header

ORG = rf"[{CJK}()]{{1,30}}?(?:局|办公室|委员会|中心|厅|院|馆|站|队|人民政府|办|委)"
ORG_LABELS = [
    ("label.部门名称", r"(?:部门|单位|预算单位)名称"),
    ("label.填报单位", r"填报单位(?:\(盖章\))?"),
    ("label.评价单位", r"(?:被评价|自评)单位"),
]
YEAR_LABELS = [
    ("label.被评价年度", r"(?:被评价|评价|考核|自评)年度[\s:|]*(?P<y>20\d\d)"),
    ("paren.年度", r"\(\s*(?P<y>20\d\d)\s*年度?\s*\)"),
]
GENERIC_PROJECT_WORDS = re.compile(r"部门|单位|重点|专项|整体|支出|的|年度|财政")


def department(text: str) -> Fact | None:
    for rule, label in ORG_LABELS:
        for m in re.finditer(label + r"[\s:|]*(?P<v>[^\s|:]{2,40})", text):
            name = _org_prefix(m.group("v"))
            if name:
                start = m.start("v")
                return Fact("department", name, start, start + len(name), rule)
    head, _ = header(text)
    pos = 0
    for line in head.splitlines(keepends=True):
        found = _org_in_title(line)
        if found:
            name, offset = found
            return Fact("department", name, pos + offset, pos + offset + len(name), "title")
        pos += len(line)
    tail_start = max(0, len(text) - 300)
    for m in re.finditer(rf"(?m)^[ \t]*(?P<v>{ORG})[ \t]*$", text[tail_start:]):
        return Fact("department", m.group("v"), tail_start + m.start("v"), tail_start + m.end("v"), "signature")
    return None


def _org_prefix(value: str) -> str | None:
    m = re.match(ORG, value)
    if m and (places.find_places(m.group()) or len(m.group()) >= 4):
        return m.group()
    return None


def _org_in_title(line: str) -> tuple[str, int] | None:
    # Titles put the year before or after the name: 2023年度广州市白云区信访局部门重点…
    for m in re.finditer(rf"(?:20\d\d\s*年度?\s*)?(?P<v>[{CJK}][{CJK} ()]*)", line):
        chunk = m.group("v")
        compact = chunk.replace(" ", "")
        name = _org_prefix(compact)
        if name and places.find_places(name):
            start = m.start("v") + len(chunk) - len(chunk.lstrip())
            return name, start
    return None


def location(name: str | None, text: str) -> places.Location:
    if not name:
        return places.Location()
    return places.locate(name, text[:3000])


def evaluated_year(text: str) -> Fact | None:
    for rule, pattern in YEAR_LABELS:
        m = re.search(pattern, text)
        if m:
            return Fact("evaluated_year", int(m.group("y")), m.start("y"), m.end("y"), rule)
    head, _ = header(text)
    # a year in the title that is not part of a date (2023年6月 is when it was written)
    for m in re.finditer(r"(?P<y>20\d\d)\s*(?:年度|年(?!\s*\d{1,2}\s*月)|-20\d\d)", head):
        return Fact("evaluated_year", int(m.group("y")), m.start("y"), m.end("y"), "title")
    years = Counter(int(m.group(1)) for m in re.finditer(r"(20\d\d)\s*年度", text))
    if years:
        y = years.most_common(1)[0][0]
        m = re.search(rf"{y}\s*年度", text)
        return Fact("evaluated_year", y, m.start(), m.start() + 4, "most_common_年度")
    dates = [m for m in re.finditer(r"(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", text)]
    if dates:
        last = dates[-1]  # reports are dated a year after the year they evaluate
        return Fact("evaluated_year", int(last.group(1)) - 1, last.start(), last.end(), "report_date_minus_1",
                    derived=True)
    return None


def report_kind(text: str) -> Fact:
    head, end = header(text)
    compact = re.sub(r"\s+", "", head)
    m = re.search(r"部门整体|整体支出|部门绩效|整体绩效", compact)
    if m:
        return Fact("report_kind", "department_overall", 0, end, "title.整体")
    m = re.search(r"项目(?:支出)?(?:绩效|评价|自评)|绩效评价报告|专项资金", compact)
    if m and "项目" in compact:
        return Fact("report_kind", "project", 0, end, "title.项目")
    return Fact("report_kind", "department_overall", 0, end, "default")


def project_name(text: str, department_name: str | None) -> Fact | None:
    head, _ = header(text)
    compact = re.sub(r"\s+", "", head)
    if department_name:
        compact = compact.replace(department_name, "\n")
    m = re.search(rf"(?:20\d\d年度?)?(?P<v>[{CJK}()“”\"]{{2,40}}?)项目(?:支出)?(?:绩效|评价|自评)", compact)
    if not m:
        return None
    name = re.sub(r"^(?:20\d\d年度?)", "", m.group("v"))
    if not GENERIC_PROJECT_WORDS.sub("", name):
        return None
    pos = text.find(name[:4])
    return Fact("project_name", name, pos if pos >= 0 else 0, (pos if pos >= 0 else 0) + len(name), "title.项目")


def report_date(text: str) -> Fact | None:
    """When the report was written: the last date standing on a line of its own or after
    日期/签字 (its signature), never a date inside a sentence (截至2022年10月31日…).
    Used to check the evaluated year, never as it."""
    found = None
    for m in re.finditer(r"(?P<y>20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        before = text[line_start:m.start()]
        after = text[m.end():line_end if line_end >= 0 else len(text)]
        alone = not before.strip(" \t|") and not after.strip(" \t|")
        signed = re.search(r"(?:日期|签字|签章|盖章)\)?[\s:|]*$", before) and not after.strip(" \t|")[:1].isalnum()
        if alone or signed:
            found = m
    if not found:
        return None
    m = found
    value = f"{m.group('y')}-{int(m.group('m')):02d}" + (f"-{int(m.group('d')):02d}" if m.group("d") else "")
    return Fact("report_date", value, m.start(), m.end(), "date.落款")
