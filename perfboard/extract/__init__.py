"""Document → Extraction: each field's rules in their own module, run in one pass.

The page is cleaned first (clean.py: site chrome, contents, pinyin), then the document's
type is decided from its title (doctype.py) and handed to the readers that depend on it:
a budget plan has spent nothing, a 决算's expenditure total is its actual spending. Order
matters only where a field depends on another (the report kind decides whether project
amounts may be the budget). Every span is mapped back to the document's text at the end,
so provenance points at what the user uploaded."""
from __future__ import annotations

from perfboard.document import Document
from perfboard.extract import (budget, clean, doctype, identity, indicators, petitions, review, satisfaction, score,
                               sections)
from perfboard.extract.model import Extraction, Fact
from perfboard.extract.text import flow, snippet

__all__ = ["extract", "Extraction", "Fact"]


def extract(doc: Document) -> Extraction:
    text, to_doc = clean.clean(doc.text)
    prose, prose_map = flow(text)
    result = Extraction(file=doc.name)
    facts: list[Fact] = []

    dtype = doctype.document_type(text, doc.text)
    department = identity.department(text) or identity.site_department(doc.text, text)
    kind = identity.report_kind(text)
    year = identity.evaluated_year(text)
    if year is None and len(text) < len(doc.text):
        # the contents page taken out was the only place naming the year (关于2024年度预算绩效…)
        year = identity.evaluated_year(doc.text)
        if year:
            year = Fact("evaluated_year", year.value, None, None, f"contents.{year.rule}", derived=year.derived,
                        confidence=min(year.confidence, 0.5))
    facts += [f for f in (dtype, department, kind, year, identity.report_date(text)) if f]
    sure_year = year.value if year and year.confidence >= 0.85 else None
    if kind.value == "project":
        name = identity.project_name(text, department.value if department else None)
        if name:
            facts.append(name)
    loc = identity.location(department.value if department else None, text, doc.text)
    for field in ("province", "city", "district"):
        value = getattr(loc, field)
        if value:
            # no department: the place its title names, less sure
            facts.append(Fact(field, value, department.start if department else None,
                              department.end if department else None, "gazetteer" if department else "gazetteer.title",
                              derived=True, confidence=department.confidence if department else 0.5))

    # a notice or bulletin (by its title) reports no budget and no score of its own
    # (自评得分90分以上为优 is a rule, not a result)
    reports_results = not (dtype.value == "other" and dtype.rule.startswith("title."))
    if reports_results:
        facts += budget.extract(text, prose, kind.value, dtype.value, sure_year).values()
    prose_facts = list(score.extract(prose, kind.value, sure_year).values()) if reports_results else []
    petition_facts = petitions.extract(prose, dtype.value, sure_year)
    if "petitions.total" not in petition_facts:
        # no total in the prose: a petition table (渠道 | 2020年 | 2019年) may state one
        tabled = petitions.table(text, dtype.value, sure_year)
        if tabled:
            facts += tabled.values()
            petition_facts = {}
    prose_facts += list(petition_facts.values())
    result.satisfaction = satisfaction.extract(prose)
    for entry in result.satisfaction:
        prose_facts += [f for f in (entry.satisfaction, entry.participation, entry.target) if f]
    for fact in prose_facts:
        fact.in_prose = True
    facts += sections.extract(text).values()

    for fact in facts + prose_facts:
        if fact.field not in ("problems", "measures") and fact.snippet is None and fact.start is not None:
            fact.snippet = snippet(prose if fact.in_prose else text, fact.start, fact.end)
        if fact.in_prose:
            fact.start, fact.end = _to_text(prose_map, fact.start, fact.end, len(text))
            fact.in_prose = False
            row = _table_row(text, fact.start)
            if row and fact.field not in ("problems", "measures") and not fact.rule.startswith("table."):
                fact.snippet = row  # a figure in a table row: the row, not rows run together
        fact.start, fact.end = to_doc.span(fact.start, fact.end)
        fact.page = doc.page_of(fact.start) if fact.start is not None else None
        fact.ocr_confidence = doc.ocr_confidence(fact.start, fact.end)
        if fact.ocr_confidence is not None:
            fact.confidence = round(min(fact.confidence, fact.ocr_confidence), 3)
        if fact.field in result.facts or fact.field.startswith("satisfaction."):
            continue
        result.facts[fact.field] = fact

    result.indicators = indicators.extract(text, prose)
    for row in result.indicators:
        if row.rule == "indicators.numbered_restatement":
            row.start, row.end = _to_text(prose_map, row.start, row.end, len(text))
        if row.snippet is None and row.rule == "indicators.numbered_restatement":
            row.snippet = snippet(text, row.start, row.end, limit=240)
        elif row.snippet is None:
            # a table row names its cells, not the run of cells around it
            parts = [row.level3] + [f"{label}: {value}" for label, value in (("年度指标值", row.target),
                                                                             ("实际完成值", row.actual)) if value]
            row.snippet = " · ".join(parts)
        row.start, row.end = to_doc.span(row.start, row.end)
        row.page = doc.page_of(row.start)
    review.flag(result)
    return result


def _table_row(text: str, pos: int | None) -> str | None:
    """The line around `pos` when it is a row of '|'-separated cells."""
    if pos is None:
        return None
    left = text.rfind("\n", 0, pos) + 1
    right = text.find("\n", pos)
    line = text[left:right if right >= 0 else len(text)]
    if line.count("|") < 2:
        return None
    return " | ".join(c.strip() for c in line.split("|") if c.strip())[:160]


def _to_text(prose_map: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    if not prose_map:
        return start, end
    s = prose_map[min(start, len(prose_map) - 1)]
    e = prose_map[min(max(end - 1, start), len(prose_map) - 1)] + 1
    return s, min(e, length)
