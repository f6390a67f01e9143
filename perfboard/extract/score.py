"""The overall self-evaluation score (/100) and grade (优/良/中/差).

Section sub-scores (本项分值20分，自评分17.5分; 决策(20分)得18分; 得分18.6分(满分20分))
and, in a department report, a project's own score are not the total."""
from __future__ import annotations

import re

from perfboard.extract import catalogue
from perfboard.extract.model import Fact
from perfboard.extract.text import other_year, sentence
from perfboard.numbers import NUMBER, parse_number

# a score in Chinese numerals (自评得分九十五分, 九十二点五分) only with its 分
CN_SCORE = "[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?(?=分)"


def _rules():
    """Score labels from the catalogue (fields.yaml), each followed by its value."""
    spec = catalogue.get("score.total")
    rules = [(label.name, rf"(?:{label.pattern})(?P<num>{NUMBER}|{CN_SCORE})\s*分?", label.confidence) for label in spec.labels]
    grade = catalogue.get("score.grade").labels[0]
    return rules, re.compile("|".join(spec.not_before)), rf"(?:{grade.pattern})(?P<g>优秀|良好|优|良|中|合格|差)"


SCORE_RULES, SUB_SCORE, GRADE_RULE = _rules()
REVISED = re.compile(rf"(?:总分|自评得分|自评分|评价得分)[^。;\n]{{0,20}}?(?:调整|核定|复核|修正)为\s*(?P<num>{NUMBER})\s*分")
GRADES = {"优秀": "优", "良好": "良", "合格": "中"}
PROJECT = re.compile(r"项目")


def extract(prose: str, kind: str, year: int | None = None) -> dict[str, Fact]:
    """`year`, where known for sure, keeps another year's score (上年…绩效自评得分92分) out."""
    out: dict[str, Fact] = {}
    for name, pattern, confidence in SCORE_RULES:
        for m in re.finditer(pattern, prose):
            value = parse_number(m.group("num"))
            if (value is None or not 0 < value <= 100 or _is_part(prose, m, kind, name in ROW_RULES)
                    or other_year(prose, m.start("num"), year)):
                continue
            out["score.total"] = Fact("score.total", value, m.start("num"), m.end("num"), f"score.{name}",
                                      confidence=confidence)
            break
        if "score.total" in out:
            break
    # a note that revises the score (本表总分…复核后调整为88.6分) supersedes the table's
    m = REVISED.search(prose)
    if m and (value := parse_number(m.group("num"))) is not None and 0 < value <= 100 \
            and not other_year(prose, m.start("num"), year):
        out["score.total"] = Fact("score.total", value, m.start("num"), m.end("num"), "score.调整为",
                                  confidence=0.8)
    for m in re.finditer(GRADE_RULE, prose):
        left, _ = sentence(prose, m.start())
        if kind == "department_overall" and PROJECT.search(prose[left:m.start()]):
            continue
        grade = GRADES.get(m.group("g"), m.group("g"))
        out["score.grade"] = Fact("score.grade", grade, m.start("g"), m.end("g"), "grade.等级", confidence=0.85)
        break
    return out


# a table's own total row (总分 | 100 | 97.5): its label starts the clause, whatever cells precede
# it in a run-on table (满意度指标(10分) …) are other rows
ROW_RULES = {"总分行", "总分行粘连", "总分行空格", "合计行"}


def _is_part(prose: str, m: re.Match, kind: str, row: bool = False) -> bool:
    left, _ = sentence(prose, m.start(), stops="。;\n,")
    clause_before = prose[m.start() if row else left:m.start("num")]
    after = prose[m.end("num"):m.end("num") + 12]
    if SUB_SCORE.search(clause_before) or re.match(r"\s*分?\s*\(满分", after):
        return True
    sentence_left, _ = sentence(prose, m.start())
    return kind == "department_overall" and bool(PROJECT.search(prose[sentence_left:m.start()]))
