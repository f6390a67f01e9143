"""The text under 存在问题 and 改进措施 (kept as text: shown, not computed)."""
from __future__ import annotations

import re

from perfboard.extract.model import Fact

NUMBERED = r"(?:[一二三四五六七八九十]+、|\(\s*[一二三四五六七八九十]+\s*\)|\d+\s*[.、](?!\d))"
PROBLEMS = re.compile(rf"(?m)^[ \t]*(?:{NUMBERED})?[ \t]*(?:部门整体支出绩效)?存在(?:的)?(?:主要)?问题(?:及(?:原因|改进措施|下一步措施))?[ \t]*[:。]?")
MEASURES = re.compile(rf"(?m)^[ \t]*(?:{NUMBERED})?[ \t]*(?:下一步(?:工作)?(?:计划|措施|改进措施)?|改进措施(?:及建议|或下一步计划)?|整改措施|意见建议)[ \t]*[:。]?")
MAJOR = re.compile(r"(?m)^[ \t]*(?:[一二三四五六七八九十]+、|注[:：]|填表人|联系人|\S{2,20}(?:局|办公室)[ \t]*$|20\d\d\s*年\s*\d{1,2}\s*月)")
LIMIT = 3000


def extract(text: str) -> dict[str, Fact]:
    out = {}
    problems = PROBLEMS.search(text)
    measures = MEASURES.search(text, problems.end() if problems else 0)
    if problems:
        stop = measures.start() if measures else _next_major(text, problems.end())
        out["problems"] = _fact("problems", text, problems.end(), stop)
    if measures:
        out["measures"] = _fact("measures", text, measures.end(), _next_major(text, measures.end()))
    return {k: v for k, v in out.items() if v}


def _next_major(text: str, pos: int) -> int:
    m = MAJOR.search(text, pos + 1)
    return m.start() if m else len(text)


def _fact(name: str, text: str, start: int, end: int) -> Fact | None:
    end = min(end, start + LIMIT)
    body = re.sub(r"[ \t]*\n[ \t]*", "", text[start:end]).strip(" \n:")
    # a problems heading inside a 自评表 row is followed by its text on the same line
    if len(body) < 4:
        return None
    return Fact(name, body, start, end, f"section.{name}")
