"""What the document is, decided from its title before any figure is read: a
self-evaluation, a final-accounts write-up (决算), a budget plan (预算) or something else
(a notice, a bulletin, a cover). The field readers ask this first: a plan has spent
nothing, and a 决算's total expenditure is its actual spending.

The title is the first line of the cleaned text's head that names a kind of document;
Chinese titles end with their head noun, so in that line the last kind-word wins
(…预算绩效自评工作的通知 is a notice, …部门预算公开说明 is a budget)."""
from __future__ import annotations

import re

from perfboard.extract.model import Fact

KINDS = [
    ("other", r"通知|通报|公告|公示|意见|办法|方案|细则|简报|快报|函|批复|决定|讲话|信访(?:工作)?(?:情况|形势)(?:分析|汇报)?"),
    ("self_evaluation", r"自评(?:报告|表|情况)?|绩效评价(?:报告)?|评价报告|评价表|绩效报告|绩效(?:评价)?自评|评分表"),
    ("final_accounts", r"决算(?:公开|报告|情况说明|说明|报表|公开表)?"),
    ("budget", r"预算(?:公开|说明|编制说明|情况说明|公开表)?"),
]
KIND_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in KINDS))
# a title names what it is within its first lines; a line longer than this is prose
TITLE_MAX = 80
HEAD_LINES = 12


def document_type(text: str) -> Fact:
    pos = 0
    seen = 0
    for line in text[:3000].split("\n"):
        stripped = line.strip()
        if stripped:
            seen += 1
            if seen > HEAD_LINES or re.match(r"[一二三四五六七八九十]+、", stripped):
                break
            compact = re.sub(r"\s+", "", stripped)
            if len(compact) <= TITLE_MAX and "。" not in compact:
                last = None
                for m in KIND_RE.finditer(compact):
                    last = m
                if last is not None:
                    kind = last.lastgroup
                    start = pos + line.find(stripped[:1])
                    return Fact("document_type", kind, start, start + len(stripped), f"title.{last.group()}",
                                confidence=0.9)
        pos += len(line) + 1
    # no title names it: an evaluation table or evaluation wording near the top still says what it is
    if re.search(r"自评|绩效评价|评价等级|自评得分", text[:3000]):
        return Fact("document_type", "self_evaluation", None, None, "body.自评", confidence=0.6)
    return Fact("document_type", "other", None, None, "default", confidence=0.5)
