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
    # …and a report given to a people's congress (——2022年7月27日在板芙镇第十七届人民代表大会): a government's
    # own budget, no department's
    ("other", r"通知|通报|公告|公示|意见|办法|方案|细则|简报|快报|函|批复|决定|讲话|议案|指标体系|评分标准|指引|模板|样表|信访(?:工作)?(?:情况|形势)(?:分析|汇报)?"
              r"|在[^\n]{0,24}第[一二三四五六七八九十]+届人民代表大会"),
    ("self_evaluation", r"自评(?:报告|表|情况)?|绩效评价(?:报告)?|评价报告|评价表|绩效报告|绩效(?:评价)?自评|评分表"),
    # …not as part of a field's label (部门年度预算收入, 决算数)
    ("final_accounts", r"决算(?:公开|报告|情况说明|说明|报表|公开表)?(?![收支数执完调总额])"),
    ("budget", r"预算(?:公开|说明|编制说明|情况说明|公开表)?(?![收支数执完调总额])"
               # a goals form (项目支出绩效目标表, 绩效目标申报表) is a plan: nothing was spent yet
               r"|绩效目标(?:申报)?表|目标申报表"),
]
KIND_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in KINDS))
# a title names what it is within its first lines; a line longer than this is prose
TITLE_MAX = 80
HEAD_LINES = 12


def document_type(text: str, original: str | None = None) -> Fact:
    """`text` is the cleaned page; `original` the page before its contents were taken out,
    whose headings (第三部分 部门决算情况说明) still say what it is where nothing else does."""
    candidates = []
    pos = 0
    seen = 0
    for line in text[:3000].split("\n"):
        stripped = line.strip()
        if stripped:
            seen += 1
            if seen > HEAD_LINES or re.match(r"[一二三四五六七八九十]+、", stripped):
                break
            compact = re.sub(r"\s+", "", stripped)
            # a title states no amounts (727.41, 94.01%)
            # …nor is it a sentence (一是年初编制项目资金预算时…，造成…) or a score table's cells
            # (10 分)预算编制(5 分)测算依据: a count, not a year, opens it)
            if len(compact) <= TITLE_MAX and not re.search(r"[。,;]|\d+\.\d+|%|分\)", compact) \
                    and not re.match(r"\d{1,3}(?!\d)", compact):
                last = None
                for m in KIND_RE.finditer(compact):
                    last = m
                if last is not None:
                    start = pos + line.find(stripped[:1])
                    candidates.append((last, start, start + len(stripped), compact))
        pos += len(line) + 1
    if candidates:
        # a section name above the title (预算绩效管理) has neither a year nor an author
        titled = [c for c in candidates if re.search(r"20\d\d|[局委办院厅站队所心校会府部]", c[3])]
        last, start, end, _ = (titled or candidates)[0]
        return Fact("document_type", last.lastgroup, start, end, f"title.{last.group()}",
                    confidence=0.9 if titled else 0.7)
    # no title names it: the body's headings say what it is (预算安排情况说明 / 决算情况说明 / 自评)
    for head, rule in ((text[:6000], "headings"), ((original or "")[:6000], "contents")):
        counts = {kind: len(re.findall(pattern, head)) for kind, pattern in HEADINGS}
        kind, n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 2:
            return Fact("document_type", kind, None, None, rule, confidence=0.6 if rule == "headings" else 0.5)
    if re.search(r"自评|绩效评价|评价等级|被评价年度|预算(?:完成|执行)率|全年执行数|绩效指标|三级指标", text[:3000]):
        return Fact("document_type", "self_evaluation", None, None, "body.自评", confidence=0.6)
    return Fact("document_type", "other", None, None, "default", confidence=0.5)


HEADINGS = [
    ("budget", r"(?m)^[^\n。]{0,20}(?:预算(?:收支|安排)?情况说明|(?:收入|支出)预算(?:情况|总体情况)|预算收支总表"
               r"|预算(?:收入|支出)情况说明|收支预算情况)"),
    ("final_accounts", r"(?m)^[^\n。]{0,20}(?:决算(?:总体)?情况说明|决算(?:报)?表|决算说明|收入支出决算)"),
    ("self_evaluation", r"(?m)^[^\n。]{0,20}(?:自评(?:结论|结果|情况)|绩效评价结论|绩效目标(?:完成|实现)情况)"),
]
