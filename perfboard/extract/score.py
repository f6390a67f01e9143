"""The overall self-evaluation score (/100) and grade (优/良/中/差).

Section sub-scores (本项分值20分，自评分17.5分; 决策(20分)得18分; 得分18.6分(满分20分))
and, in a department report, a project's own score are not the total."""
from __future__ import annotations

import re

from perfboard.extract.model import Fact
from perfboard.extract.text import sentence
from perfboard.numbers import NUMBER, parse_number

# (rule name, pattern with group num), strongest first
SCORE_RULES = [
    ("总分行", rf"总分[\s|]*100(?:\.0+)?[\s|]+(?P<num>{NUMBER})"),
    ("综合得分", rf"(?:综合|总体|整体|总|最终)(?:评价)?(?:得分|评分|分值|分数)(?:为|是|:|\s)*(?P<num>{NUMBER})\s*分?"),
    ("自评得分", rf"(?:自评|评价|绩效|考核)(?:得分|分值|评分)(?:为|是|:|\s)*(?P<num>{NUMBER})\s*分?"),
    ("自评分", rf"自评分(?:值)?(?:为|是|:|\s)*(?P<num>{NUMBER})\s*分?"),
    ("自评总分", rf"(?:自评|评价|综合)总分(?:\(分\))?(?:为|是|:|\s|\|)*(?P<num>{NUMBER})\s*分?"),
]
SCORE_CONFIDENCE = {"总分行": 0.95, "综合得分": 0.9, "自评得分": 0.85, "自评分": 0.8, "自评总分": 0.9}
GRADE_RULE = (r"(?:(?:评价|评分|自评|综合|绩效|评定)?等级|(?:评价|自评|考核|评定)结果|评定为)(?:为|是|:|\s|\||[\"“”])*"
              r"(?P<g>优秀|良好|优|良|中|合格|差)")
GRADES = {"优秀": "优", "良好": "良", "合格": "中"}
SUB_SCORE = re.compile(r"本项(?!目)|满分|\(\d+(?:\.\d+)?分\)|分值\s*\d")
PROJECT = re.compile(r"项目")


def extract(prose: str, kind: str) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    for name, pattern in SCORE_RULES:
        for m in re.finditer(pattern, prose):
            value = parse_number(m.group("num"))
            if value is None or not 0 < value <= 100 or _is_part(prose, m, kind):
                continue
            out["score.total"] = Fact("score.total", value, m.start("num"), m.end("num"), f"score.{name}",
                                      confidence=SCORE_CONFIDENCE.get(name, 0.8))
            break
        if "score.total" in out:
            break
    for m in re.finditer(GRADE_RULE, prose):
        left, _ = sentence(prose, m.start())
        if kind == "department_overall" and PROJECT.search(prose[left:m.start()]):
            continue
        grade = GRADES.get(m.group("g"), m.group("g"))
        out["score.grade"] = Fact("score.grade", grade, m.start("g"), m.end("g"), "grade.等级", confidence=0.85)
        break
    return out


def _is_part(prose: str, m: re.Match, kind: str) -> bool:
    left, _ = sentence(prose, m.start(), stops="。;\n,")
    clause_before = prose[left:m.start("num")]
    after = prose[m.end("num"):m.end("num") + 12]
    if SUB_SCORE.search(clause_before) or re.match(r"\s*分?\s*\(满分", after):
        return True
    sentence_left, _ = sentence(prose, m.start())
    return kind == "department_overall" and bool(PROJECT.search(prose[sentence_left:m.start()]))
