"""A valid row → the report it stands for: a Document (the row as "列名: 值" lines, so each
fact has a span to point at) and an Extraction whose facts carry "录入表 row N"."""
from __future__ import annotations

from dataclasses import dataclass

from perfboard.document import Document
from perfboard.extract.model import Extraction, Fact, Satisfaction
from perfboard.records.columns import COLUMNS, PROVENANCE


@dataclass
class Row:
    number: int
    values: dict            # contract field → value (satisfaction.* included)
    document: Document      # the row as text: "单位名称: …" lines, for provenance
    extraction: Extraction


def to_row(name: str, fmt: str, number: int, values: dict) -> Row:
    from perfboard.extract import identity

    provenance = PROVENANCE.format(n=number)
    lines = [provenance]
    spans: dict[str, tuple[int, int]] = {}
    pos = len(provenance) + 1
    for col in COLUMNS:
        if col.field not in values:
            continue
        label = f"{col.header}: "
        shown = _show(values[col.field])
        spans[col.field] = (pos + len(label), pos + len(label) + len(shown))
        lines.append(label + shown)
        pos += len(label) + len(shown) + 1
    text = "\n".join(lines)
    doc = Document.from_pages(name, [text], fmt=f"records-{fmt}", paged=False)
    doc.notes.append(f"{provenance}: typed into the records template, not extracted")

    x = Extraction(file=name)

    def fact(field_name: str, value, derived: bool = False, anchor: str | None = None) -> Fact:
        start, end = spans.get(anchor or field_name, (None, None))
        return Fact(field_name, value, start, end, "records", derived=derived, snippet=provenance)

    for col in COLUMNS:
        f = col.field
        if f in values and not f.startswith("satisfaction.") and f not in ("petitions.period_start",
                                                                           "petitions.period_end"):
            x.facts[f] = fact(f, values[f])
    loc = identity.location(values["department"], values["department"])
    for part in ("province", "city", "district"):
        if part not in x.facts and getattr(loc, part):
            x.facts[part] = fact(part, getattr(loc, part), derived=True, anchor="department")
    budget = x.facts
    if "budget.execution_rate_pct" not in budget and budget.get("budget.adjusted_wan") and \
            "budget.actual_wan" in budget and budget["budget.adjusted_wan"].value > 0:
        rate = round(100 * budget["budget.actual_wan"].value / budget["budget.adjusted_wan"].value, 2)
        if 0 <= rate <= 100:
            x.facts["budget.execution_rate_pct"] = fact("budget.execution_rate_pct", rate, derived=True,
                                                        anchor="budget.actual_wan")
    period = (values.get("petitions.period_start"), values.get("petitions.period_end"))
    for f, found in x.facts.items():
        if f.startswith("petitions.") and f != "petitions.prior_year_total":
            found.period = period
    if "satisfaction.satisfaction_pct" in values:
        subject = values.get("satisfaction.subject") or "服务对象"
        entry = Satisfaction(subject, fact("satisfaction.satisfaction_pct", values["satisfaction.satisfaction_pct"]))
        for f, attr in (("satisfaction.participation_pct", "participation"), ("satisfaction.target_pct", "target")):
            if f in values:
                setattr(entry, attr, fact(f, values[f]))
        for sf in (entry.satisfaction, entry.participation, entry.target):
            if sf:
                sf.subject = subject
        x.satisfaction.append(entry)
    return Row(number, values, doc, x)


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
