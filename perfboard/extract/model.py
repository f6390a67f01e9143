"""What extraction produces: facts that remember where they were found."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fact:
    field: str                  # dotted contract name: budget.actual_wan, department, ...
    value: Any
    start: int | None           # span in the document's normalised text
    end: int | None
    rule: str                   # the named rule that found it
    derived: bool = False       # computed, not stated
    subject: str | None = None
    period: tuple[str | None, str | None] = (None, None)
    snippet: str | None = None  # filled in by extract() from the span
    page: int | None = None
    in_prose: bool = False      # span is in the flowed text (text.flow) until extract() maps it back
    ocr_confidence: float | None = None  # read by OCR: the recogniser's lowest confidence over the span
    confidence: float = 0.8     # how sure the rule is (0..1): labelled table cells high, inferences low


@dataclass
class Satisfaction:
    subject: str
    satisfaction: Fact
    participation: Fact | None = None
    target: Fact | None = None


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str
    target: str | None
    actual: str | None
    start: int
    end: int
    rule: str
    snippet: str | None = None
    page: int | None = None


@dataclass
class Extraction:
    file: str
    facts: dict[str, Fact] = field(default_factory=dict)
    satisfaction: list[Satisfaction] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    # 待核: set when the department, year or headline figures are missing or doubtful
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)

    def value(self, name: str) -> Any:
        fact = self.facts.get(name)
        return fact.value if fact else None

    def all_facts(self) -> list[Fact]:
        out = list(self.facts.values())
        for s in self.satisfaction:
            out += [f for f in (s.satisfaction, s.participation, s.target) if f]
        return out

    def to_contract(self) -> dict:
        """The JSON object of ../shared/contract/extraction.md."""
        v = self.value
        # the total's period; a bulletin without a total: its channels' period
        period = self.facts.get("petitions.total") or next(
            (self.facts[f"petitions.{k}"] for k in ("letters", "visits", "online", "calls")
             if f"petitions.{k}" in self.facts), None)
        start, end = period.period if period else (None, None)
        return {
            "file": self.file,
            "department": v("department"),
            "province": v("province"),
            "city": v("city"),
            "district": v("district"),
            "evaluated_year": v("evaluated_year"),
            "document_type": v("document_type"),
            "report_kind": v("report_kind"),
            "project_name": v("project_name"),
            "budget": {k: v(f"budget.{k}") for k in
                       ("initial_wan", "adjusted_wan", "actual_wan", "execution_rate_pct")},
            "score": {"total": v("score.total"), "grade": v("score.grade")},
            "petitions": {
                **{k: _int(v(f"petitions.{k}")) for k in ("total", "letters", "visits", "online", "calls")},
                "period_start": start,
                "period_end": end,
                "prior_year_total": _int(v("petitions.prior_year_total")),
            },
            "satisfaction": [
                {"subject": s.subject,
                 "satisfaction_pct": s.satisfaction.value,
                 "participation_pct": s.participation.value if s.participation else None,
                 "target_pct": s.target.value if s.target else None}
                for s in self.satisfaction
            ],
            "indicators": [
                {"level1": i.level1, "level2": i.level2, "level3": i.level3,
                 "target": i.target, "actual": i.actual}
                for i in self.indicators
            ],
        }


def _int(value):
    return None if value is None else int(round(value))
